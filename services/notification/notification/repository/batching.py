"""Deliveries stored per consumer batch: a few bulk inserts instead of ~3 writes per delivery.

While a batch is open on a thread (`begin`, by the consumer loop), `DeliveryRepository.add`
on that thread only buffers; `flush` then stores the batch in the order that single adds
use — rendered mails, log records, queue entries — each as one unordered insert. Anything
out of the ordinary (a record that already exists: a redelivered event; one held until a
requested time) goes through the single `add`, which knows those cases. Other threads (the
API, the reminder loop) are never buffered. A flush that fails leaves nothing half-queued
that matters: records without queue entries are re-queued when the batch comes again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo.collection import Collection

from notification.domain.delivery import DeliveryStatus
from smartcity_shared.bulk import insert_new

Doc = dict[str, Any]
PENDING = DeliveryStatus.PENDING.value


@dataclass(frozen=True)
class Buffered:
    id: str
    doc: Doc
    mail: Mapping[str, str] | None
    now: datetime

    @property
    def ready_now(self) -> bool:
        """Pending and due now: goes to the ready queue (the common case)."""
        due = self.doc.get("next_attempt_at")
        held = isinstance(due, datetime) and due > self.now
        return self.doc.get("status") == PENDING and not held


class DeliveryBatch:
    """The per-thread buffer of one repository (see the module docstring)."""

    def __init__(
        self,
        records: Collection[Doc],
        mails: Collection[Doc],
        ready: Callable[[list[str], datetime], None],
        add_one: Callable[[Doc, Mapping[str, str] | None, datetime], bool],
    ) -> None:
        self.records, self.mails = records, mails
        self.ready, self.add_one = ready, add_one
        self._local = threading.local()

    def _items(self) -> dict[str, Buffered] | None:
        items: dict[str, Buffered] | None = getattr(self._local, "items", None)
        return items

    def begin(self) -> None:
        self._local.items = {}

    def discard(self) -> None:
        self._local.items = None

    def pending(self) -> int:
        """Deliveries buffered on this thread (0 outside a batch)."""
        return len(self._items() or {})

    def buffer(self, id: str, doc: Doc, mail: Mapping[str, str] | None, now: datetime) -> bool:
        """Keep the delivery for `flush` when a batch is open on this thread (True)."""
        items = self._items()
        if items is None:
            return False
        items.setdefault(id, Buffered(id, doc, mail, now))
        return True

    def flush(self) -> None:
        """Store the buffered deliveries: three inserts for the common case. Raises what
        the store raises; the buffer is dropped either way."""
        items = list((self._items() or {}).values())
        self.discard()
        if not items:
            return
        insert_new(self.mails, [{"_id": i.id, **i.mail} for i in items if i.mail is not None])
        existing = insert_new(self.records, [{**i.doc, "_id": i.id} for i in items])
        fresh = [i for n, i in enumerate(items) if n not in existing]
        for item in [i for n, i in enumerate(items) if n in existing]:
            self.add_one(item.doc, item.mail, item.now)  # re-queues it if still pending
        for item in [i for i in fresh if not i.ready_now and i.doc.get("status") == PENDING]:
            self.add_one(item.doc, item.mail, item.now)  # held: the single path queues it
        ready = [i for i in fresh if i.ready_now]
        if ready:
            self.ready([i.id for i in ready], min(i.now for i in ready))
