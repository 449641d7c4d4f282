"""The layers of DESIGN.md, checked in a fresh interpreter each.

core/ is pure Python; store/, audio/ and export/ are headless (no Textual).
"""

import json
import subprocess
import sys

import pytest

UI = {"textual", "rich"}
HEAVY = {"textual", "rich", "pydub", "miniaudio", "sqlite_utils", "numpy"}

SCRIPT = """
import importlib, json, pkgutil, sys
package = importlib.import_module({package!r})
for info in pkgutil.walk_packages(package.__path__, {package!r} + "."):
    importlib.import_module(info.name)
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}})))
"""


def loaded_by(package: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(package=package)],
        capture_output=True, text=True, check=True,
    ).stdout
    return set(json.loads(out))


def test_core_imports_nothing_but_the_standard_library():
    assert loaded_by("companion.core") & HEAVY == set()


@pytest.mark.parametrize("package", ["companion.store", "companion.audio", "companion.export"])
def test_headless_packages_do_not_import_the_ui(package):
    assert loaded_by(package) & UI == set()


def test_the_store_opens_a_journal_without_loading_numpy(tmp_path):
    # numpy is the largest import sqlite-utils would pull in before Home is
    # drawn; the store never needs it (the music loads it when it starts).
    script = (
        "import sys; from pathlib import Path; from companion.store import Store; "
        f"s = Store.open(Path({str(tmp_path / 'c.db')!r})); "
        "s.journal.add('a line'); "
        "print(s.journal.count(), 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "False"]


START_SCRIPT = """
import json, sys
import companion.cli as cli
from companion.ui import app as ui_app

def first_frame(self, *args, **kwargs):  # stands in for App.run: what is loaded by now
    print(json.dumps(sorted(sys.modules)))
    return 0

ui_app.CompanionApp.run = first_frame
sys.stdout.isatty = lambda: True
cli.main([])
"""


def test_nothing_the_first_frame_does_not_need_is_imported_before_it(paths):
    """The music (numpy, the decoders), the charts, the PDF, the export, the
    session's screens and the encryption library wait until they are used:
    Home is drawn first. (Not the first start ever: that one makes the
    database with sqlite-utils' migrations.)"""
    from companion.store import Store

    Store.open(paths.database).close()
    out = subprocess.run([sys.executable, "-c", START_SCRIPT], capture_output=True, text=True,
                         check=True, env={**__import__("os").environ, "COMPANION_HOME": str(paths.home)})
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    roots = {name.split(".")[0] for name in loaded}
    assert roots & {"numpy", "miniaudio", "pydub", "soxr", "fpdf", "textual_plotext",
                    "plotext", "sqlcipher3", "cryptography", "keyring",
                    # sqlite-utils and what it brings: the store reads Home's data without them
                    "sqlite_utils", "click", "dateutil", "pluggy"} == set()
    # Nor the shell commands' modules (``companion`` alone builds no command parsers).
    assert not any(name in loaded for name in ("companion.cli.export", "companion.cli.playlist",
                                               "companion.cli.backup", "companion.cli.doctor"))
    assert not any(name.startswith("companion.audio") for name in loaded)
    # Nor the export (the help of `companion export` is written without it), nor an
    # infusion's screens: no session is open before Home is drawn.
    assert not any(name.startswith(("companion.export", "companion.ui.stages")) for name in loaded)
    assert "companion.ui.screens.session" not in loaded
    # Nor the store's aggregates Home does not read (made when first used).
    assert not any(name in loaded for name in ("companion.store.journal", "companion.store.exports",
                                               "companion.store.recordings", "companion.store.tables"))
    # Nor, for a plain journal, the key derivation and the passphrase prompt;
    # nor argparse: ``companion`` alone has no arguments to parse.
    assert loaded & {"hashlib", "hmac", "getpass", "argparse"} == set()
    assert "companion.store" in loaded and "textual.app" in loaded  # what Home does need


HOME_SCRIPT = """
import json, sys
from companion.core.clock import SystemClock
from companion.paths import resolve
from companion.store import Store
from companion.ui import app as ui_app

ui_app.CompanionApp._warm_player = lambda self: None  # the warm-up loads the rest after the frame
paths = resolve()
app = ui_app.make_app(paths, clock=SystemClock(), audio_backend="null",
                      store=Store.open(paths.database))

async def drawn(pilot):
    await pilot.pause()
    home = app.screen
    lines = [str(w.render()) for w in home.query("#series, #timing")]
    print(json.dumps([type(home).__name__, lines, sorted(sys.modules)]))
    app.exit()

app.run(headless=True, auto_pilot=drawn)
app.release()
"""


def test_home_is_drawn_with_the_patients_data_before_sqlite_utils_is_loaded(paths):
    """Home's first frame reads the journal with plain SQL: sqlite-utils (and
    click, dateutil, pluggy with it) loads after it, in the warm-up thread."""
    from datetime import datetime

    from companion.core.clock import FakeClock
    from companion.store import Store

    store = Store.open(paths.database, FakeClock(datetime.now().astimezone()))
    infusion = store.sessions.begin()
    while store.sessions.get(infusion.id).stage.value != "complete":
        store.sessions.advance(infusion.id)
    store.close()
    out = subprocess.run([sys.executable, "-c", HOME_SCRIPT], capture_output=True, text=True,
                         check=True, env={**__import__("os").environ, "COMPANION_HOME": str(paths.home)})
    screen, lines, loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert screen == "HomeScreen"
    assert "Infusion 2 of 6" in " ".join(lines)  # the patient's data is on it
    roots = {name.split(".")[0] for name in loaded}
    assert roots & {"sqlite_utils", "click", "dateutil", "pluggy", "numpy"} == set()


async def test_the_garbage_collector_is_on_again_once_home_is_drawn_and_quiet(build_app):
    """``companion`` starts with the collector off (cli/app.py); the app must
    turn it back on, or a long session would never free a cycle."""
    import gc

    from companion.ui.screens.home import HomeScreen
    from tests.ui.helpers import wait_until

    gc.disable()
    try:
        app = build_app()
        async with app.run_test() as pilot:
            await wait_until(pilot, gc.isenabled, timeout=10)
            assert isinstance(app.screen, HomeScreen)
    finally:
        gc.enable()
        gc.unfreeze()
