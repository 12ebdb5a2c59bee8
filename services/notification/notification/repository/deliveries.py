"""The delivery log in the store (`deliveries`): one document per (event, recipient, template).

The `_id` is derived from that key (and a unique index backs it), so storing a delivery is
insert-if-absent: a redelivered event, a second replica or a reclaimed reminder never creates
a second record, hence never a second mail. The rendered mail lives beside it in
`delivery_mail` (same `_id`), so the log stays small to list; what is waiting to be sent is
in the send queue (`queue.SendQueue`), which is what senders claim. Every write of one
delivery goes by `_id`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from notification.domain.delivery import DeliveryStatus
from smartcity_shared.store import IndexSpec

from .batching import DeliveryBatch
from .queue import RETRY, SendQueue

Doc = dict[str, Any]
COLLECTION, MAIL = "deliveries", "delivery_mail"
OPEN = {s.value for s in (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.RETRYING)}
INDEXES: list[IndexSpec] = [
    (
        COLLECTION,
        [("event_id", ASCENDING), ("recipient", ASCENDING), ("template", ASCENDING)],
        {"unique": True},
    ),
    (COLLECTION, [("region", ASCENDING), ("created_at", DESCENDING)], {}),
]


def delivery_id(event_id: str, recipient: str, template: str) -> str:
    raw = f"{event_id}|{recipient.strip().lower()}|{template}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


class DeliveryRepository:
    def __init__(self, db: Database[Doc]) -> None:
        self.coll = db[COLLECTION]
        self.mail = db[MAIL]
        self.queue = SendQueue(db)
        self.batch = DeliveryBatch(self.coll, self.mail, self.queue.enqueue_many, self.add)

    def begin(self) -> None:
        """Buffer this thread's `add`s until `flush` (a `BatchScope` of the consumer loop)."""
        self.batch.begin()

    def flush(self) -> None:
        self.batch.flush()

    def discard(self) -> None:
        self.batch.discard()

    def add(self, doc: Doc, mail: Mapping[str, str] | None, now: datetime) -> bool:
        """Insert `doc` (and its rendered `mail`) unless its key exists, and queue it when it
        is pending; True when inserted. Storing the same delivery again (a redelivered event
        after a crash between record and queue) re-queues it while it is still pending.
        Inside a consumer batch on this thread (`begin`) it only buffers and returns True."""
        id = delivery_id(doc["event_id"], doc["recipient"], doc["template"])
        if self.batch.buffer(id, doc, mail, now):
            return True  # stored with the consumer's batch (`flush`)
        if mail is not None:
            try:
                self.mail.insert_one({"_id": id, **mail})
            except DuplicateKeyError:
                pass
        try:
            self.coll.insert_one({**doc, "_id": id})
            inserted = True
        except DuplicateKeyError:
            inserted = False
            stored = self.coll.find_one({"_id": id}, {"status": 1, "claim_gen": 1})
            if stored is None or stored["status"] != DeliveryStatus.PENDING.value:
                return False
            doc = {**doc, **stored}
        if doc["status"] == DeliveryStatus.PENDING.value:
            due = doc.get("next_attempt_at")
            if isinstance(due, datetime) and due > now:  # held until a requested send time
                entry = {"_id": id, "queue": RETRY, "queued_at": now}
                self.queue.later({**entry, "claim_gen": int(doc.get("claim_gen") or 0)}, due)
            else:
                self.queue.enqueue(id, now, int(doc.get("claim_gen") or 0))
        return inserted

    def get(self, id: str) -> Doc | None:
        return self.coll.find_one({"_id": id})

    def rendered(self, id: str) -> Doc | None:
        return self.mail.find_one({"_id": id})

    def claim(self, now: datetime, lease: timedelta, worker: str, batch: int) -> list[Doc]:
        """Claim up to `batch` queue entries (see `queue.SendQueue.claim`)."""
        return self.queue.claim(now, lease, worker, batch)

    def mark_sending(self, entry: Doc) -> None:
        """Show the claim on the log record (status `sending`, who, until when)."""
        fields = {k: entry[k] for k in ("claim", "claim_gen", "claimed_by", "claimed_until")}
        update = {"$set": {**fields, "status": DeliveryStatus.SENDING.value}}
        self.coll.update_one({"_id": entry["_id"]}, update)

    def claim_due(self, now: datetime, lease: timedelta, worker: str) -> Doc | None:
        """Claim one queued delivery that is still open and mark it `sending`; None when
        there is none (what a sender does before it sends)."""
        for entry in self.claim(now, lease, worker, 1):
            doc = self.get(entry["_id"])
            if doc is not None and doc["status"] in OPEN:
                self.mark_sending(entry)
                return self.get(entry["_id"])
        return None

    def begin_attempt(self, id: str, attempt: Mapping[str, Any]) -> None:
        """Note on the log record that a send is about to start (`in_flight`), before the
        SMTP conversation: a sender that finds this note left by an earlier claim knows a
        mail may already be out (see `sending.DeliverySender`)."""
        self.coll.update_one({"_id": id}, {"$set": {"in_flight": dict(attempt)}})

    def in_doubt(self, id: str, since: datetime) -> None:
        """First seen with an earlier attempt's outcome missing, at `since`."""
        self.coll.update_one({"_id": id}, {"$set": {"in_doubt_since": since}})

    def record_unknown(self, id: str, attempt: Mapping[str, Any]) -> None:
        """Close an attempt whose outcome was never recorded, as `unknown`, on the log."""
        update = {
            "$set": {"in_flight": None, "in_doubt_since": None},
            "$push": {"attempt_log": dict(attempt)},
        }
        self.coll.update_one({"_id": id}, update)

    def record(self, id: str, fields: Mapping[str, Any], attempt: Mapping[str, Any]) -> None:
        """Store an attempt's outcome on the log record (and clear its `in_flight` note)."""
        update = {
            "$set": {
                **fields,
                "claimed_until": None,
                "claim": None,
                "in_flight": None,
                "in_doubt_since": None,
            },
            "$push": {"attempt_log": dict(attempt)},
        }
        self.coll.update_one({"_id": id}, update)

    def resend(self, id: str, fields: Mapping[str, Any], entry: Mapping[str, Any]) -> Doc | None:
        """Failed → pending again and queued; None when the delivery is not failed."""
        doc = self.coll.find_one_and_update(
            {"_id": id, "status": DeliveryStatus.FAILED.value},
            {"$set": dict(fields), "$push": {"attempt_log": dict(entry)}},
            return_document=ReturnDocument.AFTER,
        )
        if doc is not None:
            self.queue.enqueue(id, entry["at"], int(doc.get("claim_gen") or 0))
        return doc

    def dead_lettered(self, id: str, now: datetime) -> None:
        self.coll.update_one({"_id": id}, {"$set": {"dlq_pending": False, "dead_lettered_at": now}})

    def awaiting_dead_letter(self, before: datetime, limit: int = 100) -> list[Doc]:
        """Failed deliveries whose dead letter is still unpublished since before `before`."""
        query = {"dlq_pending": True, "updated_at": {"$lte": before}}
        return list(self.coll.find(query).limit(limit))

    def search(self, query: Doc, limit: int, offset: int) -> tuple[list[Doc], int]:
        """A page of matching deliveries, newest first, and the total count."""
        cursor = self.coll.find(query).sort([("created_at", DESCENDING), ("_id", DESCENDING)])
        items = list(cursor.skip(offset).limit(limit))
        return items, self.coll.count_documents(query)

    def counts(self, query: Doc) -> dict[str, int]:
        """Deliveries per status (counted in Python: one pass, portable to FerretDB)."""
        found = {s.value: 0 for s in DeliveryStatus}
        for doc in self.coll.find(query, {"status": 1}):
            found[str(doc.get("status"))] = found.get(str(doc.get("status")), 0) + 1
        return found
