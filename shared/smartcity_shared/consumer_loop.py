"""`ConsumerLoop`: `consumer.process` around a real KafkaConsumer with manual commits.

Offsets are committed once per poll batch, strictly after the batch's effects are stored:
handlers may buffer their writes in a `BatchScope` (flushed at the end of the batch), and
the processed-event log remembers the batch's ids in one insert after them. A worker that
dies before the commit gets the batch again; the processed log and idempotent handlers make
that harmless (at least once).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError
from kafka.structs import OffsetAndMetadata
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from .bulk import insert_new
from .consumer import Handler, Outcome, process
from .errors import TransientError
from .kafka_io import RECONNECT, connection
from .logs import brief
from .metrics import CONSUMER_LAG, EVENTS_CONSUMED, EVENTS_DEAD_LETTERED, EVENTS_RETRIED
from .relay import Publisher
from .settings import Settings
from .store import is_store_failure

log = logging.getLogger(__name__)
BACKOFF_S = (0.2, 0.5, 1.0, 2.0, 5.0)
CRASH_RETRIES = 3
IN_PLACE_RETRIES = 3


@runtime_checkable
class BatchScope(Protocol):
    """Writes buffered over one poll batch. `begin` opens the batch (on the consumer's
    thread), `flush` stores what was buffered and raises when it could not (then nothing is
    committed and the batch is consumed again), `discard` drops the buffer."""

    def begin(self) -> None: ...

    def flush(self) -> None: ...

    def discard(self) -> None: ...


class MongoProcessedLog:
    """Processed event ids in the service's own database (`processed_events`, unique _id).

    Outside a batch every call is one store command. Inside one (`begin` .. `flush`), `seen`
    answers from one `prefetch` query and `remember` buffers until `flush` (one insert)."""

    def __init__(self, db: Database[dict[str, Any]], group: str) -> None:
        self.coll = db["processed_events"]
        self.group = group
        self._batch: dict[str, str] | None = None
        self._known: set[str] = set()
        self._asked: set[str] = set()

    def _key(self, event_id: str) -> str:
        return f"{self.group}:{event_id}"

    def begin(self) -> None:
        self._batch, self._known, self._asked = {}, set(), set()

    def prefetch(self, event_ids: Iterable[str]) -> None:
        """Look up many ids with one query; `seen` answers them without the store."""
        keys = {self._key(i) for i in event_ids} - self._asked
        if keys:
            found = self.coll.find({"_id": {"$in": sorted(keys)}}, {"_id": 1})
            self._known |= {str(d["_id"]) for d in found}
            self._asked |= keys

    def seen(self, event_id: str) -> bool:
        key = self._key(event_id)
        if self._batch is not None:
            if key in self._batch:
                return True
            if key in self._asked:
                return key in self._known
        return self.coll.find_one({"_id": key}, {"_id": 1}) is not None

    def remember(self, event_id: str, type: str) -> None:
        if self._batch is not None:
            self._batch.setdefault(self._key(event_id), type)
            return
        try:
            self.coll.insert_one({"_id": self._key(event_id), "type": type})
        except DuplicateKeyError:
            pass

    def flush(self) -> None:
        batch, self._batch = self._batch, None
        if batch:
            insert_new(self.coll, [{"_id": key, "type": t} for key, t in batch.items()])

    def discard(self) -> None:
        self._batch = None


def event_ids(records: Iterable[Any]) -> list[str]:
    """The envelope ids of `records` that have one (for `prefetch`; poison is skipped)."""
    found = []
    for record in records:
        try:
            found.append(str(json.loads(record.value)["id"]))
        except (TypeError, ValueError, KeyError, IndexError):
            continue
    return found


class ConsumerLoop:
    """Consumes `topics` as consumer group `group`; blocks in `run` until `stop` is set."""

    def __init__(
        self,
        settings: Settings,
        group: str,
        topics: list[str],
        handlers: Mapping[str, Handler],
        processed: Any,
        publisher: Publisher,
        scopes: Sequence[BatchScope] = (),
    ) -> None:
        self.settings = settings
        self.group = settings.topic(group)
        self.topics = [settings.topic(t) for t in topics]
        self.handlers = handlers
        self.processed = processed
        self.publisher = publisher
        # Handler effects first, then the processed ids: an id is stored only after its work.
        self.scopes = [*scopes, *([processed] if isinstance(processed, BatchScope) else [])]
        self.crashes: dict[tuple[str, int, int], int] = {}
        # After a batch whose buffered writes were refused (not a store outage), the next
        # batch runs unbuffered, so the one bad message is dead-lettered as it would be alone.
        self.unbuffered = False
        self.transients: dict[tuple[str, int, int], int] = {}

    def _consumer(self) -> KafkaConsumer:
        return KafkaConsumer(
            *self.topics,
            **connection(self.settings),
            group_id=self.group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=100,
            client_id=f"{self.settings.service}-consumer",
            **RECONNECT,
        )

    def run(self, stop: threading.Event) -> None:
        """Poll, handle, commit until `stop`. A Kafka error (the broker away or restarting,
        a commit refused after a rebalance) does not end the loop: the same consumer keeps
        its group membership and reconnects, so a restarted broker does not make the group
        wait for a stale member to expire; the uncommitted batch is consumed again."""
        consumer = self._consumer()
        outage = False
        try:
            while not stop.is_set():
                try:
                    batches = consumer.poll(timeout_ms=500)
                    if batches:
                        self._batch(consumer, batches, stop)
                except KafkaError as exc:
                    if not outage:
                        log.warning(
                            "kafka unavailable for %s, reconnecting: %s", self.group, brief(exc)
                        )
                    outage = True
                    stop.wait(1.0)
                    continue
                if outage:
                    log.info("kafka available again for %s", self.group)
                    outage = False
                self._lag(consumer)
        finally:
            consumer.close(autocommit=False)

    def _batch(
        self, consumer: KafkaConsumer, batches: Mapping[TopicPartition, list[Any]], stop: Any
    ) -> None:
        """Handle one poll's records, store their buffered effects, then commit once."""
        scopes, self.unbuffered = ([] if self.unbuffered else self.scopes), False
        for scope in scopes:
            scope.begin()
        offsets: dict[TopicPartition, OffsetAndMetadata] = {}
        try:
            prefetch = getattr(self.processed, "prefetch", None)
            if prefetch is not None and self.processed in scopes:
                prefetch(event_ids(r for records in batches.values() for r in records))
            for tp, records in batches.items():
                if stop.is_set():
                    break
                done = self._partition(consumer, tp, records, stop)
                if done is not None:
                    offsets[tp] = OffsetAndMetadata(done, "", -1)
            for scope in scopes:
                scope.flush()
        except Exception as exc:
            if is_store_failure(exc):
                log.warning("store unavailable, the batch will be consumed again: %s", brief(exc))
            else:
                log.exception("could not store a batch; it will be consumed again")
            self._replay(consumer, batches)
            self.unbuffered = not is_store_failure(exc)
            stop.wait(1.0)
            return
        except BaseException:
            self._replay(consumer, batches)
            raise
        if offsets:
            consumer.commit(offsets)

    def _replay(self, consumer: KafkaConsumer, batches: Mapping[TopicPartition, list[Any]]) -> None:
        for scope in self.scopes:
            scope.discard()
        for tp, records in batches.items():
            consumer.seek(tp, records[0].offset)

    def _partition(
        self, consumer: KafkaConsumer, tp: TopicPartition, records: list[Any], stop: Any
    ) -> int | None:
        """Handle `tp`'s records in order; the offset to commit after them (None: none was
        finished). A record to retry later, or a stop, ends the partition's turn there."""
        done = None
        for record in records:
            outcome = self._with_retries(record, stop)
            if outcome is None:  # stopping, or retry later: replay from this record
                consumer.seek(tp, record.offset)
                break
            done = record.offset + 1
        return done

    def _with_retries(self, record: Any, stop: threading.Event) -> Outcome | None:
        attempt = 0
        while not stop.is_set():
            try:
                outcome = process(record.value, self.handlers, self.processed)
            except TransientError as exc:
                key = (record.topic, record.partition, record.offset)
                tries = self.transients[key] = self.transients.get(key, 0) + 1
                EVENTS_RETRIED.labels(self.group).inc()
                log.warning(
                    "transient failure at %s:%s: %s", record.topic, record.offset, brief(exc)
                )
                stop.wait(BACKOFF_S[min(tries - 1, len(BACKOFF_S) - 1)])
                if tries % IN_PLACE_RETRIES == 0:
                    # Let the other partitions go on (the event this one waits for may be
                    # there); this record comes back with the next poll.
                    return None
                continue
            except (
                Exception
            ) as exc:  # a bug: a few tries, then dead-letter so the partition moves on
                key = (record.topic, record.partition, record.offset)
                self.crashes[key] = self.crashes.get(key, 0) + 1
                log.exception("handler crashed at %s:%s", record.topic, record.offset)
                if self.crashes[key] < CRASH_RETRIES:
                    stop.wait(BACKOFF_S[attempt % len(BACKOFF_S)])
                    attempt += 1
                    continue
                outcome = Outcome("dead-letter", "handler-crashed", f"{type(exc).__name__}: {exc}")
            key = (record.topic, record.partition, record.offset)
            self.transients.pop(key, None)
            self.crashes.pop(key, None)
            return self._finish(record, outcome, stop)
        return None

    def _finish(self, record: Any, outcome: Outcome, stop: threading.Event) -> Outcome | None:
        if outcome.status == "dead-letter":
            try:
                self._dead_letter(record, outcome)
            except Exception:
                log.exception("dead-letter publish failed; will retry")
                stop.wait(1.0)
                return None
            EVENTS_DEAD_LETTERED.labels(self.group, outcome.reason).inc()
        event_type = "unknown"
        EVENTS_CONSUMED.labels(self.group, event_type, outcome.status).inc()
        return outcome

    def _dead_letter(self, record: Any, outcome: Outcome) -> None:
        headers = [
            ("dlq.reason", outcome.reason.encode()),
            ("dlq.detail", outcome.detail[:2000].encode()),
            ("dlq.topic", record.topic.encode()),
            ("dlq.partition", str(record.partition).encode()),
            ("dlq.offset", str(record.offset).encode()),
            ("dlq.group", self.group.encode()),
        ]
        key = record.key.decode(errors="replace") if record.key else ""
        self.publisher.publish_many([(f"{record.topic}.dlq", key, record.value or b"", headers)])
        log.warning("dead-lettered %s:%s (%s)", record.topic, record.offset, outcome.reason)

    def _lag(self, consumer: KafkaConsumer) -> None:
        """The lag gauge, best effort: a position that cannot be had now is skipped."""
        for tp in consumer.assignment():
            high = consumer.highwater(tp)
            if high is None:
                continue
            try:
                position = consumer.position(tp, timeout_ms=100)
            except KafkaError:
                continue
            if position is not None:
                CONSUMER_LAG.labels(self.group, tp.topic, tp.partition).set(max(0, high - position))
