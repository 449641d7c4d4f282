"""One journal entry of a given shape rendered as a PDF, in a fresh process
(``python -m tests.benchmarks.long_text_pdf SHAPE CHARS OUT``): the suite's
test and the benchmark both run it so a regression cannot eat the memory of
the process that runs them."""

from __future__ import annotations

import random
import string
import sys
from datetime import datetime
from pathlib import Path


def unbroken(n: int) -> str:
    """``n`` characters without a space, none repeating in a pattern."""
    rng = random.Random(12)
    return "".join(rng.choices(string.ascii_letters + string.digits + "äéßЖ", k=n))


SHAPES = {
    "word": unbroken,
    "prose": lambda n: ("calm breath, warm hands; the lake was still " * (n // 44 + 1))[:n],
    "wide": lambda n: "W" * n,
    "placeholders": lambda n: "静" * n,  # not in the font: one long run of U+FFFD
    "tabs": lambda n: "a" + "\t" * (n - 1),
    "lines": lambda n: "a" + "\n" * (n - 1),
}


def report(shape: str, chars: int):  # type: ignore[no-untyped-def]
    """The report of a journal holding one entry: "before", the shape, "after"."""
    from companion.core.clock import FakeClock
    from companion.export.selection import Selection, build_report
    from companion.store import Store

    store = Store.memory(FakeClock(datetime(2026, 3, 2, 9, 30).astimezone()))
    store.journal.add("before " + SHAPES[shape](chars) + " after")
    return build_report(store, Selection())


def render(shape: str, chars: int) -> bytes:
    from companion.export import get

    return get("pdf").render(report(shape, chars))


if __name__ == "__main__":
    shape, chars, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    out.write_bytes(render(shape, chars))
