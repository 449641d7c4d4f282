"""Infusions: their stage, checklist, ratings, moments and side effects."""

from __future__ import annotations

import json
from typing import Any

from companion.core import stages
from companion.core import text as copy
from companion.core.models import Infusion, Moment, Ratings, check_rating, clean_text
from companion.core.stages import Stage
from companion.store.base import Repo, load_json, parse_time


def _infusion(row: dict[str, Any]) -> Infusion:
    return Infusion(
        id=row["id"],
        number=row["number"],
        stage=stages.parse_stage(row["stage"]),
        created_at=parse_time(row["created_at"]),  # type: ignore[arg-type]
        position=row["position"] or 0.0,
        playlist=row["playlist"] or "default",
        checklist=load_json(row["checklist"], {}),
        side_effects=load_json(row["side_effects"], {}),
        side_effects_other=row["side_effects_other"] or "",
        therapy_at=row["therapy_at"] or "",
        experience_started_at=parse_time(row["experience_started_at"]),
        experience_ended_at=parse_time(row["experience_ended_at"]),
        ended_early=bool(row["ended_early"]),
        completed_at=parse_time(row["completed_at"]),
        deleted_at=parse_time(row["deleted_at"]),
        urinary_told_at=parse_time(row.get("urinary_told_at")),
    )


#: Stages from which an infusion can still be discarded: nothing has been given yet.
DISCARDABLE = (Stage.PREPARATION, Stage.INTENTION)


class RestoreRefused(ValueError):
    """A discarded infusion that cannot come back now; the message is for the patient."""


class Sessions(Repo):
    def get(self, infusion_id: int) -> Infusion:
        return _infusion(self.db["infusions"].get(infusion_id))

    def current(self) -> Infusion | None:
        """The infusion in progress, if any: the one to resume."""
        rows = list(
            self.db["infusions"].rows_where(
                "stage != ? and deleted_at is null", [Stage.COMPLETE.value],
                order_by="id desc", limit=1,
            )
        )
        return _infusion(rows[0]) if rows else None

    def completed(self) -> list[Infusion]:
        return [
            _infusion(r)
            for r in self.db["infusions"].rows_where(
                "stage = ? and deleted_at is null", [Stage.COMPLETE.value], order_by="number"
            )
        ]

    def all(self) -> list[Infusion]:
        return [
            _infusion(r)
            for r in self.db["infusions"].rows_where("deleted_at is null", order_by="number")
        ]

    def begin(self, playlist: str = "default") -> Infusion:
        """Start the next infusion at Preparation (or return the one in progress)."""
        with self.db.atomic():
            existing = self.current()
            if existing is not None:
                return existing
            count = self.db.execute(
                "select count(*) from infusions where deleted_at is null"
            ).fetchone()[0]
            now = self.stamp()
            table = self.db["infusions"]
            table.insert(
                {
                    "number": count + 1,
                    "stage": Stage.PREPARATION.value,
                    "created_at": now,
                    "stage_changed_at": now,
                    "playlist": playlist,
                }
            )
            return self.get(table.last_pk)

    # --- discarding and restoring ------------------------------------------

    def discard(self, infusion_id: int) -> Infusion:
        """Move an infusion that has not reached the Experience to the trash.

        What was written for it (the intention, any entry linked to it) goes
        with it, stamped with the same moment, and comes back with it. The
        day's check-in and questionnaires are the patient's own records of the
        day, not the infusion's: they stay, no longer linked to it.
        """
        with self.db.atomic():
            infusion = self.get(infusion_id)
            if infusion.deleted_at is not None:
                return infusion
            if infusion.stage not in DISCARDABLE:
                raise ValueError(f"infusion {infusion.number} is past the Intention")
            now = self.stamp()
            self.db["infusions"].update(infusion_id, {"deleted_at": now})
            self.db.execute(
                "update entries set deleted_at = ? where infusion_id = ? and deleted_at is null",
                [now, infusion_id],
            )
            for table in ("checkins", "questionnaires"):
                self.db.execute(
                    f"update [{table}] set infusion_id = null where infusion_id = ?", [infusion_id]
                )
        return self.get(infusion_id)

    def discarded(self) -> list[Infusion]:
        """The infusions in the trash, the latest discarded first."""
        return [
            _infusion(r)
            for r in self.db["infusions"].rows_where(
                "deleted_at is not null", order_by="deleted_at desc, id desc"
            )
        ]

    def restore(self, infusion_id: int) -> Infusion:
        """Bring a discarded infusion back, in progress at the stage it had.

        Refused (RestoreRefused) when it would make two infusions with the
        same number or two in progress.
        """
        with self.db.atomic():
            infusion = self.get(infusion_id)
            if infusion.deleted_at is None:
                return infusion
            current = self.current()
            if current is not None:
                raise RestoreRefused(copy.TRASH_INFUSION_BUSY.format(place=infusion.place.title))
            count = self.db.execute(
                "select count(*) from infusions where deleted_at is null"
            ).fetchone()[0]
            if infusion.number != count + 1:
                raise RestoreRefused(copy.TRASH_INFUSION_TAKEN.format(place=infusion.place.title))
            stamp = self.db["infusions"].get(infusion_id)["deleted_at"]
            self.db["infusions"].update(infusion_id, {"deleted_at": None})
            self.db.execute(
                "update entries set deleted_at = null where infusion_id = ? and deleted_at = ?",
                [infusion_id, stamp],
            )
        return self.get(infusion_id)

    # --- urinary symptoms: telling the clinic ---------------------------------

    def urinary_untold(self) -> list[Infusion]:
        """Infusions with urinary symptoms ticked that the patient has not yet
        marked as told to the clinic, in order."""
        return [i for i in self.all() if i.urinary and i.urinary_told_at is None]

    def mark_urinary_told(self) -> list[Infusion]:
        """Mark every untold urinary report as told, now; returns them."""
        now = self.stamp()
        with self.db.atomic():
            untold = self.urinary_untold()
            for infusion in untold:
                self.db["infusions"].update(infusion.id, {"urinary_told_at": now})
        return [self.get(i.id) for i in untold]

    def set_stage(self, infusion_id: int, stage: Stage) -> Infusion:
        now = self.stamp()
        changes: dict[str, Any] = {"stage": stage.value, "stage_changed_at": now}
        if stage is Stage.COMPLETE:
            changes["completed_at"] = now
        self.db["infusions"].update(infusion_id, changes)
        return self.get(infusion_id)

    def advance(self, infusion_id: int) -> Infusion:
        return self.set_stage(infusion_id, stages.next_stage(self.get(infusion_id).stage))

    def back(self, infusion_id: int) -> Infusion:
        return self.set_stage(infusion_id, stages.previous_stage(self.get(infusion_id).stage))

    def save_checklist(self, infusion_id: int, checklist: dict[str, bool]) -> None:
        self.db["infusions"].update(infusion_id, {"checklist": json.dumps(checklist)})

    def save_side_effects(self, infusion_id: int, effects: dict[str, bool], other: str = "") -> None:
        self.db["infusions"].update(
            infusion_id,
            {"side_effects": json.dumps(effects), "side_effects_other": clean_text(other)},
        )

    def save_therapy_at(self, infusion_id: int, when: str) -> None:
        self.db["infusions"].update(infusion_id, {"therapy_at": when})

    # --- ratings -------------------------------------------------------------

    def save_rating(self, infusion_id: int, timing: str, name: str, value: int | None) -> None:
        if timing not in ("pre", "post"):
            raise ValueError("timing is 'pre' or 'post'")
        if name not in ("pain", "mood", "anxiety"):
            raise ValueError(f"unknown rating {name!r}")
        check_rating(value)
        with self.db.atomic():
            existing = list(
                self.db["ratings"].rows_where(
                    "infusion_id = ? and timing = ?", [infusion_id, timing]
                )
            )
            if existing:
                self.db["ratings"].update(
                    existing[0]["id"], {name: value, "recorded_at": self.stamp()}
                )
            else:
                self.db["ratings"].insert(
                    {"infusion_id": infusion_id, "timing": timing, name: value,
                     "recorded_at": self.stamp()}
                )

    def ratings(self, infusion_id: int, timing: str) -> Ratings:
        rows = list(
            self.db["ratings"].rows_where("infusion_id = ? and timing = ?", [infusion_id, timing])
        )
        if not rows:
            return Ratings()
        row = rows[0]
        return Ratings(pain=row["pain"], mood=row["mood"], anxiety=row["anxiety"])

    # --- the Experience ------------------------------------------------------

    def experience_started(self, infusion_id: int) -> None:
        infusion = self.get(infusion_id)
        if infusion.experience_started_at is None:
            self.db["infusions"].update(infusion_id, {"experience_started_at": self.stamp()})

    def save_position(self, infusion_id: int, seconds: float) -> None:
        self.db["infusions"].update(infusion_id, {"position": round(float(seconds), 3)})

    def experience_ended(self, infusion_id: int, position: float, early: bool) -> None:
        self.db["infusions"].update(
            infusion_id,
            {"experience_ended_at": self.stamp(), "position": round(float(position), 3),
             "ended_early": int(early)},
        )

    def mark_moment(self, infusion_id: int, position: float, track: str, phase: str, note: str = "") -> Moment:
        table = self.db["moments"]
        table.insert(
            {"infusion_id": infusion_id, "position": round(float(position), 3),
             "track": track, "phase": phase, "created_at": self.stamp(), "note": note}
        )
        return self._moment(table.get(table.last_pk))

    def moments(self, infusion_id: int) -> list[Moment]:
        return [
            self._moment(r)
            for r in self.db["moments"].rows_where(
                "infusion_id = ?", [infusion_id], order_by="position"
            )
        ]

    @staticmethod
    def _moment(row: dict[str, Any]) -> Moment:
        return Moment(
            id=row["id"], infusion_id=row["infusion_id"], position=row["position"],
            track=row["track"] or "", phase=row["phase"] or "",
            created_at=parse_time(row["created_at"]),  # type: ignore[arg-type]
            note=row["note"] or "",
        )
