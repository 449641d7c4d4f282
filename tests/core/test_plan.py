"""The session plan: pure arithmetic, checked with properties."""

from __future__ import annotations

import math

from hypothesis import given, settings, strategies as st

from companion.core.plan import BED, PlanItem, PlanSettings, build_plan, track_gain

RATE = 100  # frames per second: small numbers keep the properties fast


def make_items(lengths, broken=()):
    return [
        PlanItem(
            index=i,
            phase=f"p{i % 3}",
            title=f"t{i}",
            frames=None if i in broken else frames,
            gain_db=-float(i),
            problem="corrupt" if i in broken else None,
        )
        for i, frames in enumerate(lengths)
    ]


def make_settings(session=600, crossfade=10, fade_in=30, fade_out=60, bed="ambient"):
    return PlanSettings.from_seconds(
        rate=RATE, session=session, crossfade=crossfade, fade_in=fade_in, fade_out=fade_out, bed=bed
    )


lengths_st = st.lists(st.integers(min_value=1, max_value=400 * RATE), min_size=0, max_size=25)
settings_st = st.builds(
    make_settings,
    session=st.integers(min_value=10, max_value=3000),
    crossfade=st.integers(min_value=0, max_value=60),
    fade_in=st.integers(min_value=0, max_value=120),
    fade_out=st.integers(min_value=0, max_value=120),
    bed=st.sampled_from(["ambient", "loop", "silence"]),
)


def check_invariants(plan):
    session = plan.session_frames
    entries = plan.entries
    playable = [it for it in plan.items if it.frames is not None and it.frames >= RATE]
    if plan.settings.bed == "silence" and playable:
        assert entries[0].start == 0
        assert entries[-1].end <= session
    else:
        # the whole session is covered: no silence the patient did not choose
        assert entries, "an empty plan would be silence"
        assert entries[0].start == 0
        assert entries[-1].end == session
    for entry in entries:
        assert 0 <= entry.start < entry.end <= session
        assert entry.fade_in >= 0 and entry.fade_out >= 0
        assert entry.fade_in + entry.fade_out <= entry.frames
        if not entry.is_bed:
            item = plan.items[entry.item]
            assert entry.frames <= item.frames
            assert entry.fade_in <= plan.settings.crossfade_frames
    for before, after in zip(entries, entries[1:]):
        # no gaps: the next one starts where the previous one starts fading out
        assert after.start == before.end - before.fade_out
        assert after.fade_in == before.fade_out
        # crossfades are never longer than either track
        assert before.fade_out <= before.frames // 2 + 1
        assert after.fade_in <= after.frames
        if not after.is_bed:
            assert after.fade_in <= plan.items[after.item].frames // 2
        if not before.is_bed:
            assert before.fade_out <= plan.items[before.item].frames // 2
    # order: playlist order, looping from the top in loop mode
    order = [(e.loop, plan.items[e.item].index) for e in entries if not e.is_bed]
    assert order == sorted(order)
    if plan.settings.bed != "loop":
        assert len({e.item for e in entries if not e.is_bed}) == len([e for e in entries if not e.is_bed])
    # master fades fit and end exactly at the end
    assert plan.fade_in_frames + plan.fade_out_frames <= session
    assert plan.master_at(session) == 0.0


@settings(max_examples=300, deadline=None)
@given(lengths=lengths_st, config=settings_st, data=st.data())
def test_plan_invariants(lengths, config, data):
    broken = data.draw(st.sets(st.integers(min_value=0, max_value=max(0, len(lengths) - 1))))
    plan = build_plan(make_items(lengths, broken), config)
    check_invariants(plan)


@settings(max_examples=200, deadline=None)
@given(lengths=st.lists(st.integers(min_value=RATE, max_value=300 * RATE), min_size=1, max_size=12),
       config=settings_st, data=st.data())
def test_skip_keeps_the_session_length(lengths, config, data):
    plan = build_plan(make_items(lengths), config)
    at = data.draw(st.integers(min_value=0, max_value=plan.session_frames - 1))
    skipped = plan.skip(at)
    later = [e for e in skipped.entries if e.end > at]
    if plan.settings.bed != "silence":
        assert skipped.entries[-1].end == plan.session_frames
    # nothing is heard twice at the same moment beyond a crossfade
    for frame in {at, at + 1, (at + plan.session_frames) // 2}:
        assert len(skipped.entries_at(frame)) <= 2
    current = plan.audible_at(at)
    if current is not None and not current.is_bed:
        assert all(e.start >= at for e in later)
        assert current not in later


@settings(max_examples=200, deadline=None)
@given(lengths=lengths_st, config=settings_st, data=st.data())
def test_crossfades_are_equal_power(lengths, config, data):
    plan = build_plan(make_items(lengths), config)
    frame = data.draw(st.integers(min_value=0, max_value=plan.session_frames - 1))
    active = plan.entries_at(frame)
    assert len(active) <= 2
    if len(active) == 2:
        power = sum(plan.gain_at(e, frame) ** 2 for e in active)
        assert math.isclose(power, 1.0, abs_tol=1e-9)


def test_too_much_music_fades_out_at_the_end():
    plan = build_plan(make_items([300 * RATE] * 4), make_settings(session=600))
    tracks = [e for e in plan.entries if not e.is_bed]
    assert [e.index for e in tracks] == [0, 1, 2]
    assert tracks[-1].end == 600 * RATE
    assert plan.master_at(600 * RATE - 1) < 1e-6
    assert plan.master_at(540 * RATE) == 1.0
    assert any("do not fit" in p for p in plan.problems)


def test_too_little_music_is_filled_by_the_bed():
    plan = build_plan(make_items([100 * RATE, 100 * RATE]), make_settings(session=600, crossfade=10))
    assert plan.entries[-1].is_bed
    assert plan.entries[-1].end == 600 * RATE
    assert plan.entries[-1].start == 190 * RATE - 10 * RATE
    assert any("ambient bed fills the rest" in p for p in plan.problems)


def test_loop_repeats_the_playlist():
    plan = build_plan(make_items([100 * RATE, 100 * RATE]), make_settings(session=600, bed="loop"))
    assert [e.index for e in plan.entries] == [0, 1, 0, 1, 0, 1, 0]
    assert not any(e.is_bed for e in plan.entries)


def test_no_playable_track_is_all_bed():
    plan = build_plan(make_items([100 * RATE, 50], broken={0}), make_settings())
    assert [e.item for e in plan.entries] == [BED]
    assert not plan.playable
    assert any("corrupt" in p for p in plan.problems)
    assert any("shorter than" in p for p in plan.problems)
    assert any("no playable track" in p for p in plan.problems)


def test_silence_only_when_chosen():
    plan = build_plan(make_items([100 * RATE]), make_settings(bed="silence"))
    assert len(plan.entries) == 1 and plan.entries[0].fade_out == 10 * RATE


def test_track_gain_reaches_target_or_stops_at_the_peak_ceiling():
    assert track_gain(-30.0, 0.1, -23.0) == (7.0, 0.0)
    gain, short = track_gain(-30.0, 0.9, -23.0)
    assert math.isclose(20 * math.log10(0.9) + gain, -1.0)
    assert math.isclose(short, 7.0 - gain)
    assert track_gain(-20.0, 0.5, -23.0, user_gain=-2.0) == (-5.0, 0.0)
    assert track_gain(None, None, -23.0) == (0.0, 0.0)
