"""Textual's crash report, when something unexpected happens in the app,
shows no local variable (a passphrase or a journal entry may be one), and
the shell hears of the crash (exit status 1, not 0)."""

from __future__ import annotations

import pytest

import sys
import time

from tests.ptyapp import PtyProcess

SECRET = "SECRET-in-a-local-7319"

# The secret is built at run time, so that only the crash report's display of
# local variables (not the source lines it quotes) could show it.
SCRIPT = f"""
import sys
from companion.cli import main
from companion.ui.app import CompanionApp

def action_lock(self):
    passphrase = "".join(reversed({SECRET[::-1]!r}))
    raise RuntimeError("an error nobody expected")

CompanionApp.action_lock = action_lock
sys.exit(main([]))
"""


@pytest.mark.slow
def test_the_crash_report_shows_no_local_variable(paths) -> None:
    paths.settings.write_text('audio_backend = "null"\n', encoding="utf-8")
    app = PtyProcess([sys.executable, "-c", SCRIPT], env={"COMPANION_HOME": str(paths.home)})
    try:
        app.wait_for(b"Begin session")
        app.send(b"\x0c")  # Ctrl+L: the patched action raises
        deadline = time.monotonic() + 30
        while app.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # the last of the output
        output = bytes(app.output)
        assert app.process.returncode == 1
        assert b"an error nobody expected" in output  # the report is there ...
        assert SECRET.encode() not in output  # ... without the local variable
    finally:
        app.kill()
