import pytest

from companion.core.stages import (
    ORDER,
    VISIBLE,
    Stage,
    StageError,
    can_go_back,
    next_stage,
    parse_stage,
    previous_stage,
)


def test_the_four_stages_in_the_clinic_order():
    assert [s.title for s in VISIBLE] == ["Preparation", "Intention", "Experience", "Integration"]
    assert [s.number for s in VISIBLE] == [1, 2, 3, 4]


def test_moving_on_walks_every_stage_to_complete():
    stage = Stage.PREPARATION
    walked = [stage]
    while stage is not Stage.COMPLETE:
        stage = next_stage(stage)
        walked.append(stage)
    assert tuple(walked) == ORDER


def test_nothing_follows_a_complete_infusion():
    with pytest.raises(StageError):
        next_stage(Stage.COMPLETE)


def test_back_is_possible_only_before_the_experience_starts():
    assert previous_stage(Stage.INTENTION) is Stage.PREPARATION
    assert [s for s in ORDER if can_go_back(s)] == [Stage.INTENTION]
    for stage in (Stage.PREPARATION, Stage.EXPERIENCE, Stage.INTEGRATION, Stage.COMPLETE):
        with pytest.raises(StageError):
            previous_stage(stage)


def test_parse_stage_refuses_unknown_values():
    assert parse_stage("experience") is Stage.EXPERIENCE
    with pytest.raises(StageError):
        parse_stage("dosing")
