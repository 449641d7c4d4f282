"""Experience: a dark, calm screen while the music plays for the infusion."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import ProgressBar, Static

from companion.core import text
from companion.core.models import format_duration
from companion.ui.dialogs.confirm import ConfirmDialog
from companion.ui.stages import StagePane

VOLUME = Binding.Group("Volume", compact=True)

#: How often the position is written, so a restart resumes within this much.
POSITION_SAVE_S = 2.0


class ExperiencePane(StagePane, Vertical, can_focus=True):
    #: Every key in view at 80 columns, the most used first; the volume keys
    #: share one footer entry ("- + Volume"), named apart from Hush.
    BINDINGS = [
        Binding("m", "mark", "Mark", id="exp.mark"),
        Binding("space", "toggle_pause", "Pause", id="exp.pause"),
        Binding("minus", "volume(-1)", "Vol down", id="exp.softer", group=VOLUME),
        Binding("plus,equals_sign", "volume(1)", "Vol up", id="exp.louder", group=VOLUME),
        Binding("h,s", "soften", "Hush", id="exp.soften"),
        Binding("t", "toggle_track", "Track", id="exp.track"),
        Binding("e", "end_early", "End early", id="exp.end"),
        # steering: listed last so the keys above stay in view on a narrow footer
        Binding("d", "steer(-1)", "Deeper", id="exp.deeper"),
        Binding("l", "steer(1)", "Lighter", id="exp.lighter"),
        Binding("n", "skip_gently", "Skip gently", id="exp.skip"),
        Binding("enter", "continue", "Continue", id="exp.continue"),
        # Done (Ctrl+S, or Ctrl+N) asks to end early while the music plays:
        # not in the footer, where e says it.
        Binding("ctrl+s,ctrl+n", "request_next", "Done", id="exp.done", show=False,
                priority=True),
    ]

    finished: reactive[bool] = reactive(False)
    """The music is over (the whole session, or ended early)."""
    show_track: reactive[bool] = reactive(True)
    """Whether the current track is named on screen."""

    # Messages the player's callbacks turn into (posted from the audio thread).

    @dataclass
    class Position(Message):
        seconds: float

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ExperiencePane.Position)

    @dataclass
    class TrackChanged(Message):
        title: str
        phase: str

    @dataclass
    class Notice(Message):
        text: str

    class Finished(Message):
        pass

    def __init__(self, infusion_id: int, **kwargs: Any) -> None:
        super().__init__(infusion_id, **kwargs)
        self.started = False
        self.playing = False
        """The music has been started (it may be paused)."""
        self._marks = 0
        self._track = ""
        self._phase = ""
        self._notices: list[str] = []
        self._shown_position: tuple[int, int] | None = None
        self._shown_step: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="phase")
        yield Static("00:00", id="elapsed")
        yield Static("", id="remaining")
        with Center():
            yield ProgressBar(total=100, show_eta=False, show_percentage=False, id="progress")
        yield Static("", id="track")
        yield Static("", id="status")
        yield Static("", id="notices")
        yield Static("", id="hint")

    def on_mount(self) -> None:
        self.show_track = self.app.settings.show_track
        self._saver = self.set_interval(POSITION_SAVE_S, self._save_position, pause=True)

    # --- starting and resuming ----------------------------------------------

    def shown(self) -> None:
        self.begin()
        self.focus()

    def begin(self) -> None:
        """Start (or, after a restart, resume) the music. Idempotent.

        Loading the playlist can take a while (decoding and measuring new
        tracks), so it runs in a thread; the music starts when it is ready.
        """
        if self.started:
            return
        self.started = True
        infusion = self.app.store.sessions.get(self.infusion_id)
        self._number = infusion.number  # read here: the store belongs to this thread, not the worker's
        if infusion.experience_ended_at is not None:
            self._show_position(infusion.position)
            self.finished = True
            return
        self.query_one("#status", Static).update(text.EXPERIENCE_PREPARING)
        self.run_worker(self._prepare, thread=True, exclusive=True, name="prepare-music")

    def _prepare(self) -> None:
        self.app.stop_rendering()  # the music rendered ahead for this infusion: what is not ready is made live
        self._listen(self.app.player)  # made here if it is not yet: numpy and the decoders load in this thread
        problems = self.app.load_session_playlist(self._number)
        self.app.call_from_thread(self._play, problems)

    def _listen(self, player: Any) -> None:
        """The player's callbacks, called on the audio thread, post this pane's
        messages (``post_message`` is safe from any thread)."""

        def track(info: Any) -> None:
            title, phase = (getattr(info, "title", ""), getattr(info, "phase", "")) if info else ("", "")
            self.post_message(self.TrackChanged(title, phase))

        last = [-1]

        def position(seconds: float) -> None:
            # the player reports four times a second, the screen shows whole seconds: only a
            # new second wakes the interface (each message is a wake-up of its event loop)
            if int(seconds) != last[0]:
                last[0] = int(seconds)
                self.post_message(self.Position(seconds))

        player.on_position = position
        player.on_track = track
        player.on_notice = lambda line: self.post_message(self.Notice(line))
        player.on_finished = lambda: self.post_message(self.Finished())

    def _play(self, problems: list[str]) -> None:
        app = self.app
        for line in problems:
            self._add_notice(line)
        sessions = app.store.sessions
        position = sessions.get(self.infusion_id).position
        # Through the autosave: the music plays even when the disk refuses a write.
        app.autosave.schedule(
            f"started:{self.infusion_id}", lambda: sessions.experience_started(self.infusion_id)
        )
        self.query_one("#progress", ProgressBar).update(total=max(1.0, app.player.duration))
        app.player.set_volume(app.settings.volume)
        self._restore_steering()
        app.player.start(position)
        if app.player.using_null and app.settings.audio_backend == "null":
            self._add_notice(text.SILENT_BY_CHOICE)
        self.playing = True
        self._saver.resume()
        self._show_position(position)
        self._show_status()
        self.screen.refresh_bindings()

    def _save_position(self) -> None:
        if self.finished:
            return
        player = self.app.player
        sessions = self.app.store.sessions
        position = player.position
        self.app.autosave.schedule(
            f"position:{self.infusion_id}",
            lambda: sessions.save_position(self.infusion_id, position),
        )

    # --- what the player tells us -------------------------------------------

    def on_experience_pane_position(self, message: Position) -> None:
        self._show_position(message.seconds)

    def on_experience_pane_track_changed(self, message: TrackChanged) -> None:
        self._track, self._phase = message.title, message.phase
        self._show_track()
        self.screen.refresh_bindings()  # skip gently: offered while a file plays

    def on_experience_pane_notice(self, message: Notice) -> None:
        self._add_notice(message.text)

    def on_experience_pane_finished(self, message: Finished) -> None:
        if self.finished:
            return
        player = self.app.player
        self._record_end(player.duration, early=False)
        self._show_position(player.duration)
        self.finished = True

    # --- showing --------------------------------------------------------------

    def _show_position(self, seconds: float) -> None:
        duration = self.app.player.duration or seconds
        seconds = min(seconds, duration) if duration else seconds
        # The player reports four times a second; the screen shows whole
        # seconds. Redrawing only when they change keeps the Experience cheap.
        shown = (int(seconds), int(duration))
        if shown == self._shown_position:
            return
        self._shown_position = shown
        # Only digits change from second to second: the lines keep their size, so the
        # screen repaints the two lines without laying itself out again (a layout of the
        # whole screen every second was most of the app's own work while the music played).
        # A line whose length changes (09:59 to 10:00 remaining) is laid out.
        for name, line in (
            ("#elapsed", format_duration(seconds, clock=True)),
            ("#remaining", f"elapsed · {format_duration(max(0.0, duration - seconds), clock=True)} remaining of "
                           f"{format_duration(duration, clock=True)}"),
        ):
            widget = self.query_one(name, Static)
            widget.update(line, layout=len(line) != len(str(widget.content)))
        # The bar moves by half a cell every minute or two: told only then, it is not
        # repainted (with its container) every second for nothing.
        progress = self.query_one("#progress", ProgressBar)
        steps = 2 * max(1, progress.query_one("#bar").size.width)
        step = int(seconds / duration * steps) if duration else 0
        if step != self._shown_step:
            self._shown_step = step
            progress.update(progress=seconds)

    def _show_track(self) -> None:
        phase = self._phase.capitalize() if self._phase else ""
        self.query_one("#phase", Static).update(phase)
        if self.show_track:
            label = f"♪ {self._track}" if self._track else ""
        else:
            label = "(track hidden · t to show)"
        self.query_one("#track", Static).update(label)

    def _show_status(self) -> None:
        player = self.app.player
        parts = [f"Volume {round(player.volume * 100)}%"]
        if player.softened:
            parts.append(text.EXPERIENCE_HUSHED)
        if player.paused:
            parts.append("paused · Space to resume")
        self.query_one("#status", Static).update(" · ".join(parts))
        hint = text.EXPERIENCE_FINISHED if self.finished else ""
        self.query_one("#hint", Static).update(hint)

    def _add_notice(self, line: str) -> None:
        if line in self._notices:
            return
        self._notices = (self._notices + [line])[-3:]
        self.query_one("#notices", Static).update("\n".join(self._notices))

    def watch_show_track(self, _: bool) -> None:
        self._show_track()

    def watch_finished(self, finished: bool) -> None:
        if finished:
            self._saver.pause()
        self._show_status()
        self.screen.refresh_bindings()

    # --- keys -------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        playing_only = {"toggle_pause", "volume", "soften", "mark", "end_early"}
        if action in playing_only:
            return self.playing and not self.finished
        if action == "steer":  # only where some of the sound is generated
            return self.playing and not self.finished and self.app.player.steerable
        if action == "skip_gently":  # only while a file plays
            return self.playing and not self.finished and self.app.player.can_skip_gently()
        if action == "continue":
            return self.finished
        return True

    def action_toggle_pause(self) -> None:
        self.app.player.toggle_pause()
        self._show_status()

    def action_volume(self, direction: int) -> None:
        self.app.change_volume(direction)
        self.app.player.set_volume(self.app.settings.volume)
        self._show_status()

    def action_soften(self) -> None:
        self.app.player.soften()
        self._show_status()

    def action_mark(self) -> None:
        player = self.app.player
        position, track, phase = player.position, self._track, self._phase
        sessions = self.app.store.sessions
        self._marks += 1
        self.app.autosave.schedule(
            f"moment:{self.infusion_id}:{self._marks}",
            lambda: sessions.mark_moment(self.infusion_id, position, track, phase),
        )
        if self.app.settings.mark_tone:
            player.cue()  # heard with an eye mask on, well under the music
        self.query_one("#status", Static).update(f"Moment marked at {format_duration(position, clock=True)}")
        self.set_timer(4.0, self._show_status)

    def _record_change(self, position: float, note: str, status: str) -> None:
        """A change to the music, kept like a marked moment (its note says which)."""
        sessions = self.app.store.sessions
        track, phase = self._track, self._phase
        self._marks += 1
        self.app.autosave.schedule(
            f"moment:{self.infusion_id}:{self._marks}",
            lambda: sessions.mark_moment(self.infusion_id, position, track, phase, note=note),
        )
        self.query_one("#status", Static).update(status)
        self.set_timer(6.0, self._show_status)

    def action_steer(self, direction: int) -> None:
        at = self.app.player.steer(direction)
        if at is None:
            which = "deep" if direction < 0 else "light"
            self.query_one("#status", Static).update(text.EXPERIENCE_STEER_LIMIT.format(which=which))
            self.set_timer(4.0, self._show_status)
            return
        if direction < 0:
            self._record_change(at, text.MUSIC_DEEPER_NOTE, text.EXPERIENCE_DEEPER)
        else:
            self._record_change(at, text.MUSIC_LIGHTER_NOTE, text.EXPERIENCE_LIGHTER)

    def action_skip_gently(self) -> None:
        player = self.app.player
        position = player.position
        if not player.skip_gently():
            self.query_one("#status", Static).update(text.EXPERIENCE_NO_SKIP)
            self.set_timer(4.0, self._show_status)
            return
        self._record_change(position, text.MUSIC_SKIPPED_NOTE, text.EXPERIENCE_SKIPPING)

    def _restore_steering(self) -> None:
        """After a restart: the deeper / lighter changes made before it, at their times."""
        steps = {text.MUSIC_DEEPER_NOTE: -1, text.MUSIC_LIGHTER_NOTE: 1}
        for moment in self.app.store.sessions.moments(self.infusion_id):
            if moment.note in steps:
                self.app.player.steer(steps[moment.note], at=moment.position)

    def _record_end(self, position: float, early: bool) -> None:
        sessions = self.app.store.sessions
        self.app.autosave.schedule(
            f"ended:{self.infusion_id}",
            lambda: sessions.experience_ended(self.infusion_id, position, early=early),
        )
        self.app.autosave.flush()
        self.app.render_scores_ahead(self._number + 1, resume=True)  # the next one's, while this one is written up

    def action_toggle_track(self) -> None:
        self.show_track = not self.show_track

    def action_end_early(self) -> None:
        def decided(end: bool | None) -> None:
            if not end or self.finished:
                return
            player = self.app.player
            position = player.position
            player.stop()
            self._record_end(position, early=True)
            self.finished = True
            self.screen.go_next()

        self.app.push_screen(ConfirmDialog(text.EXPERIENCE_END_EARLY, yes="End the music"), decided)

    def action_continue(self) -> None:
        self.screen.go_next()

    def action_request_next(self) -> None:
        self.request_next()

    def request_next(self) -> None:
        """Ctrl+S in the Experience: continue when over, else ask to end early."""
        if self.finished:
            self.screen.go_next()
        elif self.playing:
            self.action_end_early()
