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

    def claim(self, now: datetime, lease: timedelta, worker: str, batch: int) -> list[Doc]:
        """Up to `batch` entries claimed for this worker: due retries first, then the head of
        the ready queue. Each carries `queue` (its collection) and `claim` (the token)."""
        due = [d for d in self.retry.find({"due_at": {"$lte": now}}) if _free(d, now)]
        head = [d for d in self.ready.find({}).limit(self.window) if _free(d, now)]
        random.shuffle(head)  # replicas reading the same head mostly try different entries
        claimed: list[Doc] = []
        for name, candidates in ((RETRY, due), (READY, head)):
            for doc in candidates:
                if len(claimed) >= batch:
                    return claimed
                got = self.claimers[name].claim_one(doc, now, lease, worker, {})
                if got is not None:
                    claimed.append({**got, "queue": name})
        return claimed

    def done(self, entry: Doc) -> None:
        """Sent, failed or no longer wanted: out of the queue."""
        (self.ready if entry["queue"] == READY else self.retry).delete_one({"_id": entry["_id"]})

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
