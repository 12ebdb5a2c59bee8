"""Scheduled reminders (`reminders`) and what is already done (`reminder_done`).

A reminder's `_id` is its deterministic id (`domain.reminders.reminder_id`), so planning is
insert-if-absent. Due reminders are claimed like deliveries (an insert-only token, see
`claims`): `pending` (due) or `claimed` with an expired lease → `claimed` with a fresh
lease; a worker killed mid-way loses nothing, the
next one takes the reminder over, and the delivery log's unique key absorbs the repeat.

`reminder_done` remembers "this unit (or `*`: everyone) is done with this subject", so a
late or redelivered scheduling event never plans reminders for something already done; a
returned submission (or an OPD short again) clears its unit's mark. `reminder_subjects`
keeps each subject's last planned deadline, for events that re-plan without naming it.
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
SUBJECTS = "reminder_subjects"
#: Cancelled reminders that planning the same id again brings back: the deadline moved back,
#: or the unit is not done any more (a returned submission, a participant added back).
REVIVABLE = ["rescheduled", "done", "removed"]
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
        self.subjects = db[SUBJECTS]
        self.claimer = Claimer(self.coll, db[CLAIMS])

    def live(self, kind: SubjectKind, subject_id: str) -> list[Reminder]:
        """Every pending (or claimed) reminder of one subject, all units."""
        docs = self.coll.find(
            {"kind": kind.value, "subject_id": subject_id, "status": {"$in": LIVE}}
        )
        return [reminder_from_dict(d) for d in docs]

    def add(self, reminders: Iterable[Reminder], now: datetime) -> int:
        """Insert each reminder unless its id exists; one cancelled because its deadline moved
        or its unit was done comes back (with these details). Returns how many became pending."""
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
                revive = {"status": "pending", "cancel_reason": None, "updated_at": now}
                revived = self.coll.update_one(
                    {
                        "_id": reminder.id,
                        "status": "cancelled",
                        "cancel_reason": {"$in": REVIVABLE},
                    },
                    {"$set": {**revive, "details": dict(reminder.details)}},
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

    def live_by_detail(self, kind: SubjectKind, name: str, value: str) -> list[Reminder]:
        """Every pending (or claimed) reminder of `kind` whose `details[name]` is `value`."""
        query = {"kind": kind.value, f"details.{name}": value, "status": {"$in": LIVE}}
        return [reminder_from_dict(d) for d in self.coll.find(query)]

    def revive_by_detail(
        self, kind: SubjectKind, name: str, value: str, reason: str, now: datetime
    ) -> int:
        """Pending again: the reminders of `kind` with `details[name] == value` cancelled for
        `reason` whose time is still ahead."""
        query = {
            "kind": kind.value,
            f"details.{name}": value,
            "status": ReminderStatus.CANCELLED.value,
            "cancel_reason": reason,
            "due_at": {"$gt": now},
        }
        revive = {"status": ReminderStatus.PENDING.value, "cancel_reason": None, "updated_at": now}
        return self.coll.update_many(query, {"$set": revive}).modified_count

    def refresh(self, reminders: Iterable[Reminder], now: datetime) -> int:
        """Rewrite the details of these reminders while they are pending."""
        changed = 0
        for reminder in reminders:
            result = self.coll.update_one(
                {"_id": reminder.id, "status": ReminderStatus.PENDING.value},
                {"$set": {"details": dict(reminder.details), "updated_at": now}},
            )
            changed += result.modified_count
        return changed

    def remember_schedule(
        self,
        kind: SubjectKind,
        subject_id: str,
        region: str,
        deadline: str,
        timezone: str,
        details: Doc,
        now: datetime,
    ) -> None:
        """Keep the subject's last planned deadline (ISO), time zone and common details."""
        doc = {
            "kind": kind.value,
            "subject_id": subject_id,
            "region": region,
            "deadline": deadline,
            "timezone": timezone,
            "details": details,
            "updated_at": now,
        }
        key = f"{kind.value}|{subject_id}"
        self.subjects.update_one({"_id": key}, {"$set": doc}, upsert=True)

    def schedule(self, kind: SubjectKind, subject_id: str) -> Doc | None:
        """The subject's last planned deadline: `deadline` (ISO), `timezone`, `details`."""
        return self.subjects.find_one({"_id": f"{kind.value}|{subject_id}"})

    def clear_done(self, kind: SubjectKind, subject_id: str, unit: str) -> None:
        """The unit is not done with the subject any more (everyone-done `*` stays). Reads
        first: a mark is rarely there, and a read is cheaper than a write on the store."""
        key = _done_id(kind, subject_id, unit)
        if self.done.find_one({"_id": key}, {"_id": 1}) is not None:
            self.done.delete_one({"_id": key})

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
