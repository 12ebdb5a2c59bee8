"""Read and write topics directly in integration and e2e tests."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from kafka import KafkaConsumer, KafkaProducer

from smartcity_shared.settings import Settings


def read_all(settings: Settings, topic: str, expect: int, timeout: float = 30.0) -> list[Any]:
    """Every record of `topic` (prefixed) from the beginning, waiting until `expect` arrived."""
    return read_matching(settings, topic, lambda _: True, expect, timeout)


def read_matching(
    settings: Settings,
    topic: str,
    match: Callable[[Any], bool],
    expect: int,
    timeout: float = 30.0,
) -> list[Any]:
    """The records of `topic` (prefixed, read from the beginning) for which `match` is true,
    reading until `expect` of them arrived or `timeout` seconds passed (then what was found).
    For a topic that others write to as well: pick this test's records by key or value."""
    consumer = KafkaConsumer(
        settings.topic(topic),
        bootstrap_servers=settings.kafka_bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
        consumer_timeout_ms=500,
    )
    records: list[Any] = []
    deadline = time.monotonic() + timeout
    try:
        while len(records) < expect and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=500).values():
                records.extend(r for r in batch if match(r))
    finally:
        consumer.close()
    return records


def headers_of(record: Any) -> dict[str, str]:
    """A record's headers as text (the DLQ's `dlq.reason`, `dlq.topic`, ...)."""
    return {key: value.decode() for key, value in record.headers or []}


def events_of(records: list[Any]) -> list[dict[str, Any]]:
    return [json.loads(r.value) for r in records]


def produce(
    settings: Settings, topic: str, key: str, value: bytes, partition: int | None = None
) -> None:
    """Send one record (to `partition` when given, else where its key hashes) and wait for
    the broker's ack."""
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers, acks="all")
    try:
        producer.send(
            settings.topic(topic), key=key.encode(), value=value, partition=partition
        ).get(timeout=15)
    finally:
        producer.close()


def partitions(settings: Settings, topic: str) -> list[int]:
    """The partition numbers of `topic` (prefixed), as the broker reports them."""
    consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap_servers)
    try:
        return sorted(consumer.partitions_for_topic(settings.topic(topic)) or [])
    finally:
        consumer.close()
