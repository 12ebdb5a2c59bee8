"""Scheduled reminders (`reminders`) and what is already done (`reminder_done`).

A reminder's `_id` is its deterministic id (`domain.reminders.reminder_id`), so planning is
insert-if-absent. Due reminders are claimed like deliveries (an insert-only token, see
`claims`): `pending` (due) or `claimed` with an expired lease → `claimed` with a fresh
lease; a worker killed mid-way loses nothing, the
next one takes the reminder over, and the delivery log's unique key absorbs the repeat.

`reminder_done` remembers "this unit (or `*`: everyone) is done with this subject", so a
late or redelivered scheduling event never plans reminders for something already done.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from notification.domain.documents import reminder_from_dict, reminder_to_dict
from notification.domain.reminders import Reminder, ReminderStatus, SubjectKind
from smartcity_shared.store import IndexSpec

from .claims import Claimer

Doc = dict[str, Any]
COLLECTION, DONE, CLAIMS = "reminders", "reminder_done", "reminder_claims"
CLAIMED = ReminderStatus.CLAIMED.value
ALL_UNITS = "*"
INDEXES: list[IndexSpec] = [
    (COLLECTION, [("status", ASCENDING), ("due_at", ASCENDING)], {}),
    (COLLECTION, [("kind", ASCENDING), ("subject_id", ASCENDING), ("status", ASCENDING)], {}),
    (COLLECTION, [("region", ASCENDING), ("unit", ASCENDING)], {}),
]
LIVE = [ReminderStatus.PENDING.value, CLAIMED]


def _done_id(kind: SubjectKind, subject_id: str, unit: str) -> str:
    return f"{kind.value}|{subject_id}|{unit}"


class ReminderRepository:
    def __init__(self, db: Database[Doc]) -> None:
        self.coll = db[COLLECTION]
        self.done = db[DONE]
        self.claimer = Claimer(self.coll, db[CLAIMS])

    def live(self, kind: SubjectKind, subject_id: str) -> list[Reminder]:
        """Every pending (or claimed) reminder of one subject, all units."""
        docs = self.coll.find(
            {"kind": kind.value, "subject_id": subject_id, "status": {"$in": LIVE}}
        )
        return [reminder_from_dict(d) for d in docs]

    def add(self, reminders: Iterable[Reminder], now: datetime) -> int:
        """Insert each reminder unless its id exists; a reminder cancelled only because its
        deadline moved comes back (the deadline moved back). Returns how many became pending."""
        added = 0
        for reminder in reminders:
            doc = {
                **reminder_to_dict(reminder),
                "_id": reminder.id,
                "unit_code": reminder.unit.rsplit(":", 1)[-1],
                "created_at": now,
            }
            try:
                self.coll.insert_one(doc)
                added += 1
            except DuplicateKeyError:
                revived = self.coll.update_one(
                    {"_id": reminder.id, "status": "cancelled", "cancel_reason": "rescheduled"},
                    {"$set": {"status": "pending", "cancel_reason": None, "updated_at": now}},
                )
                added += revived.modified_count
        return added

    def cancel(self, ids: Iterable[str], reason: str, now: datetime) -> int:
        ids = list(ids)
        if not ids:
            return 0
        result = self.coll.update_many(
            {"_id": {"$in": ids}, "status": {"$in": LIVE}},
            {"$set": {"status": "cancelled", "cancel_reason": reason, "updated_at": now}},
        )
        return result.modified_count

    def mark_done(
        self, kind: SubjectKind, subject_id: str, unit: str | None, now: datetime
    ) -> None:
        key = _done_id(kind, subject_id, unit or ALL_UNITS)
        doc = {"kind": kind.value, "subject_id": subject_id, "unit": unit or ALL_UNITS, "at": now}
        self.done.update_one({"_id": key}, {"$set": doc}, upsert=True)

    def done_units(self, kind: SubjectKind, subject_id: str) -> set[str]:
        """Units done with the subject (`*` when everyone is)."""
        docs = self.done.find({"kind": kind.value, "subject_id": subject_id}, {"unit": 1})
        return {str(d["unit"]) for d in docs}

    def is_done(self, reminder: Reminder) -> bool:
        done = self.done_units(reminder.kind, reminder.subject_id)
        return ALL_UNITS in done or reminder.unit in done

    def claim_due(self, now: datetime, lease: timedelta, worker: str) -> Doc | None:
        """Atomically take one due reminder (or one whose worker's lease expired)."""
        query = {
            "$or": [
                {"status": ReminderStatus.PENDING.value, "due_at": {"$lte": now}},
                {"status": CLAIMED, "claimed_until": {"$lte": now}},
            ]
        }
        sort = [("due_at", ASCENDING)]
        return self.claimer.claim(query, sort, now, lease, worker, {"status": CLAIMED})

    def finish(self, doc: Doc, status: str, now: datetime, **extra: Any) -> bool:
        """Record the claimed reminder as `sent` or `cancelled` if the claim still holds."""
        fields = {"status": status, "claim": None, "claimed_until": None, "updated_at": now}
        result = self.coll.update_one(
            {"_id": doc["_id"], "claim": doc["claim"], "status": CLAIMED},
            {"$set": {**fields, **extra}},
        )
        return result.matched_count == 1

    def search(self, query: Doc, limit: int, offset: int) -> tuple[list[Doc], int]:
        cursor = self.coll.find(query).sort([("due_at", ASCENDING), ("unit", ASCENDING)])
        return list(cursor.skip(offset).limit(limit)), self.coll.count_documents(query)
