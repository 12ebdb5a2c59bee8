"""A Kafka restart (SIGTERM, then start) does not leave the consumer loop waiting for the
broker to expire a stale group membership: the loop keeps its consumer (the client
reconnects), and the group has one member again when consumption resumes."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from smartcity_shared.consumer import Event
from smartcity_shared.consumer_loop import ConsumerLoop, MongoProcessedLog
from smartcity_shared.events import encode
from smartcity_shared.kafka_io import admin
from smartcity_shared.kafka_io import publisher as make_publisher
from smartcity_shared.worker import _guard
from tests.support.kafka import produce
from tests.support.stack import eventually, stack

from .test_faults import UNIT, unit_event

#: From the acknowledged event: far above the ~1 s it takes now, well under the 20+ s the
#: 30 s reconnect backoff or a stale member's 45 s session cost before.
RECOVERY_S = 15.0


@pytest.fixture
def kafka_restored():  # type: ignore[no-untyped-def]
    yield
    stack("start", "kafka")


def _members(settings: Any, group: str) -> int:
    client = admin(settings)
    try:
        described = client.describe_groups([settings.topic(group)])
        return len(described[settings.topic(group)]["members"])
    finally:
        client.close()


def test_the_consumer_resumes_after_a_kafka_restart_without_a_stale_member(
    make_settings, mongo, kafka_restored, caplog
) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings("notification")
    db = mongo[settings.database]
    handled: list[str] = []

    def handle(event: Event) -> None:
        handled.append(event.id)

    loop = ConsumerLoop(
        settings, "restart", ["smartcity.directory"], {UNIT: handle},
        MongoProcessedLog(db, "restart"), make_publisher(settings),
    )  # fmt: skip
    stop = threading.Event()
    thread = threading.Thread(target=_guard("consumer", loop.run, stop), daemon=True)
    thread.start()
    try:
        first = unit_event("dinkes")
        produce(settings, "smartcity.directory", "k1", encode(first))
        eventually(lambda: first["id"] in handled, timeout=60, message="consumed before")
        stack("stop", "kafka")  # SIGTERM: the broker shuts down cleanly
        stack("start", "kafka")
        began = time.monotonic()
        second = unit_event("bappeda")
        produce(settings, "smartcity.directory", "k2", encode(second))  # the broker is serving
        acked = time.monotonic()
        # Before: consumed 27-50 s after the restart in 6 of 9 runs (the client's reconnect
        # backoff grows to 30 s; or a crashed, rebuilt consumer waited for its stale member's
        # 45 s session); now 1-7 s after the restart, within 0.2 s of the acknowledged event.
        eventually(lambda: second["id"] in handled, timeout=RECOVERY_S, message="consumed after")
        done = time.monotonic()
        print(
            f"\nconsumed {done - began:.1f} s after the restart, {done - acked:.1f} s after the ack"
        )
        eventually(lambda: _members(settings, "restart") == 1, message="one group member")
    finally:
        stop.set()
        thread.join(timeout=20)
    crashed = [r for r in caplog.records if "crashed" in r.getMessage()]
    assert crashed == []  # the loop kept its consumer (no rebuild, no new member)
