"""The rules of a stored questionnaire: its kinds, its states, and which
answers it may hold, as a draft and once finished (issue 14: moved here from
the store so the import checks a file's questionnaires by the same rules as
the screens and the store). Pure Python, like the rest of ``core``.

``answers`` are in the JSON form of ``core.measures`` (``*_answers_to_dict``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from companion.core import measures as m

FIQR = "fiqr"
ACR2016 = "acr2016"
KINDS = (FIQR, ACR2016)
DRAFT = "draft"
COMPLETE = "complete"


class QuestionnaireError(ValueError):
    """Answers that cannot be stored; the message is for the patient."""


def empty_answers(kind: str) -> dict[str, Any]:
    """A blank questionnaire in the stored form."""
    if kind == FIQR:
        return m.fiqr_answers_to_dict(m.FiqrAnswers({}))
    if kind == ACR2016:
        record: dict[str, Any] = {
            "instrument": m.ACR_SERIAL_INSTRUMENT,
            "version": m.ACR_SERIAL_VERSION,
            "painful_areas": [],
        }
        for name in m.ACR_SEVERITY_FIELDS + m.ACR_YES_NO_FIELDS:
            record[name] = None
        record["three_months"] = None
        return record
    raise QuestionnaireError(f"Unknown questionnaire {kind!r}.")


def check_draft(kind: str, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Validate what is known so far; blanks are allowed in a draft.

    Raises ``QuestionnaireError`` for out-of-range or unknown answers.
    """
    try:
        if kind == FIQR:
            return m.fiqr_answers_to_dict(m.fiqr_answers_from_dict(answers))
        if kind == ACR2016:
            filled = {**empty_answers(ACR2016), **dict(answers)}
            # Check the answered fields by scoring a copy with blanks as 0/False.
            probe = {k: (0 if v is None else v) for k, v in filled.items()}
            if probe["three_months"] == 0:
                probe["three_months"] = False
            parsed = m.acr2016_answers_from_dict(probe)
            filled["painful_areas"] = [a for a in m.ACR_AREAS if a in parsed.painful_areas]
            return filled
    except m.MeasuresError as exc:
        raise QuestionnaireError(str(exc)) from exc
    raise QuestionnaireError(f"Unknown questionnaire {kind!r}.")


def acr_blanks(answers: Mapping[str, Any]) -> list[str]:
    """The ACR 2016 questions still unanswered in a draft (field names)."""
    names = m.ACR_SEVERITY_FIELDS + m.ACR_YES_NO_FIELDS + ("three_months",)
    return [name for name in names if answers.get(name) is None]


def check_complete(kind: str, answers: Mapping[str, Any]) -> None:
    """What finishing needs besides a valid draft: an ACR 2016 answers every
    question (a FIQR with blanks is kept, and shown as not scored)."""
    if kind == ACR2016:
        blanks = acr_blanks(answers)
        if blanks:
            raise QuestionnaireError(
                "Still unanswered: " + ", ".join(b.replace("_", " ") for b in blanks) + "."
            )
        try:
            m.acr2016_answers_from_dict(answers)
        except m.MeasuresError as exc:
            raise QuestionnaireError(str(exc)) from exc
