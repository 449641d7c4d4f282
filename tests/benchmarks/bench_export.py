"""Export speed from a large home: 1,000 infusions and 10,000 journal entries.

The home also holds a FIQR after every infusion and an ACR 2016 self-report
after every fifth, so the report carries scores and their charts.

Targets (issue 5): JSON export under 1 s, PDF under 10 s. Beside ours, jrnl's
JSON export of the same 10,000 entries (``jrnl --export json``), where jrnl
can be run (``uvx --from jrnl``); its figure includes jrnl's start-up, so
ours is given both in-process and as a ``companion export`` process.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from companion.core import measures as m
from companion.export import export
from companion.export.selection import Selection
from companion.store import Store

INFUSIONS = 1000
ENTRIES = 10_000
#: A FIQR after every infusion and an ACR 2016 body map after every fifth.
FIQRS = INFUSIONS
ACRS = INFUSIONS // 5
WORDS = ("quiet warm heavy light pain ease lake grandmother music breath body hands "
         "sleep tired hopeful afraid calm Zärtlichkeit спокойно grateful wave colour").split()


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def build_home(home: Path) -> list[tuple[datetime, str]]:
    """Fill a database directly (fast) with the shape the app writes."""
    rng = random.Random(5)
    store = Store.open(home / "companion.db")
    start = datetime(2020, 1, 6, 9, 0, tzinfo=timezone.utc)
    infusions, ratings, moments, entries, journal = [], [], [], [], []
    questionnaires = []
    for i in range(1, INFUSIONS + 1):
        day = start + timedelta(days=2 * i)
        stamp = day.isoformat(timespec="seconds")
        infusions.append((i, i, "complete", stamp, stamp, stamp, stamp,
                          json.dumps({"nausea": rng.random() < 0.2, "urinary": rng.random() < 0.02})))
        for timing in ("pre", "post"):
            ratings.append((i, timing, rng.randint(0, 10), rng.randint(0, 10), rng.randint(0, 10), stamp))
        moments.append((i, rng.uniform(0, 5100), "Track", "plateau", stamp, ""))
        done = (day + timedelta(hours=5)).isoformat(timespec="seconds")
        level = max(0, 8 - i // 150)
        items = {k: min(10, max(0, level + rng.randint(-2, 2))) for k in m.FIQR_ITEMS}
        answers = {"instrument": m.FIQR_SERIAL_INSTRUMENT, "version": m.FIQR_SERIAL_VERSION,
                   "items": items}
        questionnaires.append(("fiqr", json.dumps(answers), i, done))
        if i % (INFUSIONS // ACRS) == 0:
            acr = m.acr2016_answers_to_dict(m.Acr2016Answers(
                painful_areas=frozenset(rng.sample(m.ACR_AREAS, rng.randint(0, 19))),
                fatigue=rng.randint(0, 3), unrefreshed=rng.randint(0, 3), cognitive=rng.randint(0, 3),
                headaches=rng.randint(0, 1), abdominal=rng.randint(0, 1),
                depression=rng.randint(0, 1), three_months=True))
            questionnaires.append(("acr2016", json.dumps(acr), i, done))
    for n in range(ENTRIES):
        inf = n % INFUSIONS + 1
        when = start + timedelta(days=2 * inf, hours=3 + n % 7)
        body = " ".join(_sentence(rng, rng.randint(8, 30)) for _ in range(rng.randint(1, 4)))
        kind = "intention" if n < INFUSIONS else ("integration" if n < 3 * INFUSIONS else "note")
        stamp = when.isoformat(timespec="seconds")
        entries.append((inf if kind != "note" else None, kind, "experience" if kind == "integration" else "",
                        body, json.dumps(["sleep"] if n % 5 == 0 else []), stamp, stamp, stamp[:10]))
        journal.append((when, body))
    db = store.db
    with db.atomic():
        db.conn.executemany(
            "insert into infusions (id, number, stage, created_at, stage_changed_at, "
            "experience_started_at, completed_at, side_effects) values (?,?,?,?,?,?,?,?)", infusions)
        db.conn.executemany(
            "insert into ratings (infusion_id, timing, pain, mood, anxiety, recorded_at) "
            "values (?,?,?,?,?,?)", ratings)
        db.conn.executemany(
            "insert into moments (infusion_id, position, track, phase, created_at, note) "
            "values (?,?,?,?,?,?)", moments)
        db.conn.executemany(
            "insert into entries (infusion_id, kind, prompt, text, tags, created_at, updated_at, day) "
            "values (?,?,?,?,?,?,?,?)", entries)
        db.conn.executemany(
            "insert into questionnaires (kind, status, answers, infusion_id, created_at, "
            "updated_at, completed_at) values (?, 'complete', ?, ?, ?4, ?4, ?4)", questionnaires)
    store.close()
    return journal


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _jrnl(tmp: Path, journal: list[tuple[datetime, str]]) -> float | None:
    uvx = shutil.which("uvx")
    if uvx is None:
        return None
    text_file = tmp / "jrnl.txt"
    with text_file.open("w", encoding="utf-8") as out:
        for when, body in journal:
            out.write(f"[{when:%Y-%m-%d %H:%M}] {body}\n\n")
    config = tmp / "jrnl.yaml"
    config.write_text(
        "colors: {body: none, date: none, tags: none, title: none}\n"
        "default_hour: 9\ndefault_minute: 0\neditor: ''\nencrypt: false\nhighlight: false\n"
        "indent_character: '|'\n"
        f"journals: {{default: {{journal: {text_file}}}}}\n"
        "linewrap: 79\ntagsymbols: '#@'\ntemplate: false\ntimeformat: '%Y-%m-%d %H:%M'\n"
        "version: v4.6\n",
        encoding="utf-8",
    )
    command = [uvx, "--from", "jrnl==4.6", "jrnl", "--config-file", str(config),
               "--export", "json", "--file", str(tmp / "jrnl.json")]
    try:
        subprocess.run(command, capture_output=True, timeout=300, check=True)  # warm the tool cache
        return _timed(lambda: subprocess.run(command, capture_output=True, timeout=300, check=True))
    except (OSError, subprocess.SubprocessError):
        return None


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        home = tmp / "home"
        home.mkdir()
        journal = build_home(home)
        store = Store.open(home / "companion.db")
        everything = Selection(include_private=True)
        try:
            export(store, everything, "json", tmp / "warm.json")  # imports and caches warmed
            json_s = _timed(lambda: export(store, everything, "json", tmp / "all.json"))
            md_s = _timed(lambda: export(store, everything, "md", tmp / "all.md"))
            html_s = _timed(lambda: export(store, everything, "html", tmp / "all.html"))
            csv_s = _timed(lambda: export(store, everything, "csv", tmp / "all.csv"))
            pdf_s = _timed(lambda: export(store, everything, "pdf", tmp / "all.pdf"))
        finally:
            store.close()
        env = {**os.environ, "COMPANION_HOME": str(home)}
        cli = [sys.executable, "-m", "companion", "export", "--format", "json",
               "--out", str(tmp / "cli.json")]
        cli_s = _timed(lambda: subprocess.run(cli, env=env, check=True, capture_output=True))
        jrnl_s = _jrnl(tmp, journal)
        pdf_pages = (tmp / "all.pdf").read_bytes().count(b"/Type /Page\n")
    label = f"{INFUSIONS:,} infusions, {ENTRIES:,} entries, {FIQRS + ACRS:,} questionnaires"
    return [
        {"figure": f"JSON export in-process ({label})", "value": json_s * 1000, "unit": "ms",
         "target": "< 1000 ms"},
        {"figure": "JSON export as a process (companion export)", "value": cli_s * 1000,
         "unit": "ms", "comparison": "jrnl --export json, same entries",
         "comparison_value": None if jrnl_s is None else jrnl_s * 1000},
        {"figure": f"PDF export ({pdf_pages or '?'} pages)", "value": pdf_s * 1000, "unit": "ms",
         "target": "< 10000 ms"},
        {"figure": "HTML export", "value": html_s * 1000, "unit": "ms"},
        {"figure": "Markdown export", "value": md_s * 1000, "unit": "ms"},
        {"figure": "CSV export", "value": csv_s * 1000, "unit": "ms"},
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
