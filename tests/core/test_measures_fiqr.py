"""FIQR scoring, validation, meaningful change and serialisation."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from companion.core.measures import (
    FIQR_ANSWER_HINT,
    FIQR_DOMAIN_ITEMS,
    FIQR_FUNCTION_ITEMS,
    FIQR_ITEMS,
    FIQR_OVERALL_ITEMS,
    FIQR_SYMPTOM_ITEMS,
    ONE_PER_DOMAIN_RULE,
    PUBLISHED_MISSING_RULE,
    FiqrAnswers,
    MeasuresError,
    fiqr_answers_from_dict,
    fiqr_answers_to_dict,
    fiqr_worsening_threshold,
    format_fiqr_score,
    meaningful_worsening,
    score_fiqr,
    validate_fiqr_answer,
)


def all_at(value: int) -> FiqrAnswers:
    return FiqrAnswers({key: value for key in FIQR_ITEMS})


# --- item keys ---------------------------------------------------------------


def test_item_keys_are_stable_and_unique():
    assert len(FIQR_FUNCTION_ITEMS) == 9
    assert len(FIQR_OVERALL_ITEMS) == 2
    assert len(FIQR_SYMPTOM_ITEMS) == 10
    assert len(set(FIQR_ITEMS)) == 21
    assert all(key.isidentifier() and key == key.lower() for key in FIQR_ITEMS)
    # Part of the storage contract: a rename here breaks stored records.
    assert FIQR_ITEMS[0] == "brush_hair"
    assert FIQR_SYMPTOM_ITEMS[-1] == "environmental_sensitivity"


# --- scoring -------------------------------------------------------------------


def test_all_zeros_scores_zero():
    result = score_fiqr(all_at(0))
    assert result.valid and result.reason is None
    assert (result.function, result.overall, result.symptoms, result.total) == (
        0,
        0,
        0,
        0,
    )
    assert result.answered == 21 and not result.prorated


def test_all_tens_scores_one_hundred():
    result = score_fiqr(all_at(10))
    assert (result.function, result.overall, result.symptoms) == (30.0, 20.0, 50.0)
    assert result.total == 100.0
    assert result.total_text == "100.0"


def test_domain_divisors():
    values = {key: 0 for key in FIQR_ITEMS}
    values["brush_hair"] = 1  # function sum 1 -> 1/3
    values["overwhelmed"] = 3  # overall sum 3 -> 3
    values["pain"] = 5  # symptom sum 5 -> 2.5
    result = score_fiqr(FiqrAnswers(values))
    assert result.function == pytest.approx(1 / 3)
    assert result.overall == 3.0
    assert result.symptoms == 2.5
    assert result.total == pytest.approx(1 / 3 + 3 + 2.5)
    assert result.total_text == "5.8"


def test_scores_keep_exact_values_not_rounded():
    values = {key: 0 for key in FIQR_ITEMS}
    values["brush_hair"] = 1
    result = score_fiqr(FiqrAnswers(values))
    assert result.total == 1 / 3
    assert format_fiqr_score(result.total) == "0.3"


def test_worked_example_matches_hand_scoring():
    # function items 5 each (sum 45 -> 15), overall 6 and 8 (14),
    # symptoms 7 each (sum 70 -> 35): total 64, as in the design example.
    values = {key: 5 for key in FIQR_FUNCTION_ITEMS}
    values.update(goals_prevented=6, overwhelmed=8)
    values.update({key: 7 for key in FIQR_SYMPTOM_ITEMS})
    result = score_fiqr(FiqrAnswers(values))
    assert (result.function, result.overall, result.symptoms, result.total) == (
        15,
        14,
        35,
        64,
    )


# --- missing answers ---------------------------------------------------------------


def test_one_missing_function_item_is_prorated_under_the_published_rule():
    answers = all_at(6).replace(brush_hair=None)
    result = score_fiqr(answers)
    assert result.valid and result.prorated
    assert result.function_answered == 8
    # 8 answers of 6: sum 48, weighted 9/8 -> 54, /3 -> 18 == full score.
    assert result.function == 18.0
    assert result.total == score_fiqr(all_at(6)).total


def test_prorating_uses_the_answered_items_only():
    values = {key: 0 for key in FIQR_ITEMS}
    values.update({key: 8 for key in FIQR_FUNCTION_ITEMS})
    values["walk_20_min"] = None
    values["climb_stairs"] = 4
    result = score_fiqr(FiqrAnswers(values))
    # answered: seven 8s and one 4 = 60; 60 * 9/8 = 67.5; /3 = 22.5
    assert result.function == 22.5


def test_two_missing_function_items_is_invalid_and_not_scored():
    result = score_fiqr(all_at(5).replace(brush_hair=None, sit_45_min=None))
    assert not result.valid
    assert result.total is None and result.function is None
    assert result.overall is None and result.symptoms is None
    assert result.total_text is None
    assert "2 daily task items unanswered" in result.reason
    assert result.function_answered == 7


def test_published_rule_allows_no_missing_overall_or_symptom_item():
    for key in ("overwhelmed", "memory"):
        result = score_fiqr(all_at(5).replace(**{key: None}))
        assert not result.valid, key
        assert "none may be left blank" in result.reason


def test_one_per_domain_rule_scores_one_missing_in_every_domain():
    answers = all_at(4).replace(brush_hair=None, overwhelmed=None, balance=None)
    assert not score_fiqr(answers).valid  # published rule: invalid
    result = score_fiqr(answers, ONE_PER_DOMAIN_RULE)
    assert result.valid and result.prorated
    assert result.rule == "one per domain"
    assert (
        result.function_answered,
        result.overall_answered,
        result.symptoms_answered,
    ) == (8, 1, 9)
    assert result.total == score_fiqr(all_at(4)).total


def test_one_per_domain_rule_still_refuses_two_missing_in_a_domain():
    for pair in (
        ("pain", "energy"),
        ("goals_prevented", "overwhelmed"),
        ("brush_hair", "walk_20_min"),
    ):
        answers = all_at(4).replace(**{key: None for key in pair})
        result = score_fiqr(answers, ONE_PER_DOMAIN_RULE)
        assert not result.valid, pair
        assert result.total is None


def test_reason_lists_every_domain_at_fault():
    answers = FiqrAnswers({})
    result = score_fiqr(answers)
    assert result.answered == 0
    assert "daily task" in result.reason
    assert "overall impact" in result.reason
    assert "symptom" in result.reason


def test_missing_keys_mean_unanswered():
    answers = FiqrAnswers({"pain": 3})
    assert answers["pain"] == 3
    assert answers["energy"] is None
    assert list(answers.values) == list(FIQR_ITEMS)
    assert answers.answered() == 1
    assert answers.answered("symptoms") == 1


def test_default_rule_is_the_published_one():
    assert score_fiqr(all_at(1)).rule == PUBLISHED_MISSING_RULE.name == "published"


# --- answers are refused with a reason ---------------------------------------------


@pytest.mark.parametrize("bad", [-1, 11, 100])
def test_out_of_range_values_refused(bad):
    with pytest.raises(MeasuresError, match="outside 0 to 10"):
        FiqrAnswers({"pain": bad})


@pytest.mark.parametrize("bad", [3.0, 2.5, "4", True, False, [1]])
def test_non_integer_values_refused(bad):
    with pytest.raises(MeasuresError, match="not a whole number"):
        FiqrAnswers({"pain": bad})


def test_unknown_item_refused():
    with pytest.raises(MeasuresError, match="Unknown FIQR item: fatigue"):
        FiqrAnswers({"fatigue": 3})


def test_measures_error_is_a_value_error():
    assert issubclass(MeasuresError, ValueError)


def test_answers_are_read_only_and_hashable():
    answers = all_at(2)
    with pytest.raises(TypeError):
        answers.values["pain"] = 9  # type: ignore[index]
    assert hash(answers) == hash(all_at(2))
    assert answers == all_at(2)
    assert answers != all_at(3)


def test_score_fiqr_refuses_a_plain_dict():
    with pytest.raises(MeasuresError):
        score_fiqr({"pain": 1})  # type: ignore[arg-type]


# --- validate_fiqr_answer ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("10", 10),
        (" 7 ", 7),
        ("07", 7),
        ("", None),
        ("   ", None),
        ("\t", None),
    ],
)
def test_validate_fiqr_answer_accepts(text, expected):
    assert validate_fiqr_answer(text) == expected


@pytest.mark.parametrize(
    "text", ["11", "-1", "5.5", "7.0", "five", "1e1", "+3", "3 4", "٣", "²"]
)
def test_validate_fiqr_answer_refuses_with_a_human_reason(text):
    with pytest.raises(MeasuresError) as caught:
        validate_fiqr_answer(text)
    assert str(caught.value) == FIQR_ANSWER_HINT == "Enter a whole number from 0 to 10"


@pytest.mark.parametrize("given", [None, 7, 7.0, b"7"])
def test_validate_fiqr_answer_refuses_what_is_not_text_with_its_own_error(given):
    with pytest.raises(MeasuresError) as caught:
        validate_fiqr_answer(given)  # type: ignore[arg-type]
    assert str(caught.value) == FIQR_ANSWER_HINT


# --- meaningful worsening ------------------------------------------------------------


def test_threshold_is_fourteen_percent_with_an_eight_point_floor():
    assert fiqr_worsening_threshold(100) == pytest.approx(14.0)
    assert fiqr_worsening_threshold(64) == pytest.approx(8.96)
    assert fiqr_worsening_threshold(50) == 8.0  # 7 points < floor
    assert fiqr_worsening_threshold(0) == 8.0


@pytest.mark.parametrize(
    ("baseline", "current", "expected"),
    [
        (64, 64, False),
        (64, 72.9, False),
        (64, 72.96, True),  # exactly 14%
        (64, 80, True),
        (15, 17, False),  # 14% of 15 is 2.1, but under the 8-point floor
        (15, 22.9, False),
        (15, 23, True),  # exactly 8 points
        (5, 13, True),
        (0, 7.9, False),
        (0, 8, True),
        (60, 68.4, True),  # 14% of 60 = 8.4, exactly; float noise forgiven
        (64, 15, False),  # improvement is not worsening
        (92, 100, False),  # 8 points < 14% of 92 (12.88)
    ],
)
def test_meaningful_worsening(baseline, current, expected):
    assert meaningful_worsening(baseline, current) is expected


def test_meaningful_worsening_on_scored_results():
    before = score_fiqr(all_at(3)).total  # 30
    after = score_fiqr(all_at(4)).total  # 40
    assert meaningful_worsening(before, after)
    assert not meaningful_worsening(after, before)


@pytest.mark.parametrize(
    "bad", [-0.1, 100.5, float("nan"), float("inf"), None, "50", True]
)
def test_meaningful_worsening_refuses_impossible_totals(bad):
    with pytest.raises(MeasuresError):
        meaningful_worsening(bad, 50)
    with pytest.raises(MeasuresError):
        meaningful_worsening(50, bad)


# --- serialisation ---------------------------------------------------------------------


def test_round_trip_through_json():
    answers = all_at(3).replace(brush_hair=None, pain=9)
    data = fiqr_answers_to_dict(answers)
    assert data["instrument"] == "fiqr" and data["version"] == 1
    assert list(data["items"]) == list(FIQR_ITEMS)
    assert data["items"]["brush_hair"] is None
    text = json.dumps(data)
    assert fiqr_answers_from_dict(json.loads(text)) == answers


def test_from_dict_treats_absent_items_as_unanswered():
    answers = fiqr_answers_from_dict(
        {"instrument": "fiqr", "version": 1, "items": {"pain": 4}}
    )
    assert answers["pain"] == 4 and answers.answered() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "must be an object"),
        ({"instrument": "acr2016", "version": 1, "items": {}}, "Not a FIQR record"),
        (
            {"instrument": "fiqr", "version": 2, "items": {}},
            "Unsupported FIQR record version",
        ),
        ({"instrument": "fiqr", "version": 1}, "no 'items'"),
        ({"instrument": "fiqr", "version": 1, "items": []}, "no 'items'"),
        ({"instrument": "fiqr", "version": 1, "items": {}, "x": 1}, "Unexpected field"),
        (
            {"instrument": "fiqr", "version": 1, "items": {"pain": 11}},
            "outside 0 to 10",
        ),
        (
            {"instrument": "fiqr", "version": 1, "items": {"pain": 2.5}},
            "not a whole number",
        ),
        (
            {"instrument": "fiqr", "version": 1, "items": {"nope": 1}},
            "Unknown FIQR item",
        ),
    ],
)
def test_from_dict_refuses_bad_records(data, message):
    with pytest.raises(MeasuresError, match=message):
        fiqr_answers_from_dict(data)


# --- layering -----------------------------------------------------------------------------


def test_measures_imports_no_heavy_packages():
    code = (
        "import sys, companion.core.measures as m; m.load_fiqr_items(); "
        "bad = {'textual', 'rich', 'pydub', 'miniaudio', 'sqlite_utils', 'numpy'}; "
        "print(sorted(n for n in sys.modules if n.split('.')[0] in bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_domain_map_covers_every_item_once():
    seen = [key for keys in FIQR_DOMAIN_ITEMS.values() for key in keys]
    assert sorted(seen) == sorted(FIQR_ITEMS)
