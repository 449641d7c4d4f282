"""The Textual app and the one factory that builds it for the CLI and the tests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
import gc
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.theme import Theme

from companion import settings as settings_file
from companion.core import text
from companion.core.clock import Clock
from companion.core.stages import Stage
from companion.paths import Paths
from companion.settings import Settings
from companion.store import Store
from companion.ui.autosave import FLUSH_INTERVAL_S, Autosaver, is_write_problem
from companion.ui.dialogs.confirm import ConfirmDialog
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.lock import IdleLock

if TYPE_CHECKING:
    from companion.audio.player import Player
    from companion.audio.scores import Renderer
    from companion.core.playlist import Playlist

VOLUME_STEP = 0.05
#: The same key on every screen for the crisis contacts in full (no text box
#: takes it; the crisis line at the bottom of the writing screens names it).
CRISIS_KEY = "f2"
#: Seconds without a key after Home's first frame before the warm-up starts.
WARM_AFTER_S = 0.3
#: Every screen's styles but Home's: read after Home's first frame (load_screen_styles).
SCREEN_STYLES = Path(__file__).with_name("screens.tcss")


def _is_session(screen: object) -> bool:
    """Whether ``screen`` is an infusion's session. The session's screens (the
    four stages, the text areas) are imported when one is first opened, not
    before Home is drawn: no session is open until then."""
    module = sys.modules.get("companion.ui.screens.session")
    return module is not None and isinstance(screen, module.SessionScreen)


class CompanionApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = text.APP_TITLE
    SUB_TITLE = text.APP_SUBTITLE
    #: Screens below 100 columns get the class -narrow (below 70, -tiny): a
    #: layout that fits 80 (and 60) columns without cutting anything (issue 15).
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (70, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("f1,question_mark", "keys", "Keys", id="app.keys", key_display="?"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("ctrl+l", "lock", "Lock", id="app.lock", show=False),
        Binding(CRISIS_KEY, "crisis", "Crisis contacts", id="app.crisis", show=False,
                priority=True),
    ]

    def __init__(self, settings: Settings, store: Store,
                 make_player: "Callable[[], Player]", clock: Clock,
                 paths: Paths | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.store = store
        # What makes the player (make_app): the audio (numpy, the decoders) is
        # imported after Home is drawn, in a thread, instead of before (issue 18).
        # Whoever needs it first waits.
        self._player: "Player | None" = None
        self._make_player = make_player
        self._player_lock = threading.Lock()
        self._renderer: "Renderer | None" = None  # the generated music rendered ahead (made when first started)
        self._render_lock = threading.Lock()
        self._render_held = False  # an Experience plays: no rendering
        self.clock = clock
        self.paths = paths
        self.autosave = Autosaver(self._save_failed, self._save_recovered, self._end_failed_write)
        self.open_capture: Any = None
        """Opens the microphone (None: the default device); tests give a recording."""
        self.told: list[str] = []
        """Every line the app has told the patient in a toast, in order."""
        self.idle_lock = IdleLock(self)
        """Locks an encrypted journal after the idle time, never in Experience."""
        self._last_input = time.monotonic()  # the last key or click (the warm-up waits for quiet)

    @property
    def player(self) -> "Player":
        if self._player is None:
            with self._player_lock:
                if self._player is None:
                    self._player = self._make_player()
        return self._player  # type: ignore[return-value]

    @property
    def player_ready(self) -> bool:
        """The player exists (closing the app closes it only then)."""
        return self._player is not None

    def notify(self, message: str, **kwargs: Any) -> None:  # type: ignore[override]
        """Tell the patient something in a toast; ``told`` keeps every line
        told, in order (what a test, or a crash report, can read back)."""
        self.told.append(str(message))
        super().notify(message, **kwargs)

    def release(self) -> None:
        """Close what the app holds: the player (if it was made), a renderer, the store."""
        with self._player_lock:
            if self._player is not None:
                self._player.close()
        self.stop_rendering()
        self.store.close()

    def _warm_when_quiet(self) -> None:
        """After Home's first frame, once no key has come for WARM_AFTER_S:
        the other screens' styles, then the warm-up thread. A key pressed as
        Home appears is answered first, not while the warm-up's imports take
        the interpreter in turns with it (what that key needs, it loads)."""
        quiet = time.monotonic() - self._last_input
        if quiet < WARM_AFTER_S:
            self.set_timer(WARM_AFTER_S - quiet, self._warm_when_quiet)
            return
        self.load_screen_styles()
        self._collect_start_up()
        self._warm_player()

    @staticmethod
    def _collect_start_up() -> None:
        """``companion`` starts with the garbage collector off (cli/app.py):
        the imports and Home's first frame make some fifty thousand objects,
        and collecting them over and over on the way cost about 18 ms. Here,
        once, what was garbage goes, what lives on (modules, classes, styles)
        is set aside where later collections need not walk it again, and the
        collector is on for good."""
        if not gc.isenabled():
            gc.collect()
            gc.freeze()
            gc.enable()

    def _warm_player(self) -> None:
        """After the first frame: make the player (and load what the store's
        writes need) in a thread, so the first key that needs it finds it ready."""
        if self._player is None:
            threading.Thread(target=self._warm, name="player-warm", daemon=True).start()

    def _warm(self) -> None:
        """In the warm-up thread: the player, then the store's table library
        (sqlite-utils), which Home's first frame did without, and the dialogs
        every screen opens (keys, crisis contacts, too small)."""
        from companion.store import prepare

        try:
            self.player
        finally:
            prepare()
            import companion.ui.dialogs.crisis
            import companion.ui.dialogs.keys
            import companion.ui.dialogs.too_small  # noqa: F401
        try:
            self.call_from_thread(self.render_scores_ahead)
        except RuntimeError:  # the app closed meanwhile
            pass

    # --- the generated music rendered ahead (issue 18) ---------------------------

    def render_scores_ahead(self, infusion_number: int | None = None, resume: bool = False) -> None:
        """Between infusions: render, in a low-priority process, the generated music the
        next Experience will play (``infusion_number``'s, by default the next infusion's),
        so the infusion decodes it like a recording. Nothing waits for it. Not while an
        Experience plays: ``resume`` says it has ended."""
        if self.paths is None or not self.settings.render_ahead:
            return
        if resume:
            self._render_held = False
        if infusion_number is None:
            infusion_number = self._next_infusion_number()
        known, _ = self._chosen_playlist()  # the one the patient knows is kept too, whatever is chosen now
        playlist = self._variation(known, infusion_number)
        folder = self.paths.scores

        def start() -> None:
            from companion.audio.scores import Renderer, scores_of

            rate = self.player.rate
            with self._render_lock:
                if self._render_held:
                    return
                if self._renderer is None:
                    self._renderer = Renderer(folder)
                self._renderer.start(scores_of(playlist, rate), keep=scores_of(known, rate))

        threading.Thread(target=start, name="scores-ahead", daemon=True).start()

    def stop_rendering(self) -> None:
        """An Experience is about to play: the renderer gives the computer back, and none
        starts until the Experience has ended."""
        with self._render_lock:
            self._render_held = True
            renderer = self._renderer
        if renderer is not None:
            renderer.stop()

    def _next_infusion_number(self) -> int:
        sessions = self.store.sessions
        current = sessions.current()
        if current is None:
            return len(sessions.all()) + 1
        return current.number + 1 if current.experience_ended_at is not None else current.number

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._theme_chosen)
        self.set_interval(FLUSH_INTERVAL_S, self.autosave.flush)
        self.idle_lock.start()
        for problem in self.settings.problems:
            self.notify(problem, severity="warning", timeout=10)
        self.push_screen(HomeScreen())
        self.call_after_refresh(self._keep_interrupted_voice)  # after Home's first frame
        if self.store.sessions.current() is not None:
            self.open_session()
        self.call_after_refresh(self._check_size)
        self.call_after_refresh(self._warm_when_quiet)

    def _keep_interrupted_voice(self) -> None:
        """A recording the last run could not finish (the app was killed, the
        power went): what was saved of it is kept with its page, or as a
        page of its own, and the patient is told."""
        from companion.core.models import format_duration

        try:
            for recording in self.store.recordings.unfinished():
                length = format_duration(recording.seconds)
                entry_id = recording.entry_id
                if entry_id is None and recording.moment_id is None:  # a moment's voice stays with its moment
                    entry_id = self.store.journal.add(text.VOICE_NOTE_TEXT.format(length=length)).id
                self.store.recordings.finish(recording.id, entry_id=entry_id)
                self.notify(text.VOICE_INTERRUPTED_KEPT.format(length=length), timeout=15)
        except Exception as exc:  # a full or read-only disk: the next start tries again
            if not is_write_problem(exc):
                raise

    def on_resize(self) -> None:
        self.call_after_refresh(self._check_size)

    def _check_size(self) -> None:
        """Below 60x20 one line says so; the screen comes back when it fits."""
        # Here, and the keys and crisis dialogs in their actions: none is
        # needed for Home's first frame (about 2 ms of imports before it).
        from companion.ui.dialogs.too_small import TooSmallScreen, too_small

        small = too_small(*self.size)
        if small and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen())
        elif isinstance(self.screen, TooSmallScreen):
            if small:
                self.screen.show_size()
            else:
                self.pop_screen()

    def open_session(self) -> None:
        infusion = self.store.sessions.begin(self.settings.playlist)
        from companion.ui.screens.session import SessionScreen

        self.push_screen(SessionScreen(infusion.id))

    def load_session_playlist(self, infusion_number: int = 0) -> list[str]:
        """Load the chosen playlist into the player; problems come back as lines. With
        music_variation = "new", the generated music is the infusion's own variation."""
        playlist, problems = self._session_playlist(infusion_number)
        return problems + list(self.player.load(playlist))

    def _session_playlist(self, infusion_number: int) -> tuple["Playlist", list[str]]:
        """The playlist an infusion plays (its variation), and what was wrong choosing it."""
        playlist, problems = self._chosen_playlist()
        return self._variation(playlist, infusion_number), problems

    def _chosen_playlist(self) -> tuple["Playlist", list[str]]:
        """The playlist the settings name, as written, and what was wrong reading it."""
        from companion.core.playlist import PlaylistError, default_playlist, load_playlist

        search = [self.paths.playlists] if self.paths else []
        try:
            return load_playlist(self.settings.playlist, search), []
        except PlaylistError as exc:
            return default_playlist(), [f"{exc} Playing the default playlist instead."]

    def _variation(self, playlist: "Playlist", infusion_number: int) -> "Playlist":
        """With music_variation = "new", the generated music is the infusion's own variation."""
        from companion.core.playlist import with_variation

        return with_variation(playlist, infusion_number) if self.settings.music_variation == "new" else playlist

    def save_rating(self, infusion_id: int, timing: str, name: str, value: int | None) -> None:
        """A rating before or after the infusion, saved through the autosave."""
        sessions = self.store.sessions
        self.autosave.schedule(
            f"{timing}:{name}:{infusion_id}",
            lambda: sessions.save_rating(infusion_id, timing, name, value),
        )

    def change_volume(self, direction: int) -> None:
        volume = round(min(1.0, max(0.0, self.settings.volume + direction * VOLUME_STEP)), 2)
        self.settings = replace(self.settings, volume=volume)
        if self.paths is not None:
            try:
                settings_file.save(self.settings, self.paths.settings)
            except OSError:
                self.notify("The volume could not be saved for next time.", severity="warning")

    def _theme_chosen(self, theme: Theme) -> None:
        """The theme chosen in the palette is kept in settings.toml for the next start."""
        if theme.name == self.settings.theme:
            return
        self.settings = replace(self.settings, theme=theme.name)
        if self.paths is not None:
            try:
                settings_file.save(self.settings, self.paths.settings)
            except OSError:
                self.notify(text.THEME_NOT_SAVED, severity="warning")

    # --- keys, help and the command palette (issue 15) -------------------------

    def action_keys(self) -> None:
        """? or F1: the keys of the screen underneath, in one list."""
        from companion.ui.dialogs.keys import KeysDialog, screen_keys

        screen = self.screen
        if isinstance(screen, KeysDialog):
            return
        name = text.SCREEN_NAMES.get(type(screen).__name__, "")
        if _is_session(screen):
            name = screen.stage.value.capitalize()
        self.push_screen(KeysDialog(text.KEYS_TITLE.format(screen=name), screen_keys(self, screen)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "command_palette":
            # No bright overlay on the dark Experience, and nothing behind the lock.
            return not (self._experience_shown() or self.idle_lock.locked)
        return True

    def _experience_shown(self) -> bool:
        return any(_is_session(s) and s.is_mounted and s.stage is Stage.EXPERIENCE
                   for s in self.screen_stack)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers the app's own actions. No Screenshot: an SVG of
        the screen would leave the journal's words in plain text on disk."""
        if self._experience_shown() or self.idle_lock.locked:
            return
        in_session = any(_is_session(s) for s in self.screen_stack)
        for action, title, help_text in text.PALETTE_COMMANDS:
            if action == "begin" and in_session:
                continue
            if action == "lock" and not self.idle_lock.can_lock():
                continue
            yield SystemCommand(title, help_text, self._palette_callback(action))
        yield SystemCommand(*text.PALETTE_THEME, self.action_change_theme)
        yield SystemCommand(*text.PALETTE_QUIT, self.action_quit)

    def _palette_callback(self, action: str) -> Any:
        async def run() -> None:
            if action == "lock":
                self.action_lock()
                return
            home = next((s for s in self.screen_stack if isinstance(s, HomeScreen)), None)
            if home is None:
                return
            if action == "new_page":
                await home.run_action("journal")
                await self.screen.run_action("new")
                return
            await home.run_action(action)

        return run

    def load_screen_styles(self) -> None:
        """The styles of every screen but Home (``screens.tcss``). Home's first
        frame needs only ``app.tcss``, a quarter of the rules, so these are
        read just after it, or before any other screen opens if that is
        sooner. The rules already parsed come from the stylesheet's cache."""
        if self.stylesheet.has_source(str(SCREEN_STYLES)):
            return
        self.stylesheet.read(SCREEN_STYLES)
        self.stylesheet.parse()
        self.stylesheet.update(self)

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """Every dialog over the Experience keeps its dark background."""
        if not isinstance(screen, HomeScreen):
            self.load_screen_styles()
        if isinstance(screen, ModalScreen) and self._experience_shown():
            screen.add_class("-dark")
        if isinstance(screen, Screen):
            self._width_class(screen)
        return super().push_screen(screen, *args, **kwargs)

    def _width_class(self, screen: Screen) -> None:
        """Give a screen its width class (-tiny, -narrow, -wide) before it is
        first styled. Textual gives it on the screen's first Resize, and
        styles every widget of it again then: for Home, about 5 ms before its
        first frame (issue 18). The same rule as Textual's (Screen._on_resize):
        the highest breakpoint the width reaches."""
        breakpoints = screen.HORIZONTAL_BREAKPOINTS
        if breakpoints is None:
            breakpoints = self.HORIZONTAL_BREAKPOINTS
        width = self.size.width
        reached = next((name for edge, name in sorted(breakpoints or [], reverse=True)
                        if width >= edge), None)
        screen.update_classes({name: name == reached for _edge, name in breakpoints or []},
                              update=False)

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Textual's screenshot would write the screen, the journal included, as
        plain text into the current folder: this app takes none."""

    def _save_failed(self, message: str) -> None:
        self.notify(message, severity="error", timeout=15)

    def _save_recovered(self) -> None:
        self.notify("Saving works again; everything is saved.")

    def _end_failed_write(self) -> None:
        self.store.end_failed_write()

    async def run_action(self, action: Any, default_namespace: Any = None,
                         namespaces: Any = None) -> bool:
        """Every key's action; a write the disk refuses (full, read-only) is
        told to the patient instead of closing the app. The patient's text
        waits in the autosave and is retried; the key can be pressed again."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as exc:
            if not is_write_problem(exc):
                raise
            self.autosave.report(exc)
            return True

    async def on_event(self, event: Any) -> None:
        self.idle_lock.touch(event)  # keys and the mouse keep the app unlocked
        if isinstance(event, (events.Key, events.MouseDown)):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def _fatal_error(self) -> None:
        """Textual's crash report, without the local variables it shows by
        default (``Traceback(show_locals=True)`` in ``App._fatal_error``): a
        passphrase or a journal entry can be one of them, and nothing secret
        may reach the terminal. The report goes out through ``App.panic``."""
        import rich
        from rich.traceback import Traceback

        self.bell()
        self.panic(Traceback(show_locals=False, width=None, suppress=[rich]))

    def action_lock(self) -> None:
        self.idle_lock.lock()

    def action_crisis(self) -> None:
        from companion.ui.dialogs.crisis import CrisisDialog

        if not isinstance(self.screen, CrisisDialog):
            self.push_screen(CrisisDialog(self.settings.crisis_contacts))

    def _in_experience(self) -> bool:
        screen = self.screen
        if not _is_session(screen) or screen.stage is not Stage.EXPERIENCE:
            return False
        from companion.ui.stages.experience import ExperiencePane

        pane = screen.query_one(ExperiencePane)
        return pane.playing and not pane.finished

    async def action_quit(self) -> None:
        self.autosave.flush()
        if self.autosave.pending:  # the disk refused: leaving now would lose the text
            def leave_anyway(leave: bool | None) -> None:
                if leave:
                    self._close_session()
                    self.exit(0)

            self.push_screen(ConfirmDialog(text.UNSAVED_ON_QUIT, yes="Quit anyway"), leave_anyway)
            return
        if self._in_experience():
            def decided(leave: bool | None) -> None:
                if leave:
                    self._close_session()
                    self.exit(0)

            self.push_screen(
                ConfirmDialog("Quit now? The music will stop. You can resume where you were.",
                              yes="Quit"),
                decided,
            )
            return
        self._close_session()
        self.exit(0)

    def _close_session(self) -> None:
        screen = self.screen
        if _is_session(screen) and self._in_experience():
            sessions = self.store.sessions
            infusion_id, position = screen.infusion_id, self.player.position
            self.autosave.schedule(
                f"position:{infusion_id}", lambda: sessions.save_position(infusion_id, position)
            )
        self.autosave.flush()
        if self.player_ready:
            self.player.close()

    def on_unmount(self) -> None:
        self.autosave.flush()


def make_app(paths: Paths, *, clock: Clock | None = None, audio_backend: str | None = None,
             settings: Settings | None = None, store: Store | None = None) -> CompanionApp:
    """The app, assembled in one place for the command line and the tests alike.

    ``settings`` are read from the home unless given; ``audio_backend``
    overrides theirs (the tests play to the NULL device). The store is opened
    on the home's database unless given (the command line opens it first, to
    offer a good copy of a damaged one). The player is made after the first
    frame, in a thread (numpy and the decoders are not needed to draw Home);
    whoever needs it first waits. ``app.release()`` closes what was opened.
    """
    from companion.core.clock import SystemClock

    clock = clock or SystemClock()
    settings = settings or settings_file.load(paths.settings)
    if audio_backend is not None:
        settings = replace(settings, audio_backend=audio_backend)
    store = store or Store.open(paths.database, clock)
    backend = settings.audio_backend

    def make_player() -> "Player":
        from companion.audio.player import Player

        return Player(backend=backend, cache_path=paths.analysis_cache,
                      scores_path=paths.scores if settings.render_ahead else None)

    return CompanionApp(settings, store, make_player, clock, paths)
