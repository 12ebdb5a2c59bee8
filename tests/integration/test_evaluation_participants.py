"""Participants of an opened cycle: the region's admin adds an OPD (a draft and deadline
reminders) and removes one that has not submitted (draft withdrawn, reminders cancelled),
through HTTP, the store, the outbox, Kafka and the notification worker."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from evaluation import bootstrap
from smartcity_shared.worker import WorkerSpec
from tests.integration.test_evaluation_support import (
    REGION,
    make_api,
    open_cycle,
    publish_framework,
    sub_path,
)
from tests.integration.test_notification_support import NotifyStack
from tests.support.kafka import events_of, read_all
from tests.support.stack import eventually

DEADLINE = f"{datetime.now(UTC).year + 1}-07-31"


def _reminders(notify: NotifyStack, cycle: str, status: str) -> list[dict[str, Any]]:
    r = notify.client.get(
        "/reminders",
        query_string={"status": status, "subject": cycle, "limit": 100},
        headers=notify.headers(),
    )
    assert r.status_code == 200, r.get_json()
    return r.get_json()["items"]  # type: ignore[no-any-return]


def test_an_added_opd_is_reminded_and_a_removed_one_is_not(  # type: ignore[no-untyped-def]
    make_settings, start_worker, stack_env
) -> None:
    settings = make_settings("evaluation")
    admin, ctx = make_api(settings)
    publish_framework(admin)
    cycle = open_cycle(admin, 2020, submission_deadline=DEADLINE)
    start_worker(settings, ctx.db, WorkerSpec("evaluation", [], {}, bootstrap.AGGREGATES))
    notify = NotifyStack(make_settings("notification"), stack_env, start_worker)
    notify.worker()  # same topic prefix: it consumes what the evaluation relay publishes
    eventually(lambda: len(_reminders(notify, cycle, "pending")) == 8, timeout=30)

    etag = admin.get(f"/cycles/{cycle}").etag
    added = admin.post(f"/cycles/{cycle}/participants", {"unit": "dlh"}, if_match=etag)
    assert [p["unit_code"] for p in added.ok()["participants"]] == ["dinkes", "bappeda", "dlh"]
    assert admin.as_("opd", unit="dlh").get(sub_path(cycle, "dlh")).ok()["state"] == "draft"
    removed = admin.call("DELETE", f"/cycles/{cycle}/participants/bappeda?reason=merged")
    assert [p["unit_code"] for p in removed.ok()["participants"]] == ["dinkes", "dlh"]

    events = events_of(read_all(settings, "smartcity.evaluation", expect=4))
    assert [e["type"].rsplit(".", 1)[1] for e in events] == [
        "opened",
        "deadline_set",
        "participant_added",
        "participant_removed",
    ]
    assert events[2]["subject"] == cycle
    assert events[2]["data"] | {"submission_deadline": None} == {
        "cycle_id": cycle,
        "region": REGION,
        "year": 2020,
        "name": "Tiny 2020",
        "submission_id": f"{cycle}:dlh",
        "unit": f"{REGION}:dlh",
        "unit_code": "dlh",
        "unit_name": "Dinas Lingkungan Hidup",
        "submission_deadline": None,
        "timezone": "Asia/Jakarta",
        "reason": "",
    }
    assert events[3]["data"]["reason"] == "merged"

    def settled() -> list[dict[str, Any]]:
        pending = _reminders(notify, cycle, "pending")
        units = Counter(r["unit"] for r in pending)
        return pending if units == {f"{REGION}:dinkes": 4, f"{REGION}:dlh": 4} else []

    pending = eventually(settled, timeout=30, message="dlh planned, bappeda cancelled")
    dlh = [r for r in pending if r["unit"] == f"{REGION}:dlh"]
    assert {r["deadline_date"] for r in dlh} == {DEADLINE}
    cancelled = _reminders(notify, cycle, "cancelled")
    assert {(r["unit"], r["cancel_reason"]) for r in cancelled} == {
        (f"{REGION}:bappeda", "removed")
    }
    assert len(cancelled) == 4

    etag = admin.get(f"/cycles/{cycle}").etag  # added back: its reminders come back too
    admin.post(f"/cycles/{cycle}/participants", {"unit": "bappeda"}, if_match=etag).ok()

    def back() -> list[dict[str, Any]]:
        units = Counter(r["unit"] for r in _reminders(notify, cycle, "pending"))
        return [units] if units[f"{REGION}:bappeda"] == 4 and len(units) == 3 else []

    eventually(back, timeout=30, message="bappeda reminded again after being added back")


def test_participant_edits_keep_the_rules(make_settings) -> None:  # type: ignore[no-untyped-def]
    admin, _ = make_api(make_settings("evaluation"))
    publish_framework(admin)
    cycle = open_cycle(admin, 2020)
    path = f"/cycles/{cycle}/participants"
    stale = admin.post(path, {"unit": "dlh"}, if_match='"99"')
    before = admin.get(f"/cycles/{cycle}")
    assert stale.status == 412 and before.etag == '"1"'
    assert admin.get(sub_path(cycle, "dlh")).status == 404  # nothing half-written
    unknown = admin.post(path, {"unit": "ghost"})
    assert unknown.status == 422 and set(unknown.body["errors"]) == {"unit"}
    assert admin.post(path, {"unit": "dinkes"}).status == 409
    assert admin.as_("opd", unit="dinkes").post(path, {"unit": "dlh"}).status == 403
    assert admin.call("DELETE", f"{path}/dlh").status == 422  # not taking part

    bappeda = admin.as_("opd", unit="bappeda")
    bappeda.patch(sub_path(cycle, "bappeda"), {"answers": {"q2": True}}).ok()
    admin.call("DELETE", f"{path}/bappeda?reason=merged", if_match=before.etag).ok()
    withdrawn = bappeda.get(sub_path(cycle, "bappeda")).ok()
    assert withdrawn["state"] == "withdrawn" and withdrawn["answers"] == {"q2": True}
    assert withdrawn["audit"][-1]["action"] == "withdraw" and withdrawn["allowed_actions"] == []
    assert bappeda.patch(sub_path(cycle, "bappeda"), {"answers": {"q2": False}}).status == 409
    assessor = admin.as_("assessor", region="*")
    assert assessor.get(sub_path(cycle, "bappeda")).status == 404
    history = admin.get(f"/cycles/{cycle}").ok()["history"]
    assert history[-1] | {"at": None} == {
        "at": None,
        "by": f"admin {REGION}",
        "change": "participant_removed",
        "from": "bappeda",
        "to": None,
        "why": "merged",
    }

    dinkes = admin.as_("opd", unit="dinkes")
    answers = {"q1": 2, "q2": True, "q3": 10}
    dinkes.patch(sub_path(cycle, "dinkes"), {"answers": answers}).ok()
    dinkes.post(sub_path(cycle, "dinkes", "/submit")).ok()
    assert admin.call("DELETE", f"{path}/dinkes").status == 409  # it has submitted

    back = admin.post(path, {"unit": "bappeda", "reason": "split again"}).ok()
    assert [p["unit_code"] for p in back["participants"]] == ["dinkes", "bappeda"]
    draft = bappeda.get(sub_path(cycle, "bappeda")).ok()
    assert draft["state"] == "draft" and draft["answers"] == {"q2": True}  # nothing lost
    assert [a["action"] for a in draft["audit"]] == ["withdraw", "reinstate"]

    admin.post(f"/cycles/{cycle}/phase", {"phase": "closed"}).ok()
    assert admin.post(path, {"unit": "dlh"}).status == 409
    assert admin.call("DELETE", f"{path}/bappeda").status == 409
