"""``companion scores``: every infusion and questionnaire with its computed scores.

Text for a person to read, or ``--format json`` with the answers too, so a
clinic can check the scoring (the scores are recomputed from the answers every
time, never stored).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from companion.core import measures as m
from companion.core import text, trends
from companion.paths import Paths

SCHEMA = 1


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "scores",
        help="print every infusion and questionnaire with its computed scores",
        description="Every infusion (ratings before and after, rest, therapy appointment) "
        "and every questionnaire with its computed scores. Scores are tracking tools, "
        "not a diagnosis.",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text (default) or json (includes the answers)")
    parser.set_defaults(run=run)
    return parser


def _rating_pair(before: int | None, after: int | None) -> str:
    def one(v: int | None) -> str:
        return "-" if v is None else str(v)

    return f"{one(before)}→{one(after)}"


def empty() -> dict[str, Any]:
    """What ``scores`` prints for a home with no records: the same shape, empty."""
    return {
        "schema": SCHEMA,
        "note": trends.TRACKING_NOTE,
        "infusions": [],
        "questionnaires": [],
        "fiqr_change_after_series": None,
    }


def build(store: Any) -> dict[str, Any]:
    """Everything ``scores`` prints, as plain JSON-able data."""
    from companion.store.measures import trend_inputs

    inputs = trend_inputs(store.sessions, store.measures)
    rows = {r.number: r for r in trends.series_rows(inputs.infusions)}
    infusions = []
    for facts in sorted(inputs.infusions, key=lambda i: i.number):
        row = rows[facts.number]
        infusions.append({
            "number": facts.number,
            "place": facts.place.label,
            "kind": facts.place.kind.value,
            "day": facts.day.isoformat(),
            "complete": facts.complete,
            "completed_at": facts.completed_at.isoformat() if facts.completed_at else None,
            "rest_days_before": row.rest_days,
            "rest_timing": row.timing.value,
            "therapy_at": facts.therapy_at or None,
            "ratings": {"pre": dict(facts.pre), "post": dict(facts.post)},
        })
    check = trends.booster_check(inputs)
    return {
        "schema": SCHEMA,
        "note": trends.TRACKING_NOTE,
        "infusions": infusions,
        "questionnaires": store.measures.records(),
        "fiqr_change_after_series": None if check is None else {
            "baseline": check.baseline,
            "baseline_day": check.baseline_day.isoformat(),
            "current": check.current,
            "current_day": check.current_day.isoformat(),
            "meaningful_rise_points": check.threshold,
            "meaningful_rise": check.worse,
        },
    }


def render_text(data: dict[str, Any]) -> str:
    lines: list[str] = []
    lines.append("Infusions")
    if not data["infusions"]:
        lines.append("  none yet")
    for inf in data["infusions"]:
        pre, post = inf["ratings"]["pre"], inf["ratings"]["post"]
        rest = inf["rest_days_before"]
        rest_text = "first" if rest is None else f"{rest}d rest ({inf['rest_timing']})"
        state = "" if inf["complete"] else "  (in progress)"
        lines.append(
            f"  {inf['number']:>2}  {inf['place']:<10} {inf['day']}  {rest_text:<20}"
            f" pain {_rating_pair(pre.get('pain'), post.get('pain')):<6}"
            f" mood {_rating_pair(pre.get('mood'), post.get('mood')):<6}"
            f" anxiety {_rating_pair(pre.get('anxiety'), post.get('anxiety')):<6}"
            f" therapy {inf['therapy_at'] or '-'}{state}"
        )
    by_id = {}
    for q in data["questionnaires"]:
        by_id.setdefault(q["kind"], []).append(q)

    def when(q: dict[str, Any]) -> str:
        stamp = q["completed_at"] or q["updated_at"]
        return stamp[:16].replace("T", " ")

    lines.append("")
    lines.append("FIQR (revised Fibromyalgia Impact Questionnaire, 0-100, higher is more impact)")
    if not by_id.get("fiqr"):
        lines.append("  none yet")
    for q in by_id.get("fiqr", []):
        scores = q["scores"]
        if scores is None:
            answered = sum(1 for v in q["answers"].get("items", {}).values() if v is not None)
            lines.append(f"  {when(q)}  draft, {answered} of {len(m.FIQR_ITEMS)} answered")
        elif not scores["valid"]:
            lines.append(f"  {when(q)}  {scores['reason']}")
        else:
            note = "  (weighted for 1 blank item)" if scores["prorated"] else ""
            lines.append(
                f"  {when(q)}  total {m.format_fiqr_score(scores['total']):>5}"
                f"  function {m.format_fiqr_score(scores['function']):>4}"
                f"  overall {m.format_fiqr_score(scores['overall']):>4}"
                f"  symptoms {m.format_fiqr_score(scores['symptoms']):>4}{note}"
            )
    lines.append("")
    lines.append(f"ACR 2016 symptom tracker ({m.ACR2016_LABEL})")
    if not by_id.get("acr2016"):
        lines.append("  none yet")
    for q in by_id.get("acr2016", []):
        scores = q["scores"]
        if scores is None:
            lines.append(f"  {when(q)}  draft")
            continue
        if not scores.get("valid", True):
            lines.append(f"  {when(q)}  {scores['reason']}")
            continue
        lines.append(
            f"  {when(q)}  WPI {scores['wpi']:>2}  SSS {scores['sss']:>2}  PDS {scores['pds']:>2}"
            f"  generalised pain {'yes' if scores['generalised'] else 'no'}"
            f"  fits the 2016 pattern {'yes' if scores['criteria_pattern_met'] else 'no'}"
        )
    change = data["fiqr_change_after_series"]
    if change is not None:
        lines.append("")
        lines.append(
            f"FIQR since the series: lowest {m.format_fiqr_score(change['baseline'])}"
            f" ({change['baseline_day']}), latest {m.format_fiqr_score(change['current'])}"
            f" ({change['current_day']})."
        )
        if change["meaningful_rise"]:
            lines.append(text.BOOSTER_SUGGESTION)
    lines.append("")
    lines.append(data["note"])
    return "\n".join(lines)


def _print_json(data: dict[str, Any]) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def run(args: argparse.Namespace, paths: Paths) -> int:
    from companion.cli.errors import Failure
    from companion.store import Store, StoreError

    if not paths.database.exists():
        if args.format == "json":  # a program reading it gets empty lists, not an error
            _print_json(empty())
            return 0
        raise Failure(f"no records yet: there is no database at {paths.database}")
    try:
        store = Store.open(paths.database)
    except (StoreError, OSError) as exc:
        raise Failure(str(exc)) from exc
    try:
        data = build(store)
    finally:
        store.close()
    if args.format == "json":
        _print_json(data)
    else:
        print(render_text(data))
    return 0
