"""From a Playlist to a playable session: analyse tracks, build the plan, open sources.

Shared by the player, ``companion playlist check`` and the offline renderer,
so all three see the same plan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from companion.audio import sources
from companion.audio.ambient import MOODS, AmbientSource, Steering
from companion.audio.analysis import Analysis, AnalysisCache
from companion.audio.scores import RenderedScore, ScoreCache
from companion.core.plan import BED, PlanEntry, Plan, PlanItem, PlanSettings, build_plan, gain_limit, track_gain
from companion.core.playlist import ARC, Playlist, Track

# The ambient bed follows the arc of an infusion (core.playlist.ARC) wherever it fills in.
ARC_CROSSFADE = 40.0  # seconds the bed takes to move from one mood to the next


class ArcBed:
    """The ambient bed as the arc goes: each mood in its share of the session (scaled from
    ARC), equal-power crossfades between neighbours, each mood at its own loudness gain.

    A short library (30 minutes of music for 85) is followed by the moods the
    rest of the session calls for, not by the last phase's mood for an hour.
    Every sample is a function of the session frame, like the moods themselves.
    """

    def __init__(self, rate: int, seed: int, session_frames: int, origin: int, start: int,
                 gains: dict[str, float], steering=(), only: str | None = None) -> None:
        self.rate, self.seed, self.origin = rate, seed, origin
        self.frame = int(start)
        self.gains = gains  # linear, relative to the bed entry's own gain
        self.steering = steering
        self.error: str | None = None
        total = sum(minutes for _, minutes in ARC)
        self.bounds = []
        at = 0.0
        for mood, minutes in ARC:
            end = at + minutes / total * session_frames
            self.bounds.append((mood, round(at), round(end)))
            at = end
        if only is not None:  # one mood the whole way (a rescue within a phase that names it)
            self.bounds = [(only, 0, session_frames)]
        shortest = min(end - begin for _, begin, end in self.bounds)
        self.fade = max(1, min(round(ARC_CROSSFADE * rate), shortest // 3))
        self._sources: dict[str, AmbientSource] = {}

    def mood_at(self, session_frame: int) -> str:
        for mood, begin, end in self.bounds:
            if session_frame < end:
                return mood
        return self.bounds[-1][0]

    def read(self, frames: int) -> np.ndarray:
        a = self.origin + self.frame
        b = a + frames
        out = np.zeros((frames, 2), dtype=np.float32)
        half = self.fade // 2
        at = np.arange(a, b, dtype=np.float64)
        for number, (mood, begin, end) in enumerate(self.bounds):
            first, last = number == 0, number == len(self.bounds) - 1
            lo = -math.inf if first else begin - half
            hi = math.inf if last else end + half
            if b <= lo or a >= hi:
                self._sources.pop(mood, None)
                continue
            weight = np.ones(frames)
            if not first:
                weight *= np.sin(0.5 * np.pi * np.clip((at - lo) / self.fade, 0.0, 1.0))
            if not last:
                weight *= np.cos(0.5 * np.pi * np.clip((at - (end - half)) / self.fade, 0.0, 1.0))
            source = self._sources.get(mood)
            if source is None:
                source = self._sources[mood] = AmbientSource(self.rate, mood, self.seed, start=a,
                                                             steering=self.steering)
            elif source.frame != a:
                source.seek(a)
            out += source.read(frames) * (weight * self.gains.get(mood, 1.0)).astype(np.float32)[:, None]
        self.frame += frames
        return out

    def close(self) -> None:
        self._sources.clear()


@dataclass(frozen=True)
class TrackRef:
    """How to open the sound of one plan item."""

    track: Track | None  # None for the bed
    mood: str | None = None
    seed: int = 0


@dataclass
class Session:
    playlist: Playlist
    plan: Plan
    refs: list[TrackRef]
    bed: TrackRef
    analyses: list[Analysis | None] = field(default_factory=list)
    steering: Steering = field(default_factory=Steering)  # deeper / lighter, for every generated source
    bed_gains: dict[str, float] = field(default_factory=dict)  # the arc bed: linear gain per mood
    scores: ScoreCache | None = None  # generated tracks rendered ahead (the player's; None: always live)

    @property
    def problems(self) -> list[str]:
        return list(self.plan.problems)

    def ref_for(self, entry: PlanEntry) -> TrackRef:
        return self.bed if entry.item == BED else self.refs[entry.item]

    def peak(self, entry: PlanEntry) -> float | None:
        """The highest sample magnitude the source of an entry hands out, where it is certain.

        Known for a file miniaudio decodes at its own rate: the analysis measured
        those very samples. Resampled, generated and ffmpeg sources: None.
        """
        ref = self.ref_for(entry)
        if ref.track is None or ref.track.is_generated or entry.item >= len(self.analyses):
            return None
        analysis = self.analyses[entry.item]
        if analysis is None or analysis.error or analysis.decoder != "miniaudio" or analysis.rate != self.plan.rate:
            return None
        return analysis.peak

    def open(self, entry: PlanEntry, source_frame: int) -> sources.Source:
        """A source for an entry, positioned at ``source_frame`` frames into its sound."""
        ref = self.ref_for(entry)
        rate = self.plan.rate
        if ref.track is None and self.bed_gains and self.playlist.bed == "ambient":
            return ArcBed(rate, ref.seed, self.plan.session_frames, entry.start - entry.offset, source_frame,
                          self.bed_gains, self.steering)
        if ref.track is None or ref.track.is_generated:
            # the source's frame 0 is at session frame entry.start - entry.offset
            origin = entry.start - entry.offset

            def live(frame: int) -> AmbientSource:
                return AmbientSource(rate, ref.mood, ref.seed, start=frame, steering=self.steering,
                                     offset=origin / rate)

            rendered = self._rendered(ref, entry.end - origin, source_frame, origin, live) if ref.track else None
            return rendered or live(source_frame)
        assert ref.track.file is not None
        return sources.open_file(ref.track.file, rate, start=source_frame)

    def _rendered(self, ref: TrackRef, frames: int, start: int, origin: int, live) -> RenderedScore | None:
        """The track from its file rendered ahead, where there is one as long as the track
        (steered, it makes itself live where it must)."""
        if self.scores is None or ref.mood is None:
            return None
        path = self.scores.ready(ref.mood, ref.seed, self.plan.rate, frames)
        if path is None:
            return None
        try:
            return RenderedScore(path, self.plan.rate, start, self.steering, live, offset=origin / self.plan.rate)
        except sources.SourceError:  # gone or damaged since it was checked: made live
            return None

    def rescue(self, at: int, until: int, entry: PlanEntry | None = None) -> ArcBed:
        """What covers a file that failed at session frame ``at`` until ``until``: the mood of
        the failing entry's phase where its name says one (a file failing in the plateau is
        covered by the plateau's sound, not by the last phase's), otherwise the bed as the arc
        goes (settle, onset, plateau, return by share of the session). At the bed's gains."""
        phase = entry.phase if entry is not None else None
        mood = _mood_for(phase) if phase and any(m in phase.lower() for m in MOODS) else None
        return ArcBed(self.plan.rate, self.bed.seed, self.plan.session_frames, 0, at, self.bed_gains,
                      self.steering, only=mood)


def _mood_for(phase: str | None, track: Track | None = None) -> str:
    if track is not None and track.mood in MOODS:
        return track.mood  # type: ignore[return-value]
    if phase:
        lowered = phase.lower()
        for mood in MOODS:
            if mood in lowered:
                return mood
    return "plateau"


def build_session(
    playlist: Playlist,
    rate: int = 44100,
    cache: AnalysisCache | None = None,
    session_seconds: float | None = None,
    scores: ScoreCache | None = None,
) -> Session:
    """Analyse every track (cached) and plan the session."""
    cache = cache or AnalysisCache(None)
    items: list[PlanItem] = []
    refs: list[TrackRef] = []
    analyses: list[Analysis | None] = []
    target = playlist.target_lufs
    for index, (phase, track) in enumerate(playlist.tracks()):
        title = track.display_title
        if track.is_generated:
            mood = _mood_for(phase, track)
            analysis = cache.analyse_generated(mood, track.seed)
            frames = round((track.length or 0.0) * rate)
            gain, short = track_gain(analysis.lufs, analysis.peak, target, track.gain)
            refs.append(TrackRef(track, mood=mood, seed=track.seed))
            analyses.append(analysis)
            items.append(PlanItem(index, phase, title, frames, gain, None))
            if scores is not None:  # its render's bytes checked here, while loading: not on the audio path
                scores.ready(mood, track.seed, rate, frames)
            continue
        analysis = cache.analyse(track.file) if track.file is not None else Analysis(error="no file")
        analyses.append(analysis)
        refs.append(TrackRef(track))
        if analysis.error:
            items.append(PlanItem(index, phase, title, None, 0.0, analysis.error))
            continue
        gain, short = track_gain(analysis.lufs, analysis.peak, target, track.gain)
        notes = []
        if analysis.warning:
            notes.append(analysis.warning)
        if short > 1.0:
            if gain_limit(analysis.lufs, analysis.peak, target, track.gain) == "boost":
                notes.append(f"plays {short:.1f} dB under the loudness target: a very quiet recording "
                             "is lifted by at most 20 dB")
            else:
                notes.append(f"plays {short:.1f} dB under the loudness target so that it never clips")
        items.append(PlanItem(index, phase, title, analysis.frames_at(rate), gain, "; ".join(notes) or None))
    last_phase = playlist.phases[-1].name if playlist.phases else None
    bed_mood = _mood_for(last_phase) if playlist.tracks() else "plateau"
    bed_analysis = cache.analyse_generated(bed_mood, playlist.seed)
    bed_gain, _ = track_gain(bed_analysis.lufs, bed_analysis.peak, target)
    bed_gains = {}  # the arc bed's, and the rescue's (whatever the playlist's bed) relative to the bed's gain
    for mood, _ in ARC:
        mood_analysis = cache.analyse_generated(mood, playlist.seed)
        mood_gain, _ = track_gain(mood_analysis.lufs, mood_analysis.peak, target)
        bed_gains[mood] = 10.0 ** ((mood_gain - bed_gain) / 20.0)
    settings = PlanSettings.from_seconds(
        rate=rate,
        session=session_seconds if session_seconds is not None else playlist.session_seconds,
        crossfade=playlist.crossfade,
        fade_in=playlist.fade_in,
        fade_out=playlist.fade_out,
        bed=playlist.bed,
        bed_gain_db=bed_gain,
        bed_phase=playlist.first_phase,
    )
    plan = build_plan(items, settings)
    return Session(
        playlist=playlist,
        plan=plan,
        refs=refs,
        bed=TrackRef(None, mood=bed_mood, seed=playlist.seed),
        analyses=analyses,
        bed_gains=bed_gains,
        scores=scores,
    )
