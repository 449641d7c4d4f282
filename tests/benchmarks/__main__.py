"""Run every benchmark and print one table: ``uv run python -m tests.benchmarks``.

Each ``bench_*.py`` module here has ``run() -> list[dict]``; a row has
``figure``, ``value``, ``unit`` and optionally ``target`` (e.g. "< 200 ms"),
``comparison`` (what we compare against) and ``comparison_value``.
``-k WORD`` runs only the modules whose name contains WORD.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import traceback
from pathlib import Path


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    return "" if value is None else str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks")
    parser.add_argument("-k", dest="keyword", default="", help="only modules matching WORD")
    args = parser.parse_args(argv)
    here = Path(__file__).parent
    names = sorted(
        m.name for m in pkgutil.iter_modules([str(here)])
        if m.name.startswith("bench_") and args.keyword in m.name
    )
    rows: list[dict] = []
    failed = False
    for name in names:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(f"tests.benchmarks.{name}")
            rows.extend(module.run())
        except Exception:  # a broken benchmark is reported, the others still run
            failed = True
            traceback.print_exc()
            rows.append({"figure": f"{name} FAILED", "value": None, "unit": ""})
    header = ("figure", "ours", "target", "comparison", "theirs", "ratio")
    table = [header]
    for row in rows:
        value, other = row.get("value"), row.get("comparison_value")
        ratio = ""
        if isinstance(value, (int, float)) and isinstance(other, (int, float)) and other:
            ratio = f"{value / other:.2f}x"
        unit = row.get("unit", "")
        table.append((
            row["figure"], f"{_fmt(value)} {unit}".strip(), row.get("target", ""),
            row.get("comparison", ""),
            f"{_fmt(other)} {unit}".strip() if other is not None else "", ratio,
        ))
    widths = [max(len(str(r[i])) for r in table) for i in range(len(header))]
    for index, row in enumerate(table):
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
        if index == 0:
            print("  ".join("-" * w for w in widths))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
