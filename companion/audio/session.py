"""From a Playlist to a playable session: analyse tracks, build the plan, open sources.

Shared by the player, ``companion playlist check`` and the offline renderer,
so all three see the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from companion.audio import sources
from companion.audio.ambient import MOODS, AmbientSource, Steering
from companion.audio.analysis import Analysis, AnalysisCache
from companion.core.plan import BED, Entry, Plan, PlanItem, PlanSettings, build_plan, gain_limit, track_gain
from companion.core.playlist import Playlist, Track


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

    @property
    def problems(self) -> list[str]:
        return list(self.plan.problems)

    def ref_for(self, entry: Entry) -> TrackRef:
        return self.bed if entry.item == BED else self.refs[entry.item]

    def peak(self, entry: Entry) -> float | None:
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

    def open(self, entry: Entry, source_frame: int) -> sources.Source:
        """A source for an entry, positioned at ``source_frame`` frames into its sound."""
        ref = self.ref_for(entry)
        rate = self.plan.rate
        if ref.track is None or ref.track.is_generated:
            # the source's frame 0 is at session frame entry.start - entry.offset
            return AmbientSource(rate, ref.mood, ref.seed, start=source_frame, steering=self.steering,
                                 offset=(entry.start - entry.offset) / rate)
        assert ref.track.file is not None
        return sources.open_file(ref.track.file, rate, start=source_frame)


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
    )
