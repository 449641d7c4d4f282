"""Questionnaires: the FIQR and the ACR 2016 self-report, drafts and finished.

A questionnaire starts as a draft, is saved as the patient answers (blanks
allowed) and becomes complete when finished. Answers are stored in the JSON
form of ``companion.core.measures`` so the export carries them and a clinic can
re-check the scoring. Nothing is deleted outright (``trash``/``restore``), and
changing a finished questionnaire keeps the earlier answers as a revision.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from companion.core import text
from companion.core import measures as m
from companion.core import trends
# The rules of a stored questionnaire live in core (the import checks by them too).
from companion.core.questionnaires import (
    ACR2016,
    COMPLETE,
    DRAFT,
    FIQR,
    KINDS,
    QuestionnaireError,
    acr_blanks,
    check_complete,
    check_draft,
    empty_answers,
)
from companion.store.base import Repo, load_json, parse_time

__all__ = ["ACR2016", "COMPLETE", "DRAFT", "FIQR", "KINDS", "Measures", "Questionnaire",
           "QuestionnaireError", "acr_blanks", "check_draft", "empty_answers", "trend_inputs"]


# A NamedTuple (read, never changed), cheaper to create than a dataclass:
# Home reads this module before its first frame (issue 18; see core/trends.py).
class Questionnaire(NamedTuple):
    id: int
    kind: str
    status: str
    answers: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None
    infusion_id: int | None = None
    deleted_at: datetime | None = None

    @property
    def complete(self) -> bool:
        return self.status == COMPLETE

    @property
    def when(self) -> datetime:
        """When it was answered: finished, or last changed while a draft."""
        return self.completed_at or self.updated_at

    def fiqr(self) -> m.FiqrAnswers:
        return m.fiqr_answers_from_dict(self.answers)

    def acr(self) -> m.Acr2016Answers:
        return m.acr2016_answers_from_dict(self.answers)

    def fiqr_values(self) -> dict[str, int | None]:
        """Each item's answer, for going on with a draft: an answer that
        cannot be read (out of range, not a number) reads as blank."""
        items = self.answers.get("items") if isinstance(self.answers, Mapping) else None
        items = items if isinstance(items, Mapping) else {}

        def readable(value: Any) -> int | None:
            if isinstance(value, int) and not isinstance(value, bool) \
                    and m.FIQR_MIN_ANSWER <= value <= m.FIQR_MAX_ANSWER:
                return value
            return None

        return {key: readable(items.get(key)) for key in m.FIQR_ITEMS}

    def fiqr_result(self) -> m.FiqrResult:
        """The scores; "not scored" with the reason when the stored answers
        cannot be read (written by hand, by another version, by a bug)."""
        try:
            return m.score_fiqr(self.fiqr())
        except UNREADABLE as exc:
            return m.unscored_fiqr(_not_scored(exc))

    def acr_result(self) -> m.Acr2016Result:
        """As ``fiqr_result``: never raises for a stored record."""
        try:
            return m.score_acr2016(self.acr())
        except UNREADABLE as exc:
            return m.unscored_acr2016(_not_scored(exc))

    def record(self) -> dict[str, Any]:
        """The plain form for the JSON export and ``companion scores``: answers and scores."""
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "infusion_id": self.infusion_id,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "completed_at": self.completed_at.isoformat() if self.completed_at else None,
            "answers": self.answers,
            "scores": None,
        }
        if not self.complete:
            return out
        if self.kind == FIQR:
            result = self.fiqr_result()
            out["scores"] = {
                "valid": result.valid,
                "reason": result.reason,
                "function": result.function,
                "overall": result.overall,
                "symptoms": result.symptoms,
                "total": result.total,
                "answered": result.answered,
                "prorated": result.prorated,
                "rule": result.rule,
            }
        else:
            acr = self.acr_result()
            if not acr.valid:
                out["scores"] = {"valid": False, "reason": acr.reason}
                return out
            out["scores"] = {
                "valid": True,
                "wpi": acr.wpi,
                "sss": acr.sss,
                "pds": acr.pds,
                "generalised": acr.generalised,
                "regions_with_pain": sorted(acr.regions_with_pain),
                "criteria_pattern_met": acr.criteria_pattern_met,
                "label": acr.label,
            }
        return out


#: What stored answers that do not fit the questionnaire raise when read.
UNREADABLE = (m.MeasuresError, ValueError, TypeError, KeyError, AttributeError)


def _not_scored(exc: BaseException) -> str:
    detail = str(exc).replace(f" {m.FIQR_ANSWER_HINT}.", "").rstrip(".") or type(exc).__name__
    return text.RECORD_NOT_SCORED.format(detail=detail)


def _questionnaire(row: dict[str, Any]) -> Questionnaire:
    return Questionnaire(
        id=row["id"],
        kind=row["kind"],
        status=row["status"],
        answers=load_json(row["answers"], {}),
        created_at=parse_time(row["created_at"]),  # type: ignore[arg-type]
        updated_at=parse_time(row["updated_at"]),  # type: ignore[arg-type]
        completed_at=parse_time(row["completed_at"]),
        infusion_id=row["infusion_id"],
        deleted_at=parse_time(row["deleted_at"]),
    )


def _dump(answers: Mapping[str, Any]) -> str:
    return json.dumps(answers, ensure_ascii=False, sort_keys=False)


class Measures(Repo):
    """The questionnaires aggregate."""

    def get(self, questionnaire_id: int) -> Questionnaire:
        return _questionnaire(self.db["questionnaires"].get(questionnaire_id))

    def start(self, kind: str, infusion_id: int | None = None) -> Questionnaire:
        """A new blank draft (use ``draft`` first to resume an open one)."""
        if kind not in KINDS:
            raise QuestionnaireError(f"Unknown questionnaire {kind!r}.")
        now = self.stamp()
        table = self.db["questionnaires"]
        table.insert(
            {"kind": kind, "status": DRAFT, "answers": _dump(empty_answers(kind)),
             "infusion_id": infusion_id, "created_at": now, "updated_at": now}
        )
        return self.get(table.last_pk)

    def draft(self, kind: str) -> Questionnaire | None:
        """The most recent unfinished questionnaire of this kind, to resume."""
        rows = list(
            self.db["questionnaires"].rows_where(
                "kind = ? and status = ? and deleted_at is null", [kind, DRAFT],
                order_by="updated_at desc, id desc", limit=1,
            )
        )
        return _questionnaire(rows[0]) if rows else None

    def resume_or_start(self, kind: str, infusion_id: int | None = None) -> Questionnaire:
        with self.db.atomic():
            found = self.draft(kind)
            if found is not None:
                if infusion_id is not None and found.infusion_id is None:
                    self.db["questionnaires"].update(found.id, {"infusion_id": infusion_id})
                    return self.get(found.id)
                return found
            return self.start(kind, infusion_id)

    def save_answers(self, questionnaire_id: int, answers: Mapping[str, Any]) -> Questionnaire:
        """Store the answers so far. Blanks are fine; bad values raise ``QuestionnaireError``.

        For a finished questionnaire the change must still be complete, and
        the earlier answers are kept as a revision.
        """
        with self.db.atomic():
            current = self.get(questionnaire_id)
            checked = check_draft(current.kind, answers)
            if checked == current.answers:
                return current
            if current.complete:
                self._check_complete(current.kind, checked)
                self.db["questionnaire_revisions"].insert(
                    {"questionnaire_id": questionnaire_id, "answers": _dump(current.answers),
                     "saved_at": self.stamp()}
                )
            self.db["questionnaires"].update(
                questionnaire_id, {"answers": _dump(checked), "updated_at": self.stamp()}
            )
            return self.get(questionnaire_id)

    _check_complete = staticmethod(check_complete)

    def complete(self, questionnaire_id: int, answers: Mapping[str, Any] | None = None) -> Questionnaire:
        """Finish a questionnaire, saving ``answers`` first when given.

        A FIQR with too many blanks may still be finished: it is kept and shown
        as not scored, with the reason. An ACR 2016 needs every question.
        """
        with self.db.atomic():
            current = self.get(questionnaire_id)
            checked = check_draft(current.kind, answers if answers is not None else current.answers)
            self._check_complete(current.kind, checked)
            if current.complete:
                return self.save_answers(questionnaire_id, checked)
            now = self.stamp()
            self.db["questionnaires"].update(
                questionnaire_id,
                {"answers": _dump(checked), "status": COMPLETE, "updated_at": now,
                 "completed_at": now},
            )
            return self.get(questionnaire_id)

    def all(self, kind: str | None = None, *, status: str | None = None,
            include_deleted: bool = False) -> list[Questionnaire]:
        """Questionnaires oldest first (finished ones by finishing time)."""
        where = ["1 = 1"]
        params: list[Any] = []
        if kind is not None:
            where.append("kind = ?")
            params.append(kind)
        if status is not None:
            where.append("status = ?")
            params.append(status)
        if not include_deleted:
            where.append("deleted_at is null")
        rows = self.db["questionnaires"].rows_where(
            " and ".join(where), params,
            order_by="coalesce(completed_at, updated_at), id",
        )
        return [_questionnaire(r) for r in rows]

    def completed(self, kind: str | None = None) -> list[Questionnaire]:
        return self.all(kind, status=COMPLETE)

    def latest(self, kind: str) -> Questionnaire | None:
        done = self.completed(kind)
        return done[-1] if done else None

    def trash(self, questionnaire_id: int) -> None:
        self.db["questionnaires"].update(questionnaire_id, {"deleted_at": self.stamp()})

    def restore(self, questionnaire_id: int) -> Questionnaire:
        self.db["questionnaires"].update(questionnaire_id, {"deleted_at": None})
        return self.get(questionnaire_id)

    def trashed(self) -> list[Questionnaire]:
        rows = self.db["questionnaires"].rows_where(
            "deleted_at is not null", order_by="deleted_at desc"
        )
        return [_questionnaire(r) for r in rows]

    def revisions(self, questionnaire_id: int) -> list[tuple[datetime, dict[str, Any]]]:
        """Earlier answers of a finished questionnaire, oldest first."""
        return [
            (parse_time(r["saved_at"]), load_json(r["answers"], {}))  # type: ignore[misc]
            for r in self.db["questionnaire_revisions"].rows_where(
                "questionnaire_id = ?", [questionnaire_id], order_by="id"
            )
        ]

    # --- export and import ----------------------------------------------------

    def records(self) -> list[dict[str, Any]]:
        """Every questionnaire not in the trash, with answers and computed scores."""
        return [q.record() for q in self.all()]

    def import_record(self, record: Mapping[str, Any],
                      infusion_ids: Mapping[int, int] | None = None) -> Questionnaire:
        """Add one questionnaire from a ``record()`` (the JSON export).

        Answers are validated again; scores in the record are ignored and
        recomputed. ``infusion_ids`` maps exported infusion ids to new ones.
        """
        kind = record.get("kind")
        status = record.get("status")
        if kind not in KINDS or status not in (DRAFT, COMPLETE):
            raise QuestionnaireError("Not a questionnaire record.")
        answers = check_draft(str(kind), record.get("answers") or {})
        if status == COMPLETE:
            self._check_complete(str(kind), answers)
        stamps = {}
        for name in ("created_at", "updated_at", "completed_at"):
            value = record.get(name)
            try:
                stamps[name] = parse_time(value).isoformat(timespec="seconds") if value else None  # type: ignore[union-attr]
            except (TypeError, ValueError) as exc:
                raise QuestionnaireError(f"{name} is not a date and time: {value!r}.") from exc
        now = self.stamp()
        old_infusion = record.get("infusion_id")
        infusion_id = (infusion_ids or {}).get(old_infusion) if isinstance(old_infusion, int) else None
        table = self.db["questionnaires"]
        table.insert(
            {"kind": kind, "status": status, "answers": _dump(answers),
             "infusion_id": infusion_id,
             "created_at": stamps["created_at"] or now,
             "updated_at": stamps["updated_at"] or stamps["created_at"] or now,
             "completed_at": stamps["completed_at"] if status == COMPLETE else None}
        )
        return self.get(table.last_pk)


def trend_inputs(sessions: Any, measures: Measures) -> trends.Inputs:
    """The facts the progress charts and the report need, read from the store.

    ``sessions`` is ``Store.sessions``; infusions in the trash are left out,
    and so are unfinished questionnaires (a FIQR with too many blanks is
    passed on and left out of the charts by ``core.trends``).
    """
    infusions = sessions.all()
    numbers = {i.id: i.number for i in infusions}
    facts = tuple(
        trends.InfusionFacts(
            number=i.number,
            day=i.day,
            completed_at=i.completed_at,
            therapy_at=i.therapy_at,
            pre=sessions.ratings(i.id, "pre").as_dict(),
            post=sessions.ratings(i.id, "post").as_dict(),
            complete=i.completed_at is not None,
        )
        for i in infusions
    )
    fiqr = tuple(
        trends.ScoredFiqr(q.when, q.fiqr_result(), numbers.get(q.infusion_id or -1))
        for q in measures.completed(FIQR)
    )
    acr = tuple(
        trends.ScoredAcr(q.when, q.acr_result(), numbers.get(q.infusion_id or -1))
        for q in measures.completed(ACR2016)
    )
    return trends.Inputs(facts, fiqr, acr)
