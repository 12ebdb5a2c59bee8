"""Faults lose nothing: Kafka down during writes, a relay killed mid-publish, poison
messages, transient handler failures, the store down (503, then recovery)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from evaluation import bootstrap as eval_bootstrap
from evaluation.app import create_app as create_eval_app
from smartcity_shared.consumer import Event
from smartcity_shared.consumer_loop import ConsumerLoop, MongoProcessedLog
from smartcity_shared.devtoken import mint
from smartcity_shared.errors import TransientError
from smartcity_shared.events import encode, new_event
from smartcity_shared.kafka_io import publisher as make_publisher
from smartcity_shared.relay import OutboxRelay
from tests.support.kafka import events_of, produce, read_all
from tests.support.stack import eventually, stack

UNIT = "smartcity.directory.unit.upserted"


def unit_event(code: str) -> dict[str, Any]:
    return new_event(
        UNIT,
        "evaluation",
        f"kab-batang:{code}",
        {
            "unit_id": f"kab-batang:{code}",
            "region": "kab-batang",
            "code": code,
            "name": code.title(),
            "active": True,
        },
        region="kab-batang",
    )


def eval_client(settings):  # type: ignore[no-untyped-def]
    ctx = eval_bootstrap.build(settings)
    client = create_eval_app(settings, ctx).test_client()
    headers = {"Authorization": f"Bearer {mint(settings.jwt_secret, 'admin', 'kab-batang')}"}
    assert (
        client.post(
            "/regions", json={"region_id": "kab-batang", "name": "Batang"}, headers=headers
        ).status_code
        == 201
    )
    return ctx, client, headers


@pytest.fixture
def kafka_restored():  # type: ignore[no-untyped-def]
    yield
    stack("start", "kafka")


@pytest.fixture
def store_restored():  # type: ignore[no-untyped-def]
    yield
    stack("start", "store")


def test_writes_while_kafka_is_down_are_published_when_it_returns(
    make_settings, kafka_restored
) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings("evaluation")
    ctx, client, headers = eval_client(settings)
    stack("stop", "kafka")
    for n in range(5):
        r = client.post(
            "/regions/kab-batang/units",
            json={"code": f"opd-{n}", "name": f"OPD {n}"},
            headers=headers,
        )
        assert r.status_code == 201  # the write does not need Kafka
    assert client.get("/readyz").status_code == 503
    assert client.get("/readyz?only=store").status_code == 200  # stays in service
    publisher = make_publisher(settings, max_block_ms=1000, request_timeout_ms=2000)
    relay = OutboxRelay(ctx.db, eval_bootstrap.AGGREGATES, publisher, settings.topic, lease_s=1)
    stop = threading.Event()
    thread = threading.Thread(target=relay.run, args=(stop, 0.1), daemon=True)
    thread.start()
    try:
        stop.wait(2)
        stack("start", "kafka")
        records = read_all(settings, "smartcity.directory", expect=6, timeout=60)
    finally:
        stop.set()
        thread.join(timeout=20)
        publisher.close()
    subjects = {e["subject"] for e in events_of(records)}
    assert subjects == {"kab-batang", *(f"kab-batang:opd-{n}" for n in range(5))}
    assert ctx.db["units"].count_documents({"_pending": True}) == 0


class CrashAfterPublish(BaseException):
    """Stands for the process dying between the broker's ack and the outbox update."""


def test_a_relay_killed_between_publish_and_mark_loses_nothing(make_settings) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings("evaluation")
    ctx, client, headers = eval_client(settings)
    client.post(
        "/regions/kab-batang/units", json={"code": "dinkes", "name": "Dinkes"}, headers=headers
    )
    real = make_publisher(settings)

    class Dying:
        def publish_many(self, records: list[Any]) -> None:
            real.publish_many(records)
            raise CrashAfterPublish

    with pytest.raises(CrashAfterPublish):
        OutboxRelay(ctx.db, ["units"], Dying(), settings.topic, lease_s=0.3).run_once()
    assert ctx.db["units"].find_one({"_id": "kab-batang:dinkes"})["_pending"] is True
    threading.Event().wait(0.5)  # the dead relay's lease expires
    assert OutboxRelay(ctx.db, ["units"], real, settings.topic).run_once() == 1
    real.close()
    events = events_of(read_all(settings, "smartcity.directory", expect=2))
    ids = [e["id"] for e in events if e["subject"] == "kab-batang:dinkes"]
    assert len(ids) == 2 and len(set(ids)) == 1  # the duplicate carries the same id

    handled: list[str] = []
    consumer_settings = make_settings("notification")
    from pymongo import MongoClient

    db = MongoClient(consumer_settings.mongo_uri)[consumer_settings.database]
    loop = ConsumerLoop(
        consumer_settings.with_(topic_prefix=settings.topic_prefix),
        "dup-check",
        ["smartcity.directory"],
        {UNIT: lambda e: handled.append(e.id)},
        MongoProcessedLog(db, "dup-check"),
        make_publisher(settings),
    )
    stop = threading.Event()
    thread = threading.Thread(target=loop.run, args=(stop,), daemon=True)
    thread.start()
    eventually(lambda: db["processed_events"].count_documents({}) >= 1, message="consumed")
    threading.Event().wait(1.0)
    stop.set()
    thread.join(timeout=20)
    assert handled == ids[:1]


def test_poison_messages_go_to_the_dlq_and_the_consumer_goes_on(make_settings, mongo) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings("notification")
    db = mongo[settings.database]
    good = unit_event("dinkes")
    bad_data = {**unit_event("x"), "data": {"unit_id": 7}}
    for raw in (
        b"{not json",
        encode({**good, "type": "smartcity.unknown.thing"}),
        encode(bad_data),
        encode(good),
    ):
        produce(settings, "smartcity.directory", "k", raw)
    handled: list[Event] = []
    loop = ConsumerLoop(
        settings,
        "poison",
        ["smartcity.directory"],
        {UNIT: handled.append},
        MongoProcessedLog(db, "poison"),
        make_publisher(settings),
    )
    stop = threading.Event()
    thread = threading.Thread(target=loop.run, args=(stop,), daemon=True)
    thread.start()
    try:
        dead = read_all(settings, "smartcity.directory.dlq", expect=3)
        eventually(lambda: handled, message="the good event handled")
    finally:
        stop.set()
        thread.join(timeout=20)
    reasons = sorted(dict(r.headers)["dlq.reason"].decode() for r in dead)
    assert reasons == ["schema-invalid", "undecodable", "unknown-type"]
    assert all(dict(r.headers)["dlq.topic"].decode().endswith("smartcity.directory") for r in dead)
    assert [e.id for e in handled] == [good["id"]]


def test_a_transient_failure_is_retried_without_dead_lettering(make_settings, mongo) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings("notification")
    db = mongo[settings.database]
    produce(settings, "smartcity.directory", "k", encode(unit_event("dinkes")))
    attempts: list[int] = []

    def flaky(event: Event) -> None:
        attempts.append(1)
        if len(attempts) < 3:
            raise TransientError("store briefly away")

    loop = ConsumerLoop(
        settings,
        "flaky",
        ["smartcity.directory"],
        {UNIT: flaky},
        MongoProcessedLog(db, "flaky"),
        make_publisher(settings),
    )
    stop = threading.Event()
    thread = threading.Thread(target=loop.run, args=(stop,), daemon=True)
    thread.start()
    try:
        eventually(lambda: db["processed_events"].count_documents({}) == 1, message="handled")
    finally:
        stop.set()
        thread.join(timeout=20)
    assert len(attempts) == 3
    assert read_all(settings, "smartcity.directory.dlq", expect=1, timeout=2) == []


def test_store_down_gives_503_problem_and_recovers_without_restart(
    make_settings, store_restored
) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings("evaluation").with_(store_timeout_ms=800)
    ctx, client, headers = eval_client(settings)
    stack("stop", "store", "--kill")
    r = client.get("/regions/kab-batang", headers=headers)
    assert (r.status_code, r.mimetype) == (503, "application/problem+json")
    ready = client.get("/readyz")
    assert ready.status_code == 503 and "store down" in ready.get_json()["detail"]
    r = client.post(
        "/regions/kab-batang/units", json={"code": "dinkes", "name": "D"}, headers=headers
    )
    assert r.status_code == 503
    stack("start", "store")
    eventually(lambda: client.get("/readyz").status_code == 200, message="ready again")
    assert client.get("/regions/kab-batang", headers=headers).status_code == 200
    assert ctx.db["units"].count_documents({}) == 0  # the refused write left nothing behind
