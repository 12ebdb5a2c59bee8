"""The relay reports how many writes wait for their events (the `outbox_backlog` gauge the
OutboxBacklog alert watches), against the real store: it grows while the broker is away and
drops to zero once the events are out."""

from __future__ import annotations

import threading
from typing import Any

from prometheus_client import REGISTRY
from pymongo import MongoClient

from smartcity_shared.events import new_event
from smartcity_shared.outbox import DocumentStore
from smartcity_shared.relay import OutboxRelay, Record
from tests.support.stack import eventually

UNIT = "smartcity.directory.unit.upserted"


class BrokerAway:
    def publish_many(self, records: list[Record]) -> None:
        raise ConnectionError("broker away")


class Accepting:
    def __init__(self) -> None:
        self.records: list[Record] = []

    def publish_many(self, records: list[Record]) -> None:
        self.records += records


def backlog() -> float | None:
    return REGISTRY.get_sample_value("outbox_backlog")


def test_the_backlog_counts_writes_waiting_for_the_broker_and_drops_when_published(
    make_settings: Any, mongo: MongoClient[dict[str, Any]]
) -> None:
    db = mongo[make_settings("evaluation").database]
    units = DocumentStore(db["units"])
    for code in ("dinkes", "bappeda", "dishub"):
        data = {"unit_id": f"kab-batang:{code}", "region": "kab-batang", "code": code}
        data |= {"name": code.title(), "active": True}
        subject = f"kab-batang:{code}"
        event = new_event(UNIT, "evaluation", subject, data, region="kab-batang")
        units.insert({"_id": f"kab-batang:{code}", "code": code}, [event])

    stop = threading.Event()
    away = OutboxRelay(db, ["units"], BrokerAway(), lease_s=0.05)
    thread = threading.Thread(target=away.run, args=(stop, 0.05), daemon=True)
    thread.start()
    try:
        eventually(lambda: backlog() == 3, 30, message="three writes reported waiting")
    finally:
        stop.set()
        thread.join(10)

    accepting = Accepting()
    relay = OutboxRelay(db, ["units"], accepting)
    eventually(
        lambda: relay.run_once(sweep=False) + len(accepting.records) >= 3 and backlog() == 0,
        30,
        message="the events published (after the failed relay's leases ran out)",
    )
    assert sorted(r[1] for r in accepting.records) == [
        "kab-batang:bappeda",
        "kab-batang:dinkes",
        "kab-batang:dishub",
    ]
