"""Notices held for a daily digest (`digest_items`) and digest runs (`digest_runs`).

An item is held under (address, `digest_at`). When `digest_at` has come, one worker claims
the run for (address, `digest_at`) — `_id` the deterministic digest id; claimed with an
insert-only token (see `claims`), again when a lease expired — tags the held items with the
digest id, builds one delivery and marks the run done. Items tagged before a crash are
picked up again by the next claim; items held for a run already done (they arrived late)
move on to the next digest.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from smartcity_shared.store import IndexSpec

from .claims import Claimer

Doc = dict[str, Any]
ITEMS, RUNS, CLAIMS = "digest_items", "digest_runs", "digest_claims"
HELD = "held"
INDEXES: list[IndexSpec] = [
    (ITEMS, [("status", ASCENDING), ("digest_at", ASCENDING)], {}),
    (ITEMS, [("email", ASCENDING), ("digest_at", ASCENDING)], {}),
    (ITEMS, [("digest_id", ASCENDING)], {}),
]


def item_id(event_id: str, email: str, template: str) -> str:
    return hashlib.sha256(f"held|{event_id}|{email}|{template}".encode()).hexdigest()[:32]


class DigestRepository:
    def __init__(self, db: Database[Doc]) -> None:
        self.items = db[ITEMS]
        self.runs = db[RUNS]
        self.claimer = Claimer(self.runs, db[CLAIMS])

    def hold(self, doc: Doc) -> bool:
        """Hold one notice (insert-if-absent by its delivery key); True when new."""
        doc = {**doc, "_id": item_id(doc["event_id"], doc["email"], doc["template"])}
        try:
            self.items.insert_one({**doc, "status": HELD})
        except DuplicateKeyError:
            return False
        return True

    def due_groups(self, now: datetime, limit: int = 200) -> list[tuple[str, datetime]]:
        """(address, digest moment) pairs with held items due, oldest first."""
        docs = self.items.find(
            {"status": HELD, "digest_at": {"$lte": now}}, {"email": 1, "digest_at": 1}
        )
        groups = {
            (str(d["email"]), d["digest_at"])
            for d in docs.sort("digest_at", ASCENDING).limit(limit * 20)
        }
        return sorted(groups, key=lambda g: g[1])[:limit]

    def claim_run(self, digest_id: str, now: datetime, lease: timedelta, worker: str) -> Doc | None:
        """The run for `digest_id`, claimed (status `building`); None when another worker holds
        it. A run already done is returned as it is (status `done`)."""
        try:
            self.runs.insert_one({"_id": digest_id, "status": "open", "created_at": now})
        except DuplicateKeyError:
            pass
        run = self.runs.find_one({"_id": digest_id})
        if run is None or run["status"] == "done":
            return run
        if run["status"] == "building" and run["claimed_until"] > now:
            return None
        return self.claimer.claim_one(run, now, lease, worker, {"status": "building"})

    def tag(self, email: str, digest_at: datetime, digest_id: str) -> list[Doc]:
        """Tag the group's held items with the digest id; returns every item of the digest."""
        self.items.update_many(
            {"email": email, "digest_at": digest_at, "status": HELD},
            {"$set": {"status": "digested", "digest_id": digest_id}},
        )
        return list(self.items.find({"digest_id": digest_id}).sort("occurred_at", ASCENDING))

    def postpone(self, email: str, digest_at: datetime, to: datetime) -> int:
        """Move items held for a finished run to the next digest moment."""
        result = self.items.update_many(
            {"email": email, "digest_at": digest_at, "status": HELD}, {"$set": {"digest_at": to}}
        )
        return result.modified_count

    def finish_run(self, digest_id: str, now: datetime) -> None:
        self.runs.update_one({"_id": digest_id}, {"$set": {"status": "done", "done_at": now}})
