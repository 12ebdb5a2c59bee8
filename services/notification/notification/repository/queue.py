"""The send queue: which deliveries are waiting to be sent, kept apart from the delivery log.

Two small collections of tiny documents (`_id` = the delivery id):
- `delivery_queue`: ready now (new deliveries, resends), in insertion order;
- `delivery_retry`: waiting for `due_at` after a transient failure (few, usually).
Why not query the log: the local store (FerretDB 1.x on SQLite) pushes down only an `_id`
lookup, or a LIMIT with an empty filter; any other query decodes the whole collection. So
a sender reads the head of the ready queue with `find({}).limit(window)` (cheap however
long the backlog), checks leases in Python and claims a batch with insert-only tokens
(`claims.Claimer`); the retry collection is small enough to scan. Everything else is done by
`_id`. The queue is only an index of candidates: the delivery log's status decides whether
a claimed entry is still to be sent.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from smartcity_shared.bulk import insert_new

from .claims import Claimer

Doc = dict[str, Any]
READY, RETRY, CLAIMS = "delivery_queue", "delivery_retry", "delivery_claims"


def _free(doc: Doc, now: datetime) -> bool:
    until = doc.get("claimed_until")
    return until is None or until <= now


class SendQueue:
    def __init__(self, db: Database[Doc], window: int = 400) -> None:
        self.ready = db[READY]
        self.retry = db[RETRY]
        self.window = window
        self.claimers = {
            READY: Claimer(self.ready, db[CLAIMS]),
            RETRY: Claimer(self.retry, db[CLAIMS]),
        }

    def enqueue(self, id: str, now: datetime, claim_gen: int = 0) -> None:
        """Ready to send now (idempotent)."""
        try:
            self.ready.insert_one(
                {"_id": id, "due_at": now, "queued_at": now, "claim_gen": claim_gen}
            )
        except DuplicateKeyError:
            pass

    def enqueue_many(self, ids: list[str], now: datetime) -> None:
        """New deliveries ready to send now, in one insert (idempotent)."""
        entries = [{"_id": id, "due_at": now, "queued_at": now, "claim_gen": 0} for id in ids]
        insert_new(self.ready, entries)

    def claim(self, now: datetime, lease: timedelta, worker: str, batch: int) -> list[Doc]:
        """Up to `batch` entries claimed for this worker: due retries first, then the head of
        the ready queue. Each carries `queue` (its collection) and `claim` (the token). One
        token insert and a bulk update per collection tried (see `claims.Claimer`)."""
        due = [d for d in self.retry.find({"due_at": {"$lte": now}}) if _free(d, now)]
        head = [d for d in self.ready.find({}).limit(self.window) if _free(d, now)]
        random.shuffle(head)  # replicas reading the same head mostly try different entries
        claimed: list[Doc] = []
        for name, candidates in ((RETRY, due), (READY, head)):
            while candidates and len(claimed) < batch:
                tried, candidates = (
                    candidates[: batch - len(claimed)],
                    candidates[batch - len(claimed) :],
                )
                got = self.claimers[name].claim_many(tried, now, lease, worker, {})
                claimed += [{**doc, "queue": name} for doc in got]
        return claimed

    def done(self, entry: Doc) -> None:
        """Sent, failed or no longer wanted: out of the queue."""
        self.done_many([entry])

    def done_many(self, entries: list[Doc]) -> None:
        """`done` for many entries: one delete per collection."""
        for name, coll in ((READY, self.ready), (RETRY, self.retry)):
            ids = [e["_id"] for e in entries if e["queue"] == name]
            if len(ids) == 1:
                coll.delete_one({"_id": ids[0]})
            elif ids:
                coll.delete_many({"_id": {"$in": ids}})

    def later(self, entry: Doc, due_at: datetime) -> None:
        """Try again at `due_at` (a transient failure, or the delivery is not stored yet)."""
        doc = {"due_at": due_at, "claim_gen": entry["claim_gen"], "claimed_until": None}
        self.retry.update_one(
            {"_id": entry["_id"]},
            {"$set": doc, "$setOnInsert": {"queued_at": entry.get("queued_at")}},
            upsert=True,
        )
        if entry["queue"] == READY:
            self.ready.delete_one({"_id": entry["_id"]})

    def purge_tokens(self, now: datetime) -> int:
        return self.claimers[READY].purge(now)

    def size(self) -> dict[str, int]:
        """Entries waiting: ready now, and waiting for a retry."""
        return {"ready": self.ready.count_documents({}), "retry": self.retry.count_documents({})}
