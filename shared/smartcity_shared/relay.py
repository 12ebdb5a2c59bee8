"""The outbox relay: publishes pending events stored inside aggregate documents.

Safe with several replicas (a lease per document) and with crashes (an entry is removed only
after Kafka acknowledged it; a crash in between republishes it and consumers dedupe by id).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from pymongo import ReturnDocument
from pymongo.database import Database

from .logs import brief
from .metrics import OUTBOX_BACKLOG, OUTBOX_FAILURES, OUTBOX_PUBLISHED
from .outbox import HINTS

log = logging.getLogger(__name__)

Record = tuple[str, str, bytes, list[tuple[str, bytes]]]


class Publisher(Protocol):
    """Publishes (topic, key, value, headers) records in order; returns once all are
    acknowledged by the broker, raises otherwise."""

    def publish_many(self, records: list[Record]) -> None: ...


class OutboxRelay:
    def __init__(
        self,
        db: Database[dict[str, Any]],
        collections: Iterable[str],
        publisher: Publisher,
        topic: Callable[[str], str] = lambda name: name,
        lease_s: float = 30.0,
        batch: int = 100,
        sweep_s: float = 30.0,
    ) -> None:
        self.db = db
        self.collections = tuple(collections)
        self.publisher = publisher
        self.topic = topic
        self.lease = timedelta(seconds=lease_s)
        self.batch = batch
        self.sweep_s = sweep_s
        self._next_sweep = 0.0
        self.waiting = 0

    def run_once(self, sweep: bool | None = None) -> int:
        """Publish what is pending now; returns how many events went out.

        Follows the writers' hints (cheap); every `sweep_s` it also scans each collection for
        pending documents, which catches a hint lost between a write and its hint.
        """
        now = time.monotonic()
        if sweep is None:
            sweep = now >= self._next_sweep
        sent = self._follow_hints()
        OUTBOX_BACKLOG.set(self.waiting)
        if sweep:
            self._next_sweep = now + self.sweep_s
            for name in self.collections:
                for pending in self.db[name].find({"_pending": True}, {"_id": 1}).limit(self.batch):
                    sent += self._drain(name, pending["_id"])
        return sent

    def _follow_hints(self) -> int:
        sent = waiting = 0
        for hint in self.db[HINTS].find().limit(self.batch):
            name, id = hint.get("collection"), hint.get("doc")
            if name not in self.collections:
                continue  # another relay's collection
            sent += self._drain(name, id)
            if self.db[name].find_one({"_id": id, "_pending": True}, {"_id": 1}) is not None:
                waiting += 1
                continue  # still pending (broker away, or another relay holds it): keep the hint
            # A write after this read moved `at`: that newer hint stays for the next round.
            self.db[HINTS].delete_one({"_id": hint["_id"], "at": hint.get("at")})
        self.waiting = waiting
        return sent

    def backlog(self) -> int:
        """Writes whose events wait for the relay (their hints), counted up to one batch."""
        return len(list(self.db[HINTS].find({}, {"_id": 1}).limit(self.batch)))

    def run(self, stop: threading.Event, interval_s: float = 0.2) -> None:
        """Loop until `stop` is set; failures are logged and retried on the next round."""
        failures = 0
        while not stop.is_set():
            try:
                sent = self.run_once()
                if failures:
                    log.info("outbox relay working again after %s failed rounds", failures)
                failures = 0
            except Exception as exc:  # store or broker away: back off, try again
                OUTBOX_FAILURES.inc()
                self._report_backlog()
                failures += 1
                if failures == 1:  # once per outage; the metric counts every round
                    log.warning("outbox relay round failed, retrying: %s", brief(exc))
                sent = 0
            if not sent:
                stop.wait(min(interval_s * 2**failures, 5.0))

    def _claim(self, name: str, id: Any) -> dict[str, Any] | None:
        now = datetime.now(UTC)
        return self.db[name].find_one_and_update(
            {
                "_id": id,
                "_pending": True,
                "$or": [{"_lease": {"$exists": False}}, {"_lease": {"$lt": now}}],
            },
            {"$set": {"_lease": now + self.lease}},
            return_document=ReturnDocument.AFTER,
        )

    def _drain(self, name: str, id: Any) -> int:
        doc = self._claim(name, id)
        if doc is None:
            return 0
        keys = sorted(doc.get("_outbox") or {})
        records: list[Record] = []
        for key in keys:
            entry = json.loads(doc["_outbox"][key])
            records.append((self.topic(entry["topic"]), entry["key"], entry["value"].encode(), []))
        done: list[str] = []
        try:
            self.publisher.publish_many(records)
            done = keys
        except Exception as exc:
            OUTBOX_FAILURES.inc()
            log.warning("outbox publish failed for %s/%s: %s", name, id, brief(exc))
        self._mark(name, doc, done)
        OUTBOX_PUBLISHED.inc(len(done))
        return len(done)

    def _mark(self, name: str, doc: dict[str, Any], done: list[str]) -> None:
        unset = {f"_outbox.{key}": "" for key in done}
        everything = len(done) == len(doc.get("_outbox") or {})
        coll = self.db[name]
        if everything:
            cleared = coll.update_one(
                {"_id": doc["_id"], "_rev": doc.get("_rev")},
                {"$unset": {**unset, "_pending": "", "_lease": ""}},
            )
            if cleared.matched_count:
                return
        coll.update_one({"_id": doc["_id"]}, {"$unset": {**unset, "_lease": ""}})

    def _report_backlog(self) -> None:
        """After a failed round: how much waits (unknown while the store itself is away)."""
        try:
            OUTBOX_BACKLOG.set(self.backlog())
        except Exception:  # the store is away too; the failed round is logged
            pass
