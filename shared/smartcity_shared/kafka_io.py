"""Kafka plumbing: producer, admin and topic creation with the contract's policies."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from typing import Any

from kafka import KafkaAdminClient, KafkaProducer
from kafka.errors import TopicAlreadyExistsError

from .events.registry import COMPACTED_TOPICS, TOPICS
from .settings import Settings

PARTITIONS = 3
#: Reconnect to a broker that went away at least once a second (the client's default backs
#: off up to 30 s, so a consumer would sit idle for that long after a broker restart).
RECONNECT: dict[str, Any] = {"reconnect_backoff_max_ms": 1000}


PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")


def connection(settings: Settings) -> dict[str, Any]:
    """How every Kafka client of the platform reaches the brokers: bootstrap servers and the
    transport security from the settings (TLS with the given CA, SASL credentials)."""
    protocol = settings.kafka_security_protocol
    if protocol not in PROTOCOLS:
        raise ValueError(f"KAFKA_SECURITY_PROTOCOL must be one of {', '.join(PROTOCOLS)}")
    config: dict[str, Any] = {
        "bootstrap_servers": settings.kafka_bootstrap_servers.split(","),
        "security_protocol": protocol,
    }
    if protocol in ("SSL", "SASL_SSL"):
        config["ssl_check_hostname"] = True
        if settings.kafka_ssl_cafile:
            config["ssl_cafile"] = settings.kafka_ssl_cafile
    if protocol.startswith("SASL_"):
        if settings.kafka_sasl_mechanism not in MECHANISMS:
            raise ValueError(f"KAFKA_SASL_MECHANISM must be one of {', '.join(MECHANISMS)}")
        config["sasl_mechanism"] = settings.kafka_sasl_mechanism
        config["sasl_plain_username"] = settings.kafka_sasl_username
        config["sasl_plain_password"] = settings.kafka_sasl_password
    return config


def publisher(settings: Settings, **overrides: Any) -> KafkaPublisher:
    """A lazily connecting publisher for `settings` (see KafkaPublisher)."""
    return KafkaPublisher(lambda: producer(settings, **overrides))


def producer(settings: Settings, **overrides: Any) -> KafkaProducer:
    """acks=all, idempotent, bytes in/out; `send` blocks at most 5 s when Kafka is away."""
    config: dict[str, Any] = {
        **connection(settings),
        "acks": "all",
        "enable_idempotence": True,
        "linger_ms": 5,
        "max_block_ms": 5000,
        "request_timeout_ms": 10000,
        "client_id": f"{settings.service}-producer",
        **RECONNECT,
    }
    config.update(overrides)
    return KafkaProducer(**config)


def admin(settings: Settings) -> KafkaAdminClient:
    return KafkaAdminClient(
        **connection(settings),
        client_id=f"{settings.service}-admin",
        request_timeout_ms=10000,
    )


def topic_specs(settings: Settings) -> dict[str, dict[str, Any]]:
    """Every contract topic and its dead-letter topic, with partitions and cleanup policy."""
    specs: dict[str, dict[str, Any]] = {}
    # With three or more replicas a write needs two of them (producers use acks=all), so
    # losing one broker loses nothing and blocks nothing.
    durable = {"min.insync.replicas": "2"} if settings.topic_replication >= 3 else {}
    for name in TOPICS:
        configs = {"cleanup.policy": "compact"} if name in COMPACTED_TOPICS else {}
        configs |= durable
        specs[settings.topic(name)] = {
            "num_partitions": PARTITIONS,
            "replication_factor": settings.topic_replication,
            "configs": configs,
        }
        specs[settings.topic(f"{name}.dlq")] = {
            "num_partitions": 1,
            "replication_factor": settings.topic_replication,
            "configs": dict(durable),
        }
    return specs


def ensure_topics(settings: Settings) -> list[str]:
    """Create the missing topics; returns the names created. Idempotent."""
    client = admin(settings)
    try:
        existing = set(client.list_topics())
        missing = {k: v for k, v in topic_specs(settings).items() if k not in existing}
        if missing:
            try:
                client.create_topics(missing, wait_for_metadata=True)
            except TopicAlreadyExistsError:
                pass
        return sorted(missing)
    finally:
        client.close()


def broker_reachable(settings: Settings, timeout: float = 1.0) -> str | None:
    """None when some bootstrap server accepts a TCP connection, else a short reason."""
    reason = "no bootstrap servers"
    for server in settings.kafka_bootstrap_servers.split(","):
        host, _, port = server.strip().rpartition(":")
        try:
            with socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout):
                return None
        except OSError as exc:
            reason = f"{server}: {exc.strerror or exc}"
    return reason


Record = tuple[str, str, bytes, list[tuple[str, bytes]]]


class KafkaPublisher:
    """Blocking publisher: `publish_many` returns once the broker acknowledged every record
    (acks=all), in order; raises on the first failure (later records may not be sent).

    The producer is created on first use (kafka-python connects when it is built), so a
    process can start while Kafka is down; a failed producer is rebuilt on the next call.
    """

    def __init__(self, factory: Callable[[], KafkaProducer], timeout_s: float = 15.0) -> None:
        self.factory = factory
        self.timeout_s = timeout_s
        self._producer: KafkaProducer | None = None
        self._lock = threading.Lock()

    def _get(self) -> KafkaProducer:
        with self._lock:
            if self._producer is None:
                self._producer = self.factory()
            return self._producer

    def publish_many(self, records: list[Record]) -> None:
        producer = self._get()
        try:
            futures = [
                producer.send(topic, key=key.encode(), value=value, headers=headers or None)
                for topic, key, value, headers in records
            ]
            producer.flush(timeout=self.timeout_s)
            for future in futures:
                future.get(timeout=self.timeout_s)
        except Exception:
            self._discard(producer)
            raise

    def _discard(self, producer: KafkaProducer) -> None:
        with self._lock:
            if self._producer is producer:
                self._producer = None
        try:
            producer.close(timeout=1)
        except Exception:
            pass

    def close(self) -> None:
        if self._producer is not None:
            self._producer.close(timeout=5)
            self._producer = None
