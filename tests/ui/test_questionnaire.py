"""The FIQR and the body map as the patient uses them: typed, refused, resumed, finished."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, Static

from companion.core import measures as m
from companion.store import Store
from companion.store.measures import ACR2016, FIQR
from companion.ui.screens.body_map import BodyMapScreen
from companion.ui.screens.fiqr import FiqrScreen
from companion.ui.widgets.choice import ChoiceRow

from .helpers import wait_until


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_fiqr_refuses_a_bad_answer_keeps_a_draft_and_resumes(build_app, paths, clock):
    app = build_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, FiqrScreen))
        await pilot.press("7", "enter")
        assert app.focused.name == "walk_20_min"  # Enter moves on to the next item
        await pilot.press("1", "2")
        error = app.screen.query_one("#fiqr-error-walk_20_min", Static)
        assert error.display and "0 to 10" in str(error.render())
        await pilot.press("backspace", "backspace", "x")
        assert "“x” is not saved" in str(error.render())
        await pilot.press("backspace", "4")
        assert not error.display
        assert "2 of 21 answered" in shown(app, "#fiqr-score")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, FiqrScreen))
        assert "unfinished FIQR" in shown(app, "#measures")

    again = build_app()
    async with again.run_test(size=(110, 40)) as pilot:
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(again.screen, FiqrScreen))
        assert again.screen.query_one("#fiqr-brush_hair", Input).value == "7"
        assert again.screen.query_one("#fiqr-walk_20_min", Input).value == "4"
        assert again.focused.name == "prepare_meal"  # resumes at the first blank


async def test_fiqr_finished_shows_the_total_and_is_stored(build_app, paths, clock):
    app = build_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, FiqrScreen))
        for _ in m.FIQR_ITEMS:
            await pilot.press("6", "enter")
        assert "FIQR total 60.0 of 100" in shown(app, "#fiqr-score")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, FiqrScreen))
        done = app.store.measures.completed(FIQR)
        assert [q.fiqr_result().total for q in done] == [60.0]
        assert app.store.measures.draft(FIQR) is None


async def test_fiqr_with_too_many_blanks_asks_before_saving_unscored(build_app, paths):
    app = build_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, FiqrScreen))
        await pilot.press("3", "enter")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Not scored" in str(app.screen.query_one("#question").render()))
        await pilot.press("n")  # go back: still a draft
        await wait_until(pilot, lambda: isinstance(app.screen, FiqrScreen))
        assert app.store.measures.completed(FIQR) == []
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen.query("#question"))
        await pilot.press("y")
        await wait_until(pilot, lambda: not isinstance(app.screen, FiqrScreen))
        [saved] = app.store.measures.completed(FIQR)
        assert saved.record()["scores"]["total"] is None


async def test_a_clinic_wording_file_in_the_home_folder_is_used(build_app, paths):
    bundled = (m.load_fiqr_items())
    lines = ['schema = 1', '[prompts]']
    lines += [f'{d} = "Clinic prompt {d}"' for d in m.FIQR_DOMAINS]
    for item in bundled.items:
        label = "Clinic: brushing hair" if item.key == "brush_hair" else item.label
        lines += [f"[items.{item.key}]", f'label = "{label}"', f'low = "{item.low}"',
                  f'high = "{item.high}"']
    (paths.home / "fiqr_items.toml").write_text("\n".join(lines), encoding="utf-8")
    app = build_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, FiqrScreen))
        labels = [str(label.render()) for label in app.screen.query(".fiqr-label")]
        assert labels[0].endswith("Clinic: brushing hair")


async def test_body_map_counts_areas_and_needs_every_question(build_app, paths):
    app = build_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, BodyMapScreen))
        screen = app.screen
        for area in ("neck", "lower_back", "shoulder_left", "hip_right", "jaw_left",
                     "upper_leg_left"):
            screen.query_one(f"#area-{area}", Checkbox).value = True
        await pilot.pause()
        assert "Widespread pain index 6 of 19" in shown(app, "#acr-score")
        assert "not a diagnosis" in shown(app, "#acr-score")
        assert screen.query_one("#region-left_upper").border_subtitle == "2 of 4"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, BodyMapScreen)  # unanswered questions: not finished
        assert app.focused.id == "acr-fatigue"
        await pilot.press("3")  # fatigue: the third option, moderate
        for key, option in (("unrefreshed", 1), ("cognitive", 0), ("headaches", 1),
                            ("abdominal", 0), ("depression", 0), ("three_months", 1)):
            row = screen.query_one(f"#acr-{key}", ChoiceRow)
            row.value = row.options[option]
        await pilot.pause()
        assert "symptom severity 4 of 12" in shown(app, "#acr-score")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, BodyMapScreen))
        [done] = app.store.measures.completed(ACR2016)
        result = done.acr_result()
        assert (result.wpi, result.sss, result.generalised) == (6, 4, True)


async def test_body_map_draft_is_resumed(build_app, paths, clock):
    store = Store.open(paths.database, clock)
    draft = store.measures.start(ACR2016)
    store.measures.save_answers(draft.id, {**draft.answers, "painful_areas": ["chest"],
                                           "fatigue": 2})
    store.close()
    app = build_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, BodyMapScreen))
        assert app.screen.query_one("#area-chest", Checkbox).value
        assert app.screen.query_one("#acr-fatigue", ChoiceRow).value == "moderate"
