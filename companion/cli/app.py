"""``companion`` with no command: the app itself, in the terminal."""

from __future__ import annotations

import gc
import sys

from companion.cli.errors import Failure, open_store
from companion.paths import Paths


def _one_malloc_arena() -> None:
    """Let every thread allocate from glibc's one main arena. By default each thread that
    allocates (the UI, the music's producer, the device callback) gets an arena of its own,
    and memory freed in one is not reused by another: 7 MB more peak RSS through the
    Experience (101 MB against 94), for no speed gained (the threads take the GIL anyway).
    Must run before the threads start; elsewhere than glibc it does nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.mallopt(-8, 1)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


def run(paths: Paths) -> int:
    _one_malloc_arena()
    # Off until Home's first frame is drawn and the keys are quiet; the app
    # collects once then, and turns it on (CompanionApp._collect_start_up).
    gc.disable()
    try:
        return _run(paths)
    finally:
        gc.enable()


def _run(paths: Paths) -> int:
    from companion.core.clock import SystemClock
    from companion.ui.app import make_app

    if not sys.stdout.isatty():
        raise Failure("the app needs a terminal; see `companion --help` for the commands.")
    try:
        store = open_store(paths)
    except Failure as exc:  # a damaged database: one screen offers the newest good copy
        from companion.ui.screens.damaged import offer_backup

        restored = offer_backup(paths, exc.__cause__)
        if restored is None:
            raise
        if not restored:
            from companion.core import text

            raise Failure(text.DAMAGED_QUIT_LINE.format(path=paths.database)) from None
        store = open_store(paths)
    app = make_app(paths, clock=SystemClock(), store=store)
    try:
        code = app.run()
    finally:
        app.release()
    if app.return_code:  # a crash: Textual printed its report, the shell hears of it
        return app.return_code
    return code or 0


