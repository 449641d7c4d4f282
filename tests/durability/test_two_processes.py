"""Two processes on one database under a loop of writes: the app's way of
saving (the Store, autosave-style updates) and `companion note` / an export at
the same time. No "database is locked", no lost write."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from companion.store import Store

WRITES = 60


def test_the_app_writing_and_companion_note_in_a_loop_both_succeed(paths):
    Store.open(paths.database).close()
    app_like = textwrap.dedent(f"""
        from pathlib import Path
        from companion.store import Store
        store = Store.open(Path({str(paths.database)!r}))
        infusion = store.sessions.begin()
        text = ""
        for n in range({WRITES}):
            text += f" w{{n}}"
            store.journal.save_for(infusion.id, "intention", "", text.strip())
            store.sessions.mark_moment(infusion.id, float(n), "", "")
        store.close()
        print("app done")
    """)
    writer = subprocess.Popen([sys.executable, "-c", app_like], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    notes = []
    for n in range(WRITES // 4):
        notes.append(subprocess.run([sys.executable, "-m", "companion", "note", f"note {n}"],
                                    capture_output=True, text=True))
    exported = subprocess.run(
        [sys.executable, "-m", "companion", "export", "--format", "json",
         "--out", str(paths.home / "out.json"), "--include-private"],
        capture_output=True, text=True)
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0 and "locked" not in err, err
    for result in notes:
        assert result.returncode == 0, result.stderr
        assert "locked" not in result.stderr
    assert exported.returncode == 0, exported.stderr
    json.loads((paths.home / "out.json").read_text(encoding="utf-8"))
    store = Store.open(paths.database)
    try:
        texts = {e.text for e in store.journal.search("") for e in [e.entry]}
        assert {f"note {n}" for n in range(WRITES // 4)} <= texts
        infusion = store.sessions.current()
        assert store.journal.find(infusion.id, "intention").text == " ".join(
            f"w{n}" for n in range(WRITES))
        assert len(store.sessions.moments(infusion.id)) == WRITES
    finally:
        store.close()
