"""What encryption costs: opening the journal and searching it, encrypted
against plain, on the same 10,000 entries; and how long each change takes.

    uv run python -m tests.benchmarks -k privacy
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

from tests.benchmarks.bench_journal import QUERIES, build_entries, fill_store

PASSPHRASE = "benchmark passphrase"
RUNS = 7


def _median_ms(fn, runs: int = RUNS) -> float:  # type: ignore[no-untyped-def]
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _once_ms(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def run() -> list[dict]:
    from companion.paths import resolve
    from companion.store import Store, crypto
    from companion.ui.screens.journal import SHOWN

    rows: list[dict] = []
    root = Path(tempfile.mkdtemp(prefix="bench-privacy-"))
    try:
        plain_home, enc_home = root / "plain", root / "encrypted"
        fill_store(plain_home, build_entries())
        shutil.copytree(plain_home, enc_home)
        plain_db, enc_db = resolve(plain_home).database, resolve(enc_home).database
        shutil.rmtree(enc_db.parent / "backups", ignore_errors=True)

        took = _once_ms(lambda: crypto.encrypt(enc_db, PASSPHRASE))
        rows.append({"figure": "encrypt a 10,000-entry journal", "value": took, "unit": "ms"})
        rows.append({"figure": "file size, encrypted / plain",
                     "value": enc_db.stat().st_size / 1024, "unit": "KiB",
                     "comparison": "plain", "comparison_value": plain_db.stat().st_size / 1024})

        def open_plain() -> None:
            Store.open(plain_db).close()

        def open_encrypted() -> None:
            crypto.forget()
            crypto.unlock(enc_db, PASSPHRASE)  # the passphrase is checked once, as at start-up
            Store.open(enc_db).close()

        rows.append({"figure": "start-up: check passphrase + open the journal",
                     "value": _median_ms(open_encrypted, 5), "unit": "ms",
                     "comparison": "plain open", "comparison_value": _median_ms(open_plain, 5)})

        plain, enc = Store.open(plain_db), Store.open(enc_db)
        try:
            for label, words in QUERIES:
                rows.append({
                    "figure": f"search {label} {words!r}",
                    "value": _median_ms(lambda w=words: enc.journal.search(w, limit=SHOWN)),
                    "unit": "ms", "target": "< 20 ms", "comparison": "plain",
                    "comparison_value": _median_ms(lambda w=words: plain.journal.search(w, limit=SHOWN)),
                })
            rows.append({
                "figure": f"list the latest {SHOWN}",
                "value": _median_ms(lambda: enc.journal.search("", limit=SHOWN)), "unit": "ms",
                "comparison": "plain",
                "comparison_value": _median_ms(lambda: plain.journal.search("", limit=SHOWN)),
            })
        finally:
            plain.close()
            enc.close()

        crypto.forget()
        took = _once_ms(lambda: crypto.change(enc_db, PASSPHRASE, PASSPHRASE + " 2"))
        rows.append({"figure": "new passphrase, 10,000-entry journal", "value": took, "unit": "ms"})
        took = _once_ms(lambda: crypto.decrypt(enc_db, PASSPHRASE + " 2"))
        rows.append({"figure": "decrypt a 10,000-entry journal", "value": took, "unit": "ms"})
    finally:
        crypto.forget()
        shutil.rmtree(root, ignore_errors=True)
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
