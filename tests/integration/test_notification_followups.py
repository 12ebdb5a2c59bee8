"""Plans that change after the fact, and direct requests, through Kafka, the store, the API and
the mail sink: a returned submission, a quota shortfall that moves, a discontinued innovation,
`smartcity.notification.requested`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from smartcity_shared.events import new_event
from tests.support.kafka import produce, read_all
from tests.support.stack import eventually

from .test_notification_support import (
    REGION,
    NotifyStack,
    deadline_set,
    notify_stack,
    returned,
    submission,
    submitted,
)

UNITS = {"dinkes": "Dinas Kesehatan", "bappeda": "Badan Perencanaan Pembangunan Daerah"}
YEAR = datetime.now(UTC).year + 1
NEXT_JULY_7 = f"{YEAR}-07-07T16:59:59Z"
NOTIFICATION = "smartcity.notification"


@pytest.fixture
def notify(make_settings, start_worker, stack_env) -> Iterator[NotifyStack]:  # type: ignore[no-untyped-def]
    yield from notify_stack(make_settings, start_worker, stack_env)


def reminders(notify: NotifyStack, status: str = "pending", **query: Any) -> list[dict[str, Any]]:
    r = notify.client.get(
        "/reminders",
        query_string={"status": status, "limit": 100, **query},
        headers=notify.headers(),
    )
    assert r.status_code == 200, r.get_json()
    return r.get_json()["items"]  # type: ignore[no-any-return]


def fire_now(notify: NotifyStack, reminder_id: str) -> None:
    """Fast-forward one pending reminder to now (the worker's reminder loop then sends it)."""
    now = datetime.now(UTC)
    notify.ctx.db["reminders"].update_one({"_id": reminder_id}, {"$set": {"due_at": now}})


# -- a returned submission -----------------------------------------------------------------
def test_a_returned_submission_is_reminded_again_until_it_is_resubmitted(notify) -> None:  # type: ignore[no-untyped-def]
    notify.worker()
    notify.directory(UNITS)
    notify.publish(deadline_set("c-ret", NEXT_JULY_7, UNITS))
    eventually(lambda: len(reminders(notify, subject="c-ret")) == 8)
    notify.publish(submitted("c-ret", "dinkes", UNITS["dinkes"]))
    eventually(lambda: len(reminders(notify, subject="c-ret", unit="dinkes")) == 0)

    notify.publish(returned("c-ret", "dinkes", UNITS["dinkes"]))

    back = eventually(lambda: len(reminders(notify, subject="c-ret", unit="dinkes")) == 4 or None)
    assert back
    again = reminders(notify, subject="c-ret", unit="dinkes")
    assert sorted(r["offset_days"] for r in again) == [-1, 1, 3, 7]
    assert {r["deadline_date"] for r in again} == {f"{YEAR}-07-07"}
    [mail] = notify.wait_for_mails(notify.address("dinkes"))  # the return itself, at once
    assert "/evaluation/cycles/c-ret/submissions/dinkes" in mail["text"]

    resubmitted = submission("submitted", "c-ret", "dinkes", UNITS["dinkes"],
                             submitted_at=datetime.now(UTC).isoformat(), late=False,
                             resubmission=True)  # fmt: skip
    notify.publish(resubmitted)
    eventually(lambda: reminders(notify, subject="c-ret", unit="dinkes") == [], message="none")
    assert len(reminders(notify, subject="c-ret", unit="bappeda")) == 4


def test_a_return_after_the_deadline_sends_one_resubmit_notice_with_the_portal_link(
    notify,
) -> None:  # type: ignore[no-untyped-def]
    notify.worker()
    notify.directory(UNITS)
    passed = (datetime.now(UTC) - timedelta(days=10)).date().isoformat()
    notify.publish(deadline_set("c-late", passed, {"dinkes": UNITS["dinkes"]}))
    notify.publish(submitted("c-late", "dinkes", UNITS["dinkes"]))
    event = notify.publish(returned("c-late", "dinkes", UNITS["dinkes"]))
    to = notify.address("dinkes")
    notify.wait_for_mails(to)  # the return mail

    [notice] = eventually(lambda: reminders(notify, subject="c-late"), message="one notice")
    assert (notice["stage"], notice["details"]["resubmit"]) == ("overdue", True)
    assert notice["due_at"] > datetime.now(UTC).isoformat()  # tomorrow 08:00 WIB, not now
    notify.publish(event)  # a redelivered return plans nothing more
    fire_now(notify, notice["id"])

    mails = notify.wait_for_mails(to, count=2)
    overdue = next(m for m in mails if m["subject"].startswith("Terlambat"))
    assert overdue["subject"] == (
        "Terlambat: mohon kirim ulang isian Evaluasi Smart City Dinas Kesehatan"
    )
    assert "dikembalikan untuk perbaikan dan belum dikirim ulang" in overdue["text"]
    portal = notify.settings.portal_base_url  # PORTAL_BASE_URL of the stack (its portal)
    assert f"{portal}/evaluation/cycles/c-late/submissions/dinkes" in overdue["text"]
    assert "kab-batang%3Adinkes" not in overdue["text"] + overdue["html"]
    eventually(lambda: reminders(notify, status="sent", subject="c-late"), message="sent")
    assert len(reminders(notify, status="all", subject="c-late")) == 1
    assert len(notify.mails_to(to)) == 2


# -- quota ------------------------------------------------------------------------------
def quota(kind: str, code: str, shortfall: int, **extra: Any) -> dict[str, Any]:
    data = {
        "region": REGION, "unit": f"{REGION}:{code}", "unit_code": code,
        "unit_name": UNITS[code], "policy_id": f"{REGION}:{YEAR}", "year": YEAR, "required": 3,
        "counted": 3 - shortfall, "shortfall": shortfall, "status": "behind",
        "deadline": date(YEAR, 11, 30), "min_stage": "trial", **extra,
    }  # fmt: skip
    return new_event(f"smartcity.quota.{kind}", "innovation", data["policy_id"], data,
                     region=REGION)  # fmt: skip


def changed(code: str, shortfall: int, before: int) -> dict[str, Any]:
    return quota("compliance_changed", code, shortfall, change="shortfall_changed",
                 shortfall_before=before)  # fmt: skip


def test_quota_reminders_quote_the_latest_shortfall_and_stop_when_compliant(notify) -> None:  # type: ignore[no-untyped-def]
    notify.worker(clock=lambda: datetime(YEAR, 7, 1, 3, 0, tzinfo=UTC))  # the quota's own year
    notify.directory(UNITS)
    notify.publish(quota("shortfall_detected", "dinkes", 3))
    notify.publish(quota("shortfall_detected", "bappeda", 2))
    eventually(lambda: len(reminders(notify, kind="quota")) == 8)

    notify.publish(changed("dinkes", 1, before=3))

    def shortfalls() -> dict[str, set[int]]:
        found: dict[str, set[int]] = {}
        for r in reminders(notify, kind="quota"):
            found.setdefault(r["unit"].split(":")[1], set()).add(r["details"]["shortfall"])
        return found

    eventually(lambda: shortfalls() == {"dinkes": {1}, "bappeda": {2}}, message="refreshed")
    week = next(r for r in reminders(notify, kind="quota", unit="dinkes") if r["offset_days"] == 7)
    fire_now(notify, week["id"])
    mails = notify.wait_for_mails(notify.address("dinkes"), count=2)  # + the shortfall mail
    mail = next(m for m in mails if m["subject"].startswith("Pengingat"))
    assert "belum memenuhi kuotanya (kurang 1 inovasi)" in mail["text"]
    assert f"/innovation/regions/kab-batang/quota/{YEAR}/compliance" in mail["text"]

    notify.publish(changed("bappeda", 0, before=2))
    eventually(lambda: reminders(notify, kind="quota", unit="bappeda") == [], message="none")
    cancelled = reminders(notify, status="cancelled", kind="quota", unit="bappeda")
    assert len(cancelled) == 4 and {r["cancel_reason"] for r in cancelled} == {"done"}
    assert len(reminders(notify, kind="quota", unit="dinkes")) == 3  # the 7-day one was sent


# -- milestones ---------------------------------------------------------------------------
def milestone_planned(milestone: str, innovation: str) -> dict[str, Any]:
    data = {
        "region": REGION, "unit": f"{REGION}:dinkes", "unit_code": "dinkes",
        "unit_name": UNITS["dinkes"], "milestone_id": milestone, "innovation_id": innovation,
        "innovation_name": innovation, "title": "Uji coba", "name": "Uji coba", "year": YEAR,
        "planned_date": date(YEAR, 8, 1),
    }  # fmt: skip
    return new_event("smartcity.milestone.planned", "innovation", innovation, data,
                     region=REGION)  # fmt: skip


def test_discontinuing_an_innovation_cancels_its_milestone_reminders_until_reactivated(
    notify,
) -> None:  # type: ignore[no-untyped-def]
    notify.worker()
    notify.directory(UNITS)
    for milestone, innovation in (("ms-1", "inv-a"), ("ms-2", "inv-a"), ("ms-3", "inv-b")):
        notify.publish(milestone_planned(milestone, innovation))
    eventually(lambda: len(reminders(notify, kind="milestone")) == 12)

    data = {
        "region": REGION, "unit": f"{REGION}:dinkes", "unit_code": "dinkes",
        "unit_name": UNITS["dinkes"], "innovation_id": "inv-a", "name": "Inovasi A",
        "year": YEAR, "from_stage": "trial", "to_stage": "discontinued",
        "date": date(YEAR, 6, 1), "reason": "Anggaran dihentikan", "changed_by": "u1",
    }  # fmt: skip
    notify.publish(new_event("smartcity.innovation.discontinued", "innovation", "inv-a", data,
                             region=REGION))  # fmt: skip

    left = eventually(lambda: len(reminders(notify, kind="milestone")) == 4 or None)
    assert left
    assert {r["subject_id"] for r in reminders(notify, kind="milestone")} == {"ms-3"}
    gone = reminders(notify, status="cancelled", kind="milestone")
    assert len(gone) == 8 and {r["cancel_reason"] for r in gone} == {"discontinued"}

    reactivated = {**data, "from_stage": "discontinued", "to_stage": "trial"}
    notify.publish(new_event("smartcity.innovation.stage_changed", "innovation", "inv-a",
                             reactivated, region=REGION))  # fmt: skip
    eventually(lambda: len(reminders(notify, kind="milestone")) == 12, message="back")


# -- direct requests ---------------------------------------------------------------------
def request(tag: str, **data: Any) -> dict[str, Any]:
    body = {
        "request_id": f"req-{tag}", "region": REGION, "category": "review",
        "recipients": {"units": ["dinkes"], "people": [f"p-{tag}"]},
        "subject": "Jadwal kunjungan lapangan asesor",
        "text": "Asesor berkunjung Selasa pukul 09.00 WIB.\n\nSiapkan bukti dukung asli.",
        **data,
    }  # fmt: skip
    return new_event("smartcity.notification.requested", "evaluation", body["request_id"], body,
                     region=REGION)  # fmt: skip


def test_a_direct_request_mails_the_named_people_once_and_poison_goes_to_the_dlq(
    notify,
) -> None:  # type: ignore[no-untyped-def]
    notify.worker()
    notify.directory(UNITS)
    event = notify.publish(request(notify.tag), NOTIFICATION)

    [to_unit] = notify.wait_for_mails(notify.address("dinkes"))
    [to_admin] = notify.wait_for_mails(notify.address("admin"))
    assert to_unit["subject"] == "Jadwal kunjungan lapangan asesor"
    text = to_unit["text"].replace("\r\n", "\n")
    assert text.startswith("Yth. Dinas Kesehatan,\n\nAsesor berkunjung Selasa")
    assert "<p>Siapkan bukti dukung asli.</p>" in to_unit["html"]
    assert to_admin["text"].startswith("Yth. Admin Diskominfo,")
    assert to_unit["headers"]["X-SmartCity-Event-Id"] == event["id"]

    notify.publish(event, NOTIFICATION)  # redelivered: absorbed
    bad = request(notify.tag)
    bad["data"] = {**bad["data"], "template": "submission_verified"}  # and a text: invalid
    produce(notify.settings, NOTIFICATION, bad["subject"], json.dumps(bad).encode())
    unknown = request(notify.tag, recipients={"people": ["nobody"]})
    notify.publish(unknown, NOTIFICATION)

    dlq = read_all(notify.settings, f"{NOTIFICATION}.dlq", expect=2)
    reasons = {json.loads(r.value)["id"]: dict(r.headers)["dlq.reason"].decode() for r in dlq}
    assert reasons == {bad["id"]: "schema-invalid", unknown["id"]: "handler-rejected"}
    sent = eventually(lambda: len(notify.deliveries(event_id=event["id"], status="sent")) == 2)
    assert sent
    assert len(notify.mails_to(notify.address("dinkes"))) == 1


def test_a_request_with_send_at_waits_until_then(notify) -> None:  # type: ignore[no-untyped-def]
    notify.worker()
    notify.directory(UNITS)
    later = datetime.now(UTC) + timedelta(hours=3)
    event = notify.publish(request(notify.tag, send_at=later, recipients={"units": ["dinkes"]}),
                           NOTIFICATION)  # fmt: skip

    [held] = eventually(lambda: notify.deliveries(event_id=event["id"]), message="stored")
    assert held["status"] == "pending"
    assert held["next_attempt_at"].startswith(later.isoformat()[:16])
    retry = notify.ctx.db["delivery_retry"]
    eventually(lambda: retry.find_one({"_id": held["id"]}), message="queued for later")
    assert notify.mails_to(notify.address("dinkes")) == []

    retry.update_one({"_id": held["id"]}, {"$set": {"due_at": datetime.now(UTC)}})  # time passes
    [mail] = notify.wait_for_mails(notify.address("dinkes"))
    assert mail["subject"] == "Jadwal kunjungan lapangan asesor"
