"""The session plan: which track plays when, with which fades and gain.

Pure arithmetic on whole frames (stdlib only). The mixer in ``companion.audio``
executes a plan chunk by chunk; ``companion playlist check`` prints it.

Rules
- The session lasts exactly ``session_frames``; a master fade-in starts it and
  a master fade-out ends exactly at its end.
- Tracks play in order. Neighbours overlap by an equal-power crossfade that is
  never longer than half of either track, so at most two tracks sound at once.
- Too much music: no track starts once the music already covers the session;
  the last one is cut by the master fade-out at the end.
- Too little music: the *bed* fills the rest. ``ambient`` crossfades into a
  generated ambient bed, ``loop`` plays the playlist again from the top, and
  ``silence`` (chosen by the patient) lets the last track fade out.
- A playlist without a playable track is all bed: never silence the patient
  did not choose.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from typing import Iterable, Iterator, Sequence

from companion.core.models import format_duration

MIN_TRACK_SECONDS = 1.0
BED = -1  # PlanEntry.item of the ambient bed


@dataclass(frozen=True)
class PlanItem:
    """A track as the plan sees it: its length in output frames and its gain."""

    index: int  # position in the playlist, 0-based
    phase: str | None
    title: str
    frames: int | None  # None: cannot be played (see problem)
    gain_db: float = 0.0
    problem: str | None = None  # why it cannot play, or a warning when it can


@dataclass(frozen=True)
class PlanSettings:
    rate: int
    session_frames: int
    crossfade_frames: int
    fade_in_frames: int
    fade_out_frames: int
    bed: str = "ambient"  # ambient | loop | silence
    bed_gain_db: float = 0.0
    bed_phase: str | None = None

    @classmethod
    def from_seconds(
        cls,
        *,
        rate: int,
        session: float,
        crossfade: float,
        fade_in: float,
        fade_out: float,
        bed: str = "ambient",
        bed_gain_db: float = 0.0,
        bed_phase: str | None = None,
    ) -> "PlanSettings":
        return cls(
            rate=rate,
            session_frames=max(1, round(session * rate)),
            crossfade_frames=max(0, round(crossfade * rate)),
            fade_in_frames=max(0, round(fade_in * rate)),
            fade_out_frames=max(0, round(fade_out * rate)),
            bed=bed,
            bed_gain_db=bed_gain_db,
            bed_phase=bed_phase,
        )


@dataclass(frozen=True)
class PlanEntry:
    """One stretch of sound in the session: [start, end) in session frames."""

    item: int  # index into Plan.items, or BED
    index: int  # position in the playlist, -1 for the bed
    phase: str | None
    title: str
    start: int
    end: int
    fade_in: int  # crossfade (or fade) in at the start, frames
    fade_out: int  # crossfade out before the end, frames
    gain_db: float
    offset: int = 0  # first frame of the source that plays at `start`
    loop: int = 0  # 0 the first time through the playlist, 1 the second, ...

    @property
    def is_bed(self) -> bool:
        return self.item == BED

    @property
    def frames(self) -> int:
        return self.end - self.start


def equal_power_in(x: float) -> float:
    """Gain of a track fading in, x from 0 to 1; in² + out² = 1."""
    x = min(1.0, max(0.0, x))
    return math.sin(0.5 * math.pi * x)


def equal_power_out(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return math.cos(0.5 * math.pi * x)


def s_curve(x: float) -> float:
    """The master fades: starts and ends with zero slope."""
    x = min(1.0, max(0.0, x))
    return 0.5 - 0.5 * math.cos(math.pi * x)


@dataclass(frozen=True)
class Plan:
    settings: PlanSettings
    items: tuple[PlanItem, ...]
    entries: tuple[PlanEntry, ...]
    problems: tuple[str, ...] = ()
    fade_in_frames: int = 0
    fade_out_frames: int = 0

    @property
    def rate(self) -> int:
        return self.settings.rate

    @property
    def session_frames(self) -> int:
        return self.settings.session_frames

    @property
    def duration(self) -> float:
        return self.session_frames / self.rate

    @property
    def playable(self) -> bool:
        """True when at least one track of the playlist plays."""
        return any(not entry.is_bed for entry in self.entries)

    def entries_at(self, frame: int) -> list[PlanEntry]:
        return [entry for entry in self.entries if entry.start <= frame < entry.end]

    def gain_at(self, entry: PlanEntry, frame: int) -> float:
        """The crossfade envelope of one entry at a session frame (0 outside it)."""
        if not entry.start <= frame < entry.end:
            return 0.0
        gain = 1.0
        if entry.fade_in and frame < entry.start + entry.fade_in:
            gain *= equal_power_in((frame - entry.start) / entry.fade_in)
        if entry.fade_out and frame >= entry.end - entry.fade_out:
            gain *= equal_power_out((frame - (entry.end - entry.fade_out)) / entry.fade_out)
        return gain

    def master_at(self, frame: int) -> float:
        """The session fade-in and fade-out at a frame."""
        if frame < 0 or frame >= self.session_frames:
            return 0.0
        gain = 1.0
        if self.fade_in_frames and frame < self.fade_in_frames:
            gain *= s_curve(frame / self.fade_in_frames)
        tail = self.session_frames - frame
        if self.fade_out_frames and tail <= self.fade_out_frames:
            gain *= s_curve(tail / self.fade_out_frames)
        return gain

    def audible_at(self, frame: int) -> PlanEntry | None:
        """The entry the patient hears most at a frame."""
        best, best_gain = None, -1.0
        for entry in self.entries_at(frame):
            gain = self.gain_at(entry, frame)
            if gain > best_gain:
                best, best_gain = entry, gain
        return best

    def skip(self, at: int) -> "Plan":
        """The plan after skipping what plays at frame ``at``.

        What follows the audible entry is laid out again from ``at`` (with a
        short fade-in), so the session still ends at the same frame; the
        player ramps the sound down and up around the change.
        """
        current = self.audible_at(at)
        if current is None or current.is_bed:
            return self
        position = self.entries.index(current)
        kept = tuple(entry for entry in self.entries[:position] if entry.end <= at)
        rest_items = [self.items[entry.item] for entry in self.entries[position + 1 :] if not entry.is_bed]
        rest_loops = [entry.loop for entry in self.entries[position + 1 :] if not entry.is_bed]
        sequence: Iterable[tuple[PlanItem, int]] = zip(rest_items, rest_loops)
        if self.settings.bed == "loop":
            playable = [item for item in self.items if _playable(item, self.rate)]
            last_loop = max([current.loop, *rest_loops])
            sequence = itertools.chain(sequence, _cycle(playable, last_loop + 1))
        short_fade = min(self.settings.crossfade_frames, round(2.0 * self.rate))
        entries, _ = _layout(self.settings, self.items, sequence, at, short_fade)
        return replace(self, entries=kept + tuple(entries))

    def skip_gently(self, at: int, fade: int) -> "Plan":
        """The plan after a gentle skip at frame ``at``: the track that plays crossfades over
        ``fade`` frames into the next one, which starts from its beginning; nothing stops.

        Unchanged when nothing skippable plays (the bed, a generated track) or when the
        track ends within the fade anyway.
        """
        current = self.audible_at(at)
        if current is None or current.is_bed or current.end - at <= fade:
            return self
        position = self.entries.index(current)
        earlier = self.entries[:position]  # still fading out on their own, if at all
        fade_in_left = max(0, current.start + current.fade_in - at)
        fading = replace(current, end=at + fade, fade_out=min(fade, at + fade - current.start - fade_in_left))
        rest_items = [self.items[entry.item] for entry in self.entries[position + 1 :] if not entry.is_bed]
        rest_loops = [entry.loop for entry in self.entries[position + 1 :] if not entry.is_bed]
        sequence: Iterable[tuple[PlanItem, int]] = zip(rest_items, rest_loops)
        if self.settings.bed == "loop":
            playable = [item for item in self.items if _playable(item, self.rate)]
            last_loop = max([current.loop, *rest_loops])
            sequence = itertools.chain(sequence, _cycle(playable, last_loop + 1))
        entries, _ = _layout(self.settings, self.items, sequence, at, fade)
        return replace(self, entries=earlier + (fading,) + tuple(entries))


def _playable(item: PlanItem, rate: int) -> bool:
    return item.frames is not None and item.frames >= max(2, round(MIN_TRACK_SECONDS * rate))


def _cycle(items: Sequence[PlanItem], first_loop: int) -> Iterator[tuple[PlanItem, int]]:
    if not items:
        return
    for loop in itertools.count(first_loop):
        for item in items:
            yield item, loop


def _layout(
    settings: PlanSettings,
    items: Sequence[PlanItem],
    sequence: Iterable[tuple[PlanItem, int]],
    start: int,
    first_fade: int,
) -> tuple[list[PlanEntry], int]:
    """Entries from ``start`` to the session's end; returns them and where music ran out."""
    session = settings.session_frames
    crossfade = settings.crossfade_frames
    entries: list[PlanEntry] = []
    music_end = start
    if start >= session:
        return entries, music_end
    positions = {id(item): number for number, item in enumerate(items)}
    for item, loop in sequence:
        frames = item.frames or 0
        if entries:
            if music_end >= session:
                break
            previous = entries[-1]
            previous_frames = previous.end - previous.start
            overlap = min(crossfade, previous_frames // 2, frames // 2, previous_frames - previous.fade_in)
            overlap = max(0, overlap)
            entries[-1] = replace(previous, fade_out=overlap)
            begin = music_end - overlap
            fade = overlap
        else:
            begin = start
            fade = min(first_fade, frames // 2)
        entries.append(
            PlanEntry(
                item=positions[id(item)],
                index=item.index,
                phase=item.phase,
                title=item.title,
                start=begin,
                end=begin + frames,
                fade_in=fade,
                fade_out=0,
                gain_db=item.gain_db,
                loop=loop,
            )
        )
        music_end = begin + frames
    if entries and entries[-1].end > session:
        last = entries[-1]
        entries[-1] = replace(last, end=session, fade_out=0)
        music_end = session
    if music_end < session:
        bed_phase = entries[-1].phase if entries else settings.bed_phase
        if settings.bed == "silence" and entries:
            last = entries[-1]
            fade = min(crossfade, (last.end - last.start) // 2, last.end - last.start - last.fade_in)
            entries[-1] = replace(last, fade_out=max(0, fade))
        else:
            if entries:
                last = entries[-1]
                last_frames = last.end - last.start
                overlap = max(0, min(crossfade, last_frames // 2, last_frames - last.fade_in, session - music_end))
                entries[-1] = replace(last, fade_out=overlap)
                begin, fade = music_end - overlap, overlap
            else:
                begin, fade = start, first_fade
            fade = min(fade, (session - begin) // 2)
            entries.append(
                PlanEntry(
                    item=BED,
                    index=-1,
                    phase=bed_phase,
                    title="Ambient bed",
                    start=begin,
                    end=session,
                    fade_in=fade,
                    fade_out=0,
                    gain_db=settings.bed_gain_db,
                )
            )
    return entries, music_end


def fmt(frames: int, rate: int) -> str:
    return format_duration(frames / rate)


def build_plan(items: Sequence[PlanItem], settings: PlanSettings) -> Plan:
    """The session plan for tracks in playing order."""
    rate = settings.rate
    session = settings.session_frames
    problems: list[str] = []
    playable: list[PlanItem] = []
    for item in items:
        if item.frames is None:
            problems.append(f"{item.title}: {item.problem or 'cannot be played'}; skipped")
        elif not _playable(item, rate):
            problems.append(f"{item.title}: shorter than {MIN_TRACK_SECONDS:g} s; skipped")
        else:
            playable.append(item)
            if item.problem:
                problems.append(f"{item.title}: {item.problem}")
    fade_in = min(settings.fade_in_frames, session // 2)
    fade_out = min(settings.fade_out_frames, session - fade_in)
    sequence: Iterable[tuple[PlanItem, int]]
    if settings.bed == "loop":
        sequence = _cycle(playable, 0)
    else:
        sequence = ((item, 0) for item in playable)
    entries, music_end = _layout(settings, items, sequence, 0, 0)
    if not playable:
        if items:
            problems.append("no playable track: the ambient bed fills the whole session")
        elif settings.bed != "silence":
            problems.append("the playlist has no tracks: the ambient bed fills the whole session")
    elif music_end < session:
        if settings.bed == "silence":
            problems.append(
                f"music ends at {fmt(music_end, rate)} of {fmt(session, rate)}; silence after it (bed = \"silence\")"
            )
        else:
            problems.append(
                f"music ends at {fmt(music_end, rate)} of {fmt(session, rate)}; the ambient bed fills the rest"
            )
    else:
        dropped = len(playable) - len({entry.item for entry in entries if not entry.is_bed})
        if dropped > 0 and settings.bed != "loop":
            problems.append(f"{dropped} track(s) do not fit in the session and will not play")
    return Plan(
        settings=settings,
        items=tuple(items),
        entries=tuple(entries),
        problems=tuple(problems),
        fade_in_frames=fade_in,
        fade_out_frames=fade_out,
    )


def track_gain(
    lufs: float | None,
    peak: float | None,
    target: float,
    user_gain: float = 0.0,
    *,
    ceiling_db: float = -1.0,
    max_boost_db: float = 20.0,
) -> tuple[float, float]:
    """Gain in dB that brings a track to the target, and how far it falls short.

    The gain never lifts the sample peak above ``ceiling_db`` (no clipping) and
    never boosts by more than ``max_boost_db`` (no hiss pumped up from a near
    silent recording). The shortfall is 0.0 when the target is reached.
    """
    if lufs is None or not math.isfinite(lufs):
        return user_gain, 0.0
    wanted = target - lufs + user_gain
    gain = min(wanted, max_boost_db + user_gain)
    if peak is not None and peak > 0:
        peak_db = 20 * math.log10(peak)
        gain = min(gain, ceiling_db - peak_db)
    return gain, max(0.0, wanted - gain)


def gain_limit(
    lufs: float | None,
    peak: float | None,
    target: float,
    user_gain: float = 0.0,
    *,
    ceiling_db: float = -1.0,
    max_boost_db: float = 20.0,
) -> str | None:
    """What kept a track under the target: "peak" (it would clip), "boost" (a very quiet
    recording, lifted by at most ``max_boost_db``), or None when it reaches the target."""
    gain, short = track_gain(lufs, peak, target, user_gain, ceiling_db=ceiling_db, max_boost_db=max_boost_db)
    if short <= 0.0 or lufs is None:
        return None
    if peak is not None and peak > 0 and gain >= ceiling_db - 20 * math.log10(peak) - 1e-9:
        return "peak"
    return "boost"
