"""Kafka over TLS with SASL/SCRAM, configured from the environment alone, against a real broker
that accepts nothing else: topics are created, an event is published by the platform's
publisher and read back with the consumer settings the workers use; a wrong password or a
client without TLS gets nothing through."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from kafka import KafkaConsumer
from kafka.errors import KafkaError

from smartcity_shared.kafka_io import admin, connection, ensure_topics, publisher
from smartcity_shared.settings import Settings
from tests.support.secure_kafka import SecureBroker, secure_broker
from tests.support.stack import eventually

TOPIC = "smartcity.directory"


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecureBroker]:
    with secure_broker(tmp_path_factory.mktemp("secure-kafka")) as running:
        yield running


def settings_for(broker: SecureBroker, password: str | None = None, **extra: str) -> Settings:
    name, secret = broker.user
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
        "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
        "KAFKA_SASL_USERNAME": name,
        "KAFKA_SASL_PASSWORD": secret if password is None else password,
        "KAFKA_SSL_CAFILE": str(broker.cafile),
        **extra,
    }
    return Settings.from_env("evaluation", env)


def topics_created(settings: Settings) -> bool:
    try:
        ensure_topics(settings)
    except KafkaError:
        return False  # the broker still starting its listener
    client = admin(settings)
    try:
        return TOPIC in set(client.list_topics())
    finally:
        client.close()


def test_events_travel_over_tls_and_scram_with_settings_from_the_environment(
    broker: SecureBroker,
) -> None:
    settings = settings_for(broker)
    eventually(lambda: topics_created(settings), 120, interval=1.0, message="topics created")
    out = publisher(settings)
    out.publish_many([(TOPIC, "kab-batang", b'{"hello": "secured"}', [("h", b"1")])])
    out.close()
    consumer = KafkaConsumer(
        TOPIC,
        **connection(settings),
        group_id="secured-test",
        auto_offset_reset="earliest",
        consumer_timeout_ms=2000,
    )
    try:
        values = eventually(lambda: [m.value for m in consumer], 60, message="the event read back")
    finally:
        consumer.close()
    assert values == [b'{"hello": "secured"}']


def test_a_wrong_password_or_a_client_without_tls_gets_nothing_through(
    broker: SecureBroker,
) -> None:
    eventually(lambda: topics_created(settings_for(broker)), 120, interval=1.0)
    for wrong in (
        settings_for(broker, password="not-the-password"),
        settings_for(broker, KAFKA_SECURITY_PROTOCOL="PLAINTEXT"),
    ):
        with pytest.raises(KafkaError):
            client = admin(wrong.with_())
            try:
                client.list_topics()
            finally:
                client.close()


def test_unknown_protocols_and_mechanisms_are_refused_at_start(broker: SecureBroker) -> None:
    with pytest.raises(ValueError, match="KAFKA_SECURITY_PROTOCOL"):
        connection(settings_for(broker, KAFKA_SECURITY_PROTOCOL="TLS"))
    with pytest.raises(ValueError, match="KAFKA_SASL_MECHANISM"):
        connection(settings_for(broker, KAFKA_SASL_MECHANISM="GSSAPI"))
    assert Path(broker.cafile).read_text().startswith("-----BEGIN CERTIFICATE-----")
