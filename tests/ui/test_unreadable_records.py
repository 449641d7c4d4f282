"""A stored questionnaire the code cannot score (written by hand, by another
version, by a bug) never stops anything: the app starts, Progress and
`companion scores` show it as not scored with the reason, and a damaged
draft can be gone on with."""

from __future__ import annotations

import json

from textual.widgets import DataTable, Input

from companion import cli
from companion.core import measures as m
from companion.store import Store
from companion.store.measures import ACR2016, FIQR
from companion.ui.screens.fiqr import FiqrScreen
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.progress import ProgressScreen

from .helpers import screen_text, wait_until

SIZE = (110, 40)


def rows(app, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def good_fiqr(value: int) -> dict:
    return m.fiqr_answers_to_dict(m.FiqrAnswers({k: value for k in m.FIQR_ITEMS}))


def store_unreadable_records(paths, clock) -> None:
    """One good FIQR, one whose first answer is 11 (as an old import let in),
    one body map whose answers are not a body map at all."""
    store = Store.open(paths.database, clock)
    try:
        store.measures.complete(store.measures.start(FIQR).id, good_fiqr(5))
        clock.advance(days=1)
        bad = good_fiqr(5)
        bad["items"]["brush_hair"] = 11
        broken = store.measures.complete(store.measures.start(FIQR).id, good_fiqr(5))
        acr = store.measures.start(ACR2016)
        with store.db.atomic():
            store.db.execute("update questionnaires set answers = ? where id = ?",
                             [json.dumps(bad), broken.id])
            store.db.execute(
                "update questionnaires set status = 'complete', completed_at = created_at, "
                "answers = ? where id = ?", ['{"wpi": "x"}', acr.id])
    finally:
        store.close()


async def test_the_app_starts_and_progress_says_what_was_not_scored(build_app, paths, clock):
    store_unreadable_records(paths, clock)
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ProgressScreen))
        await pilot.press("n")
        await pilot.pause()
        fiqr = rows(app, "#fiqr-table")
        assert fiqr[0][2] == "50.0"  # the good FIQR keeps its score
        assert fiqr[1][2] == "-"
        assert fiqr[1][-1].startswith(
            "not scored: the stored answers cannot be read (brush_hair: 11 is outside 0 to 10")
        acr = rows(app, "#acr-table")
        assert acr[0][1] == "-" and acr[0][-1].startswith("not scored: the stored answers")
        await pilot.press("c")  # the charts: nothing to draw for the body map, and why
        await pilot.pause()
        assert ("ACR 2016 symptom tracker: 1 answered but not scored; Numbers (n) says why."
                in screen_text(app))
        assert app.screen.query("#chart-fiqr")  # the FIQR chart draws the scored one


def test_scores_lists_them_as_not_scored_and_succeeds(paths, clock, capsys):
    store_unreadable_records(paths, clock)
    assert cli.main(["--home", str(paths.home), "scores"]) == 0
    out = capsys.readouterr().out
    assert "total  50.0" in out
    assert "not scored: the stored answers cannot be read (brush_hair: 11 is outside 0 to 10)" in out
    assert "not scored: the stored answers cannot be read (Not an ACR 2016 record" in out
    assert cli.main(["--home", str(paths.home), "scores", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    fiqr_scores = [q["scores"] for q in data["questionnaires"] if q["kind"] == "fiqr"]
    assert [s["valid"] for s in fiqr_scores] == [True, False]
    acr_scores = [q["scores"] for q in data["questionnaires"] if q["kind"] == "acr2016"]
    assert acr_scores == [{"valid": False, "reason": acr_scores[0]["reason"]}]


async def test_a_draft_with_an_unreadable_answer_opens_with_it_blank(build_app, paths, clock):
    store = Store.open(paths.database, clock)
    try:
        draft = store.measures.start(FIQR)
        answers = good_fiqr(4)
        answers["items"]["brush_hair"] = "eleven"
        answers["items"]["walk_20_min"] = None
        store.db.execute("update questionnaires set answers = ? where id = ?",
                         [json.dumps(answers), draft.id])
        store.db.conn.commit()
    finally:
        store.close()
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, FiqrScreen))
        assert app.screen.query_one("#fiqr-brush_hair", Input).value == ""
        assert app.screen.query_one("#fiqr-prepare_meal", Input).value == "4"
        assert app.focused.name == "brush_hair"  # resumes at the first blank
        await pilot.press("6", "enter")
        await pilot.pause()
    stored = Store.open(paths.database, clock)
    try:
        assert stored.measures.get(draft.id).answers["items"]["brush_hair"] == 6
    finally:
        stored.close()
