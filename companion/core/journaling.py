"""Rules of the journal that need no database: tags, prompts, search words and
how a day's check-in answers read as practices held.

Pure Python, like the rest of ``core``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from companion.core import text
from companion.core.models import clean_text
from companion.core.records import new_uid

#: The longest entry saved (characters): a 1 MB paste fits five times over.
MAX_ENTRY_CHARS = 5_000_000
MAX_TAG_CHARS = 40
#: What an entry is: written at the Intention, after the infusion, or freely.
ENTRY_KINDS = ("intention", "integration", "note")

_TAG_SPLIT = re.compile(r"[,\n]+")
_WORD = re.compile(r"\w+", re.UNICODE)


def clean_tags(raw: str | Iterable[str]) -> list[str]:
    """Tags as stored: trimmed, without a leading ``#``, lower case, in the
    order given, each once. ``raw`` is a comma-separated string or a list."""
    parts = _TAG_SPLIT.split(raw) if isinstance(raw, str) else list(raw)
    tags: list[str] = []
    for part in parts:
        tag = " ".join(clean_text(str(part)).split()).lstrip("#").strip().lower()
        tag = tag[:MAX_TAG_CHARS].strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def is_blank(value: str) -> bool:
    return not clean_text(value).strip()


class NoteProblem(ValueError):
    """A journal entry that cannot be saved as given; ``str()`` is one
    sentence for the patient."""


def checked_text(value: str, *, allow_blank: bool = False) -> str:
    """An entry's text as it is stored (``clean_text``), refused when blank or
    longer than ``MAX_ENTRY_CHARS``. The one check of an entry's text: the
    app, the store and ``companion note`` (both its ways) all use it."""
    value = clean_text(value)
    if not allow_blank and not value.strip():
        raise NoteProblem(text.JOURNAL_EMPTY_NOT_SAVED)
    if len(value) > MAX_ENTRY_CHARS:
        raise NoteProblem(text.JOURNAL_TOO_LONG.format(limit=f"{MAX_ENTRY_CHARS:,}"))
    return value


def checked_day(day: str) -> str:
    """The day an entry is about, as stored (2026-03-14); refused when it is not a date."""
    try:
        return date.fromisoformat(day).isoformat()
    except (TypeError, ValueError):
        raise NoteProblem(text.NOT_A_DATE.format(value=day)) from None


def entry_row(text: str, *, now: str, kind: str = "note", infusion_id: int | None = None,
              prompt: str = "", tags: list[str] | None = None, private: bool = False,
              day: str | None = None) -> dict[str, object]:
    """The stored form of a new journal entry, for the store and for the quick
    ``companion note`` alike. ``text`` and ``day`` must already be checked;
    ``now`` is the ISO time stamp."""
    return {
        "infusion_id": infusion_id, "kind": kind, "prompt": prompt, "text": text,
        "tags": json.dumps(clean_tags(tags or []), ensure_ascii=False),
        "private": int(private), "created_at": now, "updated_at": now,
        "day": day or now[:10], "uid": new_uid(),
    }


# --- search ------------------------------------------------------------------


def fts_query(words: str) -> str | None:
    """An FTS5 query from what the patient typed: every word must appear, as a
    word or the start of one ("walk" finds "walked"), so a search works while a
    word is still being typed. Punctuation never reaches FTS5 as syntax, so any
    input is a valid query. None when there is no word to look for."""
    tokens = _WORD.findall(unicodedata.normalize("NFC", words))
    if not tokens:
        return None
    return " ".join(f'"{t}"*' for t in tokens)


# --- prompts -----------------------------------------------------------------


def prompt_phase(today: date, last_infusion: date | None, next_earliest: date | None) -> str:
    """Where the patient is: "after" on the day of an infusion, "before" when the
    next one is due (or none has happened yet), "between" otherwise.

    The day after an infusion is "between" even when the next one could come the
    day after: the infusion is what that day is full of, and the "before"
    prompts look only forward."""
    if last_infusion is None:
        return "before"
    if today == last_infusion:
        return "after"
    if today == last_infusion + timedelta(days=1):
        return "between"
    if next_earliest is not None and today >= next_earliest - timedelta(days=1):
        return "before"
    return "between"


@dataclass(frozen=True)
class Prompt:
    key: str
    text: str


def prompts_for(phase: str) -> list[Prompt]:
    """The prompts offered in ``phase``, then the gratitude prompt."""
    found = [Prompt(k, v) for k, v in text.JOURNAL_PROMPTS.get(phase, {}).items()]
    return found + [Prompt(text.GRATITUDE_PROMPT_KEY, text.GRATITUDE_PROMPT)]


def prompt_for(phase: str, today: date, turn: int = 0) -> Prompt:
    """Today's prompt for ``phase``; ``turn`` steps through the others. A new
    day starts at a different prompt so the page does not ask the same thing."""
    offered = prompts_for(phase)
    return offered[(today.toordinal() + turn) % len(offered)]


def prompt_text(key: str) -> str:
    """The wording of a stored prompt key ("" for free text or an unknown key)."""
    if key == text.GRATITUDE_PROMPT_KEY:
        return text.GRATITUDE_PROMPT
    for prompts in text.JOURNAL_PROMPTS.values():
        if key in prompts:
            return prompts[key]
    return text.INTEGRATION_PROMPTS.get(key, "")


# --- check-in ----------------------------------------------------------------


def checkin_questions() -> dict[str, tuple[str, tuple[str, ...]]]:
    """The daily check-in: the clinic's lifestyle questions and the extras."""
    return {**text.LIFESTYLE, **text.CHECKIN_EXTRA}


def answer_level(key: str, answer: str | None) -> float | None:
    """An answer as a share of the way from the lowest option (0.0) to the best
    (1.0); None when unanswered or not one of the options."""
    question = checkin_questions().get(key)
    if question is None or answer not in question[1]:
        return None
    options = question[1]
    return options.index(answer) / (len(options) - 1)


def checkin_problem(answers: object) -> str | None:
    """Why ``answers`` are not a check-in the app could have saved (None when
    they are): each key one of the questions, each answer one of its options,
    as the check-in and Preparation screens offer them."""
    if not isinstance(answers, dict):
        return "is not a set of answers"
    questions = checkin_questions()
    for key, answer in answers.items():
        if key not in questions:
            return f"has an unknown question {key!r}"
        if answer not in questions[key][1]:
            return f"answers {key!r} with {answer!r}, not one of {', '.join(questions[key][1])}"
    return None


def days_back(today: date, count: int) -> list[date]:
    """``count`` days ending with ``today``, oldest first."""
    return [today - timedelta(days=n) for n in range(count - 1, -1, -1)]


def held_days(answers_by_day: dict[str, dict[str, str]], key: str, days: list[date]) -> tuple[int, int]:
    """On how many of ``days`` the practice ``key`` was above its lowest answer,
    out of the days it was answered."""
    held = answered = 0
    for day in days:
        level = answer_level(key, answers_by_day.get(day.isoformat(), {}).get(key))
        if level is None:
            continue
        answered += 1
        held += level > 0
    return held, answered
