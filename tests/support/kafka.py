"""Read and write topics directly in integration tests."""

from __future__ import annotations

import json
import time
from typing import Any

from kafka import KafkaConsumer, KafkaProducer

from smartcity_shared.settings import Settings


def read_all(settings: Settings, topic: str, expect: int, timeout: float = 30.0) -> list[Any]:
    """Every record of `topic` (prefixed) from the beginning, waiting until `expect` arrived."""
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
                records.extend(batch)
    finally:
        consumer.close()
    return records


def events_of(records: list[Any]) -> list[dict[str, Any]]:
    return [json.loads(r.value) for r in records]


def produce(settings: Settings, topic: str, key: str, value: bytes) -> None:
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers, acks="all")
    try:
        producer.send(settings.topic(topic), key=key.encode(), value=value).get(timeout=15)
    finally:
        producer.close()
