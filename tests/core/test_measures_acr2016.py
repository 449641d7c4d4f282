"""ACR 2016 criteria as a symptom tracker."""

from __future__ import annotations

import json

import pytest

from companion.core.measures import (
    ACR2016_LABEL,
    ACR_AREA_REGION,
    ACR_AREAS,
    ACR_GENERALISED_EXCLUDED,
    ACR_REGIONS,
    Acr2016Answers,
    MeasuresError,
    acr2016_answers_from_dict,
    acr2016_answers_to_dict,
    score_acr2016,
)

# One non-excluded area in each of four regions (generalised), WPI 4.
FOUR_REGIONS = frozenset({"shoulder_left", "shoulder_right", "hip_left", "neck"})


def answers(
    areas=frozenset(), sss=(0, 0, 0, 0, 0, 0), three_months=True
) -> Acr2016Answers:
    fatigue, unrefreshed, cognitive, headaches, abdominal, depression = sss
    return Acr2016Answers(
        painful_areas=frozenset(areas),
        fatigue=fatigue,
        unrefreshed=unrefreshed,
        cognitive=cognitive,
        headaches=headaches,
        abdominal=abdominal,
        depression=depression,
        three_months=three_months,
    )


def test_nineteen_areas_in_five_regions():
    assert len(ACR_AREAS) == 19 == len(set(ACR_AREAS))
    assert set(ACR_REGIONS) == {
        "left_upper",
        "right_upper",
        "left_lower",
        "right_lower",
        "axial",
    }
    assert [len(v) for v in ACR_REGIONS.values()] == [4, 4, 3, 3, 5]
    assert ACR_AREA_REGION["jaw_left"] == "left_upper"
    assert ACR_AREA_REGION["hip_right"] == "right_lower"
    assert ACR_AREA_REGION["abdomen"] == "axial"
    assert ACR_GENERALISED_EXCLUDED == {"jaw_left", "jaw_right", "chest", "abdomen"}


def test_nothing_reported():
    result = score_acr2016(answers(three_months=False))
    assert (result.wpi, result.sss, result.pds) == (0, 0, 0)
    assert not result.generalised and not result.criteria_pattern_met
    assert result.label == ACR2016_LABEL == "tracking only — not a diagnosis"


def test_everything_reported_maxes_the_scales():
    result = score_acr2016(answers(ACR_AREAS, (3, 3, 3, 1, 1, 1)))
    assert (result.wpi, result.sss, result.pds) == (19, 12, 31)
    assert result.generalised and result.criteria_pattern_met
    assert result.regions_with_pain == set(ACR_REGIONS)


def test_sss_adds_severity_and_yes_no_items():
    assert score_acr2016(answers(sss=(2, 1, 3, 0, 1, 0))).sss == 7


def test_wpi_seven_needs_sss_five():
    areas = FOUR_REGIONS | {"upper_arm_left", "lower_back", "upper_leg_right"}
    assert (
        score_acr2016(answers(areas, (2, 2, 0, 0, 0, 0))).criteria_pattern_met is False
    )  # SSS 4
    result = score_acr2016(answers(areas, (2, 2, 1, 0, 0, 0)))  # SSS 5
    assert result.wpi == 7 and result.sss == 5 and result.criteria_pattern_met


def test_wpi_four_to_six_needs_sss_nine():
    for extra in (frozenset(), {"neck", "upper_back"}, {"upper_back", "lower_back"}):
        areas = FOUR_REGIONS | extra
        wpi = len(areas)
        assert 4 <= wpi <= 6
        assert not score_acr2016(
            answers(areas, (3, 3, 2, 0, 0, 0))
        ).criteria_pattern_met  # 8
        assert score_acr2016(
            answers(areas, (3, 3, 2, 1, 0, 0))
        ).criteria_pattern_met  # 9


def test_wpi_below_four_never_meets_the_pattern():
    areas = {"shoulder_left", "shoulder_right", "hip_left"}
    result = score_acr2016(answers(areas, (3, 3, 3, 1, 1, 1)))
    assert result.wpi == 3 and not result.criteria_pattern_met


def test_generalised_ignores_jaw_chest_and_abdomen():
    # Pain in all five regions only through excluded areas plus two real ones.
    areas = {
        "jaw_left",
        "jaw_right",
        "chest",
        "abdomen",
        "hip_left",
        "hip_right",
        "neck",
    }
    result = score_acr2016(answers(areas, (3, 3, 3, 1, 1, 1)))
    assert result.wpi == 7 and result.sss == 12
    assert result.regions_with_pain == {"left_lower", "right_lower", "axial"}
    assert not result.generalised
    assert not result.criteria_pattern_met


def test_axial_counts_through_neck_or_back_but_not_chest_or_abdomen_alone():
    base = {"shoulder_left", "shoulder_right", "hip_left"}
    assert not score_acr2016(answers(base | {"chest", "abdomen"})).generalised
    for area in ("neck", "upper_back", "lower_back"):
        assert score_acr2016(answers(base | {area})).generalised, area


def test_generalised_needs_four_of_five_regions():
    assert not score_acr2016(
        answers({"shoulder_left", "upper_arm_left", "hip_left", "neck"})
    ).generalised
    assert score_acr2016(answers(FOUR_REGIONS)).generalised


def test_three_months_is_required():
    areas = FOUR_REGIONS | {"upper_arm_left", "lower_back", "upper_leg_right"}
    full = (3, 3, 3, 1, 1, 1)
    assert score_acr2016(answers(areas, full, three_months=True)).criteria_pattern_met
    assert not score_acr2016(
        answers(areas, full, three_months=False)
    ).criteria_pattern_met


def test_yes_no_items_accept_bools_and_store_ints():
    a = Acr2016Answers(headaches=True, abdominal=False, depression=1)
    assert (a.headaches, a.abdominal, a.depression) == (1, 0, 1)
    assert type(a.headaches) is int


def test_areas_accept_any_iterable_and_become_a_frozenset():
    a = Acr2016Answers(painful_areas=["neck", "neck", "chest"])  # type: ignore[arg-type]
    assert a.painful_areas == frozenset({"neck", "chest"})
    assert score_acr2016(a).wpi == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"painful_areas": {"elbow"}}, "Unknown body area: elbow"),
        ({"painful_areas": "neck"}, "set of area keys"),
        ({"painful_areas": [["neck"]]}, "set of area keys"),
        ({"fatigue": 4}, "fatigue must be a whole number from 0 to 3"),
        ({"cognitive": -1}, "cognitive must be"),
        ({"unrefreshed": 1.5}, "unrefreshed must be"),
        ({"fatigue": True}, "fatigue must be"),
        ({"headaches": 2}, "headaches must be 0 or 1"),
        ({"depression": "yes"}, "depression must be 0 or 1"),
        ({"three_months": 1}, "three_months must be True or False"),
    ],
)
def test_bad_answers_refused_with_a_reason(kwargs, message):
    with pytest.raises(MeasuresError, match=message):
        Acr2016Answers(**kwargs)


def test_score_refuses_a_plain_dict():
    with pytest.raises(MeasuresError):
        score_acr2016({"fatigue": 1})  # type: ignore[arg-type]


def test_round_trip_through_json():
    a = answers(
        {"neck", "jaw_right", "hip_left"}, (1, 2, 3, 1, 0, 1), three_months=False
    )
    data = acr2016_answers_to_dict(a)
    assert data["painful_areas"] == ["jaw_right", "hip_left", "neck"]  # ACR_AREAS order
    assert acr2016_answers_from_dict(json.loads(json.dumps(data))) == a


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"instrument": "fiqr"}, "Not an ACR 2016 record"),
        ({"version": 9}, "Unsupported ACR 2016 record version"),
        ({"extra": 1}, "Unexpected field"),
        ({"painful_areas": "neck"}, "list of area keys"),
        ({"fatigue": 7}, "fatigue must be"),
    ],
)
def test_from_dict_refuses_bad_records(change, message):
    data = acr2016_answers_to_dict(answers())
    data.update(change)
    with pytest.raises(MeasuresError, match=message):
        acr2016_answers_from_dict(data)


def test_from_dict_refuses_missing_fields_and_non_objects():
    data = acr2016_answers_to_dict(answers())
    del data["three_months"]
    with pytest.raises(MeasuresError, match="missing three_months"):
        acr2016_answers_from_dict(data)
    with pytest.raises(MeasuresError, match="must be an object"):
        acr2016_answers_from_dict("acr2016")
