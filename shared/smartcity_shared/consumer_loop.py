"""`ConsumerLoop`: `consumer.process` around a real KafkaConsumer with manual commits."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from .consumer import Handler, Outcome, process
from .errors import TransientError
from .metrics import CONSUMER_LAG, EVENTS_CONSUMED, EVENTS_DEAD_LETTERED, EVENTS_RETRIED
from .relay import Publisher
from .settings import Settings

log = logging.getLogger(__name__)
BACKOFF_S = (0.2, 0.5, 1.0, 2.0, 5.0)
CRASH_RETRIES = 3
IN_PLACE_RETRIES = 3


class MongoProcessedLog:
    """Processed event ids in the service's own database (`processed_events`, unique _id)."""

    def __init__(self, db: Database[dict[str, Any]], group: str) -> None:
        self.coll = db["processed_events"]
        self.group = group

    def seen(self, event_id: str) -> bool:
        return self.coll.find_one({"_id": f"{self.group}:{event_id}"}, {"_id": 1}) is not None

    def remember(self, event_id: str, type: str) -> None:
        try:
            self.coll.insert_one({"_id": f"{self.group}:{event_id}", "type": type})
        except DuplicateKeyError:
            pass


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
    ) -> None:
        self.settings = settings
        self.group = settings.topic(group)
        self.topics = [settings.topic(t) for t in topics]
        self.handlers = handlers
        self.processed = processed
        self.publisher = publisher
        self.crashes: dict[tuple[str, int, int], int] = {}
        self.transients: dict[tuple[str, int, int], int] = {}

    def _consumer(self) -> KafkaConsumer:
        return KafkaConsumer(
            *self.topics,
            bootstrap_servers=self.settings.kafka_bootstrap_servers.split(","),
            group_id=self.group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=100,
            client_id=f"{self.settings.service}-consumer",
        )

    def run(self, stop: threading.Event) -> None:
        consumer = self._consumer()
        try:
            while not stop.is_set():
                batches = consumer.poll(timeout_ms=500)
                for tp, records in batches.items():
                    if stop.is_set():
                        break
                    self._partition(consumer, tp, records, stop)
                self._lag(consumer)
        finally:
            consumer.close(autocommit=False)

    def _partition(
        self, consumer: KafkaConsumer, tp: TopicPartition, records: list[Any], stop: threading.Event
    ) -> None:
        for record in records:
            outcome = self._with_retries(record, stop)
            if outcome is None:  # stopping, or retry later: replay from this record
                consumer.seek(tp, record.offset)
                return
            consumer.commit({tp: OffsetAndMetadata(record.offset + 1, "", -1)})

    def _with_retries(self, record: Any, stop: threading.Event) -> Outcome | None:
        attempt = 0
        while not stop.is_set():
            try:
                outcome = process(record.value, self.handlers, self.processed)
            except TransientError as exc:
                key = (record.topic, record.partition, record.offset)
                tries = self.transients[key] = self.transients.get(key, 0) + 1
                EVENTS_RETRIED.labels(self.group).inc()
                log.warning("transient failure at %s:%s: %s", record.topic, record.offset, exc)
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
        for tp in consumer.assignment():
            high = consumer.highwater(tp)
            if high is None:
                continue
            position = (
                consumer.position(tp, timeout_ms=100) if hasattr(consumer, "position") else None
            )
            if position is not None:
                CONSUMER_LAG.labels(self.group, tp.topic, tp.partition).set(max(0, high - position))
