"""``companion scores``: every infusion and questionnaire with computed scores."""

from __future__ import annotations

import json

from companion.cli import main
from companion.core import measures as m
from companion.store import Store
from companion.store.measures import ACR2016, FIQR


def fill(paths, clock) -> None:
    store = Store.open(paths.database, clock)
    try:
        infusion = store.sessions.begin()
        store.sessions.save_rating(infusion.id, "pre", "pain", 8)
        store.sessions.save_rating(infusion.id, "post", "pain", 3)
        store.sessions.save_therapy_at(infusion.id, "2026-03-03 15:00")
        answers = m.fiqr_answers_to_dict(m.FiqrAnswers({k: 6 for k in m.FIQR_ITEMS}))
        store.measures.complete(store.measures.start(FIQR, infusion.id).id, answers)
        for _ in range(4):
            store.sessions.advance(infusion.id)
        clock.advance(days=2)
        acr = m.acr2016_answers_to_dict(
            m.Acr2016Answers(painful_areas={"neck", "hip_left"}, fatigue=2, headaches=1,
                             three_months=True)
        )
        store.measures.complete(store.measures.start(ACR2016).id, acr)
        half = m.fiqr_answers_to_dict(m.FiqrAnswers({"pain": 4}))
        store.measures.save_answers(store.measures.start(FIQR).id, half)
    finally:
        store.close()


def test_scores_prints_infusions_and_questionnaires(paths, clock, capsys):
    fill(paths, clock)
    assert main(["scores"]) == 0
    out = capsys.readouterr().out
    assert "1 of 6" in out and "pain 8→3" in out and "2026-03-03 15:00" in out
    assert "total  60.0  function 18.0  overall 12.0  symptoms 30.0" in out
    assert "draft, 1 of 21 answered" in out
    assert "WPI  2  SSS  3  PDS  5" in out
    assert m.ACR2016_LABEL in out


def test_scores_json_carries_answers_and_recomputed_scores(paths, clock, capsys):
    fill(paths, clock)
    assert main(["scores", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["infusions"][0]["ratings"] == {
        "pre": {"pain": 8, "mood": None, "anxiety": None},
        "post": {"pain": 3, "mood": None, "anxiety": None},
    }
    fiqr, acr, draft = data["questionnaires"]
    assert fiqr["answers"]["items"]["pain"] == 6 and fiqr["scores"]["total"] == 60.0
    assert acr["scores"]["wpi"] == 2 and acr["answers"]["painful_areas"] == ["hip_left", "neck"]
    assert draft["status"] == "draft" and draft["scores"] is None
    assert data["fiqr_change_after_series"] is None


def test_scores_without_a_database_is_one_line_and_status_1(paths, capsys):
    assert main(["scores"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no records yet" in err


def test_scores_bad_format_is_usage_error(paths, capsys):
    assert main(["scores", "--format", "xml"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_scores_json_on_a_home_without_records_is_empty_lists(paths, capsys):
    assert main(["scores", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["infusions"] == [] and data["questionnaires"] == []
    assert data["fiqr_change_after_series"] is None
    assert not paths.database.exists()  # asking created nothing


def test_scores_json_on_an_empty_database_is_empty_lists(paths, capsys):
    Store.open(paths.database).close()
    assert main(["scores", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["infusions"] == [] and data["questionnaires"] == []
