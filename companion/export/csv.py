"""CSV: ratings, check-ins and scores, one row per record, for a spreadsheet."""

from __future__ import annotations

import csv
import io

from companion.core import text
from companion.export.selection import Report
from companion.export.view import RATING_NAMES, build_view

BASE_COLUMNS = ("record", "date", "infusion", "timing", *RATING_NAMES)
SCORE_COLUMNS = ("questionnaire", "score", "score_detail")


def render(report: Report) -> bytes:
    view = build_view(report)
    checkin_keys = list({**text.LIFESTYLE, **text.CHECKIN_EXTRA})
    for c in view.checkins or []:
        for key in c.raw:
            if key not in checkin_keys:
                checkin_keys.append(key)
    columns = [*BASE_COLUMNS, *checkin_keys, *SCORE_COLUMNS]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for inf in sorted(view.infusions, key=lambda i: i.number):  # data: in order
        if inf.ratings is None:
            continue
        for timing in ("pre", "post"):
            values = inf.ratings[timing]
            if all(v is None for v in values.values()):
                continue
            writer.writerow({"record": "rating", "date": inf.day.isoformat() if inf.day else "",
                             "infusion": inf.number,
                             "timing": "before" if timing == "pre" else "after",
                             **{n: "" if values[n] is None else values[n] for n in RATING_NAMES}})
    for c in view.checkins or []:
        writer.writerow({"record": "checkin", "date": c.day,
                         **{k: "" if v is None else v for k, v in c.raw.items()}})
    for s in view.scores or []:
        writer.writerow({"record": "score", "date": s.day.isoformat() if s.day else "",
                         "infusion": s.infusion or "", "questionnaire": s.label,
                         "score": "" if s.total is None else f"{s.total:g}",
                         "score_detail": s.summary})
    # A byte-order mark so spreadsheet programs read the UTF-8 as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
