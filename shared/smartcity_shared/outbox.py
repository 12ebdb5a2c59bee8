"""The transactional outbox on single-document atomicity.

An aggregate document carries the events its write caused in the same update:
`_outbox: {"<rev>-<n>": "<json {topic, key, value}>"}` and `_pending: true`. The write and
its events are stored together or not at all, so an event is published if and only if its
write was stored. `OutboxRelay` (in the worker) publishes pending entries in key order and
then removes them; several relays may run: a per-document lease keeps them from publishing
the same document at once, and a relay killed between publish and removal leads to a
duplicate that consumers absorb (they are idempotent on event id).
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import wraps
from typing import Any, TypeVar

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from .errors import Conflict, NotFound, PreconditionFailed
from .events.envelope import encode
from .events.registry import lookup

log = logging.getLogger(__name__)
Doc = dict[str, Any]
INTERNAL = ("_outbox", "_pending", "_lease")
HINTS = "outbox_hints"  # "<collection>/<id>" of documents with pending events (a hint only)


def outbox_entries(rev: int, events: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """`$set` fields that put `events` into the document's outbox, ordered by revision."""
    entries: dict[str, str] = {}
    for n, event in enumerate(events):
        entry = lookup(str(event["type"]))
        if entry is None:
            raise KeyError(f"unregistered event type {event['type']}")
        record = {
            "topic": entry.topic,
            "key": event["subject"],
            "value": encode(dict(event)).decode(),
        }
        entries[f"_outbox.{rev:010d}-{n:03d}"] = json.dumps(record)
    return entries


def public(doc: Doc | None) -> Doc | None:
    """The document without outbox bookkeeping (what repositories hand to the domain)."""
    if doc is None:
        return None
    return {k: v for k, v in doc.items() if k not in INTERNAL}


class DocumentStore:
    """One collection of aggregates, written with their events; `_rev` is the ETag revision."""

    def __init__(self, collection: Collection[Doc]) -> None:
        self.collection = collection

    def get(self, id: str) -> Doc | None:
        return public(self.collection.find_one({"_id": id}, {"_outbox": 0}))

    def insert(self, doc: Doc, events: Sequence[Mapping[str, Any]] = ()) -> Doc:
        """Store a new document (revision 1) with its events; Conflict when the id exists."""
        stored = {**doc, "_rev": 1}
        body: Doc = dict(stored)
        if events:
            body["_outbox"] = {k.split(".", 1)[1]: v for k, v in outbox_entries(1, events).items()}
            body["_pending"] = True
        try:
            self.collection.insert_one(body)
        except DuplicateKeyError as exc:
            raise Conflict(f"{doc.get('_id')} already exists") from exc
        if events:
            self._hint(doc["_id"])
        return stored

    def _hint(self, id: Any) -> None:
        """Tell the relay where to look. The events are already stored with the document, so a
        lost hint only delays them until the relay's periodic sweep; it is never an error."""
        try:
            self.collection.database[HINTS].update_one(
                {"_id": f"{self.collection.name}/{id}"},
                {"$set": {"collection": self.collection.name, "doc": id, "at": datetime.now(UTC)}},
                upsert=True,
            )
        except Exception:
            log.warning(
                "outbox hint not stored for %s/%s; the sweep will find it",
                self.collection.name,
                id,
                exc_info=True,
            )

    def save(
        self, doc: Doc, expected_rev: int | None, events: Sequence[Mapping[str, Any]] = ()
    ) -> Doc:
        """Replace the document's fields if its revision is still the one they were read at.

        With `expected_rev` (If-Match) a stale write raises PreconditionFailed (412). Without
        it, a document that carries `_rev` (it was loaded, then changed) is written only if
        still at that revision, else `StaleWrite` (409; `retry_stale` starts the use case
        over), so no concurrent change is ever overwritten. A document without `_rev` (a
        projection's fresh copy) is written over whatever is stored (last writer wins).
        Raises NotFound when the document is gone. Returns the stored document.
        """
        if expected_rev is None and doc.get("_rev") is not None:
            try:
                return self._save_once(doc, int(doc["_rev"]), events)
            except PreconditionFailed as exc:
                raise StaleWrite(f"{doc['_id']} changed meanwhile; retry") from exc
        for _ in range(5 if expected_rev is None else 1):
            try:
                return self._save_once(doc, expected_rev, events)
            except PreconditionFailed:
                if expected_rev is not None:
                    raise
        return self._save_once(doc, expected_rev, events)

    def _save_once(
        self, doc: Doc, expected_rev: int | None, events: Sequence[Mapping[str, Any]]
    ) -> Doc:
        id = doc["_id"]
        current = self.collection.find_one({"_id": id}, {"_rev": 1})
        if current is None:
            raise NotFound(f"{id} not found")
        rev = int(current.get("_rev", 0))
        if expected_rev is not None and rev != expected_rev:
            raise PreconditionFailed(f"{id} has changed (revision {rev}, expected {expected_rev})")
        fields = {k: v for k, v in doc.items() if k not in ("_id", "_rev", *INTERNAL)}
        update: Doc = {"$set": {**fields, "_rev": rev + 1, **outbox_entries(rev + 1, events)}}
        if events:
            update["$set"]["_pending"] = True
        result = self.collection.update_one({"_id": id, "_rev": rev}, update)
        if result.matched_count == 0:
            raise PreconditionFailed(f"{id} has changed meanwhile; reload and retry")
        if events:
            self._hint(id)
        return {**fields, "_id": id, "_rev": rev + 1}

    def upsert(self, doc: Doc, events: Sequence[Mapping[str, Any]] = ()) -> Doc:
        """Insert or overwrite without a revision check (projections, idempotent handlers)."""
        fresh = {k: v for k, v in doc.items() if k != "_rev"}
        try:
            return self.insert(fresh, events)
        except Conflict:
            return self.save(fresh, None, events)


class StaleWrite(Conflict):
    """A document changed between its load and its save (no If-Match given). 409 when it
    reaches a client; `retry_stale` use cases start over instead."""


#: How often a load-decide-save use case starts over after a concurrent write.
STALE_TRIES = 10
F = TypeVar("F", bound=Callable[..., Any])


def retry_stale(use_case: F) -> F:
    """Decorate a load-decide-save use case: when its save finds the document changed since
    the load (`StaleWrite`, only without If-Match), run it again on the fresh document, so
    every concurrent change is kept and a transition happens once (the rerun's rules see
    the new state: a second submit of one draft is 409). After STALE_TRIES, 409.

    The use case must write nothing before the save that can fail, or write it
    idempotently (a rerun repeats it)."""

    @wraps(use_case)
    def run(*args: Any, **kwargs: Any) -> Any:
        for attempt in range(STALE_TRIES - 1):
            try:
                return use_case(*args, **kwargs)
            except StaleWrite:
                # a jittered, growing pause (≤ 0.32 s) so writers that collided spread out
                time.sleep(random.uniform(0, 0.005 * 2 ** min(attempt, 6)))
        return use_case(*args, **kwargs)

    return run  # type: ignore[return-value]
