"""Faults lose nothing and send nothing twice: SMTP down then up, a worker killed mid-send
(delivery or reminder), poison events."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from notification.scheduling import apply_schedule
from tests.support.kafka import produce, read_all
from tests.support.stack import eventually

from .test_notification_support import (
    DEAD_PORT,
    NotifyStack,
    deadline_set,
    local_date_in,
    notify_stack,
    returned,
    submission,
)

UNITS = {"dinkes": "Dinas Kesehatan"}


@pytest.fixture
def notify(make_settings, start_worker, stack_env) -> Iterator[NotifyStack]:  # type: ignore[no-untyped-def]
    yield from notify_stack(make_settings, start_worker, stack_env)


def test_mail_queued_while_smtp_is_down_goes_out_once_when_it_is_back(notify) -> None:  # type: ignore[no-untyped-def]
    down = notify.worker(smtp_port=DEAD_PORT)
    notify.directory(UNITS)
    events = [notify.publish(returned(f"c-{n}", "dinkes", UNITS["dinkes"])) for n in range(3)]

    retrying = eventually(
        lambda: [d for d in notify.deliveries(status="retrying") if d["attempts"] >= 2],
        message="deliveries retrying against the dead SMTP port",
    )
    assert "refused" in retrying[0]["last_error"].lower()
    assert notify.mails_to(notify.address("dinkes")) == []

    down.set()
    notify.worker()  # the SMTP server is back (a replica pointed at the live sink)

    mails = notify.wait_for_mails(notify.address("dinkes"), count=3)
    eventually(lambda: len(notify.deliveries(status="sent")) == 3)
    assert len(notify.mails_to(notify.address("dinkes"))) == len(mails) == 3
    ids = {m["headers"]["X-SmartCity-Event-Id"] for m in mails}
    assert ids == {e["id"] for e in events}


def test_a_delivery_claimed_by_a_killed_worker_is_sent_once_by_another(notify) -> None:  # type: ignore[no-untyped-def]
    notify.worker(senders=0)  # consumes and stores, sends nothing
    notify.directory(UNITS)
    event = notify.publish(returned("c-kill", "dinkes", UNITS["dinkes"]))
    eventually(lambda: notify.deliveries(event_id=event["id"], status="pending"))

    # A worker claims it and dies before sending: its lease (2 s) must run out first.
    now = datetime.now(UTC)
    killed = notify.ctx.deliveries.claim_due(now, timedelta(seconds=2), "killed-worker")
    assert killed is not None and killed["status"] == "sending"
    notify.worker()

    [mail] = notify.wait_for_mails(notify.address("dinkes"))
    assert mail["headers"]["X-SmartCity-Event-Id"] == event["id"]
    [delivery] = eventually(lambda: notify.deliveries(event_id=event["id"], status="sent"))
    stored = notify.ctx.deliveries.get(delivery["id"])
    assert stored["claimed_by"] != "killed-worker" and stored["claim_gen"] == 2
    assert stored["sent_at"] >= now + timedelta(seconds=2)
    assert len(notify.mails_to(notify.address("dinkes"))) == 1


def test_a_reminder_claimed_by_a_killed_worker_is_sent_once_by_another(notify) -> None:  # type: ignore[no-untyped-def]
    deadline = local_date_in(0).isoformat()  # today: the last due reminder is caught up
    now = datetime.now(UTC)
    apply_schedule(notify.ctx, deadline_set("c-rk", deadline, UNITS), now)
    killed = notify.ctx.reminders.claim_due(now, timedelta(seconds=4), "killed-worker")
    assert killed is not None and killed["offset_days"] == 1  # due now (caught up)

    notify.worker()
    notify.directory(UNITS)

    [mail] = notify.wait_for_mails(notify.address("dinkes"))
    assert mail["subject"].startswith("Pengingat: isian Evaluasi Smart City untuk Dinas Kesehatan")
    stored = eventually(
        lambda: notify.ctx.db["reminders"].find_one({"_id": killed["_id"], "status": "sent"})
    )
    assert stored["claim_gen"] == 2 and stored["claimed_by"] != "killed-worker"
    assert len(notify.mails_to(notify.address("dinkes"))) == 1


def test_poison_events_are_dead_lettered_and_the_partition_moves_on(notify) -> None:  # type: ignore[no-untyped-def]
    notify.worker()
    notify.directory(UNITS)
    # A rule whose template needs data this event type never has: the mail cannot be rendered.
    rule = {
        "id": "broken", "event_type": "smartcity.submission.verified",
        "audiences": ["unit_contacts"], "template": "quota_shortfall", "category": "info",
    }  # fmt: skip
    r = notify.client.post("/regions/kab-batang/rules", json=rule, headers=notify.headers())
    assert r.status_code == 201, r.get_json()
    produce(notify.settings, "smartcity.evaluation", "x", b"{not json")
    bad_schema = returned("c-p", "dinkes", UNITS["dinkes"])
    del bad_schema["data"]["reason"]
    notify.publish(bad_schema)
    unrenderable = notify.publish(submission("verified", "c-p", "dinkes", UNITS["dinkes"]))
    good = notify.publish(returned("c-ok", "dinkes", UNITS["dinkes"]))

    dlq = read_all(notify.settings, "smartcity.evaluation.dlq", expect=3)
    by_reason = {dict(record.headers)["dlq.reason"].decode(): record for record in dlq}
    assert set(by_reason) == {"undecodable", "schema-invalid", "handler-rejected"}
    assert json.loads(by_reason["handler-rejected"].value)["id"] == unrenderable["id"]
    assert b"quota_shortfall" in dict(by_reason["handler-rejected"].headers)["dlq.detail"]
    [mail] = notify.wait_for_mails(notify.address("dinkes"))
    assert mail["headers"]["X-SmartCity-Event-Id"] == good["id"]
    assert notify.deliveries(event_id=unrenderable["id"]) == []
