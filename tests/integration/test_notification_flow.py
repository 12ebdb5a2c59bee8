"""Events in, e-mails out: content, redelivery, replicas, reminders sent by the worker."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator

import pytest

from smartcity_shared.events import encode, new_event
from tests.support.kafka import produce
from tests.support.stack import eventually

from .test_notification_support import (
    NotifyStack,
    deadline_set,
    local_date_in,
    notify_stack,
    returned,
)

UNITS = {"dinkes": "Dinas Kesehatan", "bappeda": "Badan Perencanaan Pembangunan Daerah"}


@pytest.fixture
def notify(make_settings, start_worker, stack_env) -> Iterator[NotifyStack]:  # type: ignore[no-untyped-def]
    yield from notify_stack(make_settings, start_worker, stack_env)


def test_a_returned_submission_mails_the_opd_in_indonesian_once_even_when_redelivered(
    notify,
) -> None:  # type: ignore[no-untyped-def]
    notify.worker()
    notify.directory(UNITS)
    event = notify.publish(returned("c-2030", "dinkes", "Dinas Kesehatan", "Lengkapi bukti SPM."))
    to = notify.address("dinkes")

    [mail] = notify.wait_for_mails(to)
    assert mail["subject"] == (
        "Isian Dinas Kesehatan dikembalikan untuk perbaikan: Evaluasi Smart City"
    )
    assert mail["text"].startswith("Yth. Dinas Kesehatan,")
    assert "Catatan asesor: Lengkapi bukti SPM." in mail["text"]
    assert "/evaluation/cycles/c-2030/submissions/dinkes" in mail["text"]
    assert mail["headers"]["X-SmartCity-Event-Id"] == event["id"]
    assert "<strong>Dinas Kesehatan</strong>" in mail["html"]

    # The same event again (a redelivery): absorbed, no second mail.
    notify.publish(event)
    produce(notify.settings, "smartcity.evaluation", event["subject"], encode(event))
    processed = notify.ctx.db["processed_events"]
    eventually(lambda: processed.count_documents({"_id": {"$regex": event["id"]}}) == 1)
    [delivery] = eventually(lambda: notify.deliveries(event_id=event["id"], status="sent"))
    assert delivery["recipient"] == to and delivery["attempts"] == 1
    assert delivery["smtp_code"] == 250 and "accepted" in delivery["smtp_response"]
    assert len(notify.mails_to(to)) == 1
    assert notify.mails_to(notify.address("bappeda")) == []


def test_a_deadline_today_sends_the_last_due_reminder_at_once_with_the_date(notify) -> None:  # type: ignore[no-untyped-def]
    # No reminder is ahead before the deadline (the 1-day one was yesterday 08:00): that last
    # one goes at once. (With a reminder still ahead a missed one is skipped instead, see
    # test_notification_deadline_rules.)
    notify.worker()
    notify.directory(UNITS)
    deadline = local_date_in(0)
    notify.publish(deadline_set("c-soon", f"{deadline.isoformat()}", {"bappeda": UNITS["bappeda"]}))
    to = notify.address("bappeda")

    [mail] = notify.wait_for_mails(to)
    months = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November"
    month = ([*months.split(), "Desember"])[deadline.month - 1]
    assert mail["subject"] == (
        "Pengingat: isian Evaluasi Smart City untuk Badan Perencanaan Pembangunan Daerah "
        "jatuh tempo hari ini"
    )
    assert f"Tenggat pengiriman: {deadline.day} {month} {deadline.year}" in mail["text"]

    def statuses() -> Counter[str]:
        query = {"subject": "c-soon", "status": "all"}
        r = notify.client.get("/reminders", query_string=query, headers=notify.headers())
        return Counter(item["status"] for item in r.get_json()["items"])

    # The 1-day reminder went out; the overdue notice waits.
    eventually(lambda: statuses() == {"sent": 1, "pending": 1}, message="reminder statuses")


def test_two_worker_replicas_send_every_mail_exactly_once(notify) -> None:  # type: ignore[no-untyped-def]
    notify.worker()
    notify.worker()
    notify.directory(UNITS)
    events = [
        notify.publish(returned(f"c-{n}", code, name))
        for n in range(8)
        for code, name in UNITS.items()
    ]

    for code in UNITS:
        notify.wait_for_mails(notify.address(code), count=8)
    sent = eventually(lambda: len(notify.deliveries(status="sent", limit=100)) == 16 or None)
    assert sent
    for code in UNITS:
        mails = notify.mails_to(notify.address(code))
        ids = Counter(m["headers"]["X-SmartCity-Event-Id"] for m in mails)
        assert len(mails) == 8 and set(ids.values()) == {1}
    assert {e["id"] for e in events} == {d["event_id"] for d in notify.deliveries(limit=100)}


def test_an_event_that_overtakes_its_region_in_the_directory_still_reaches_the_admin(
    notify,
) -> None:  # type: ignore[no-untyped-def]
    """The directory and evaluation topics are separate partitions: a new region's first
    events can arrive before the region does. They wait for it instead of mailing nobody."""
    notify.worker()
    cycle = "kab-batang:2030:smart-city"
    published = new_event(
        "smartcity.scorecard.published", "evaluation", cycle,
        {"cycle_id": cycle, "region": "kab-batang", "year": 2030, "name": "Evaluasi 2030",
         "overall": 3.1, "band": "Baik", "delta": None, "participants": 2},
        region="kab-batang",
    )  # fmt: skip
    notify.publish(published)
    notify.directory(UNITS)
    [mail] = notify.wait_for_mails(notify.address("diskominfo"))
    assert mail["subject"].startswith("Kartu nilai Evaluasi 2030")


def test_an_event_that_overtakes_its_opd_in_the_directory_still_reaches_the_opd(
    notify,
) -> None:  # type: ignore[no-untyped-def]
    """The directory topic has several partitions: an OPD's record can arrive after the
    first event about it, even when its region is known. The event waits for the OPD."""
    notify.worker()
    notify.directory({})  # the region and its admin, no OPD yet
    notify.publish(returned("c-2031", "dlh", "Dinas Lingkungan Hidup", "Lengkapi bukti."))
    time.sleep(3)  # the worker meets the event first (nothing observable happens until the OPD)
    notify.directory({"dlh": "Dinas Lingkungan Hidup"})
    [mail] = notify.wait_for_mails(notify.address("dlh"))
    assert "Lengkapi bukti." in str(mail)
