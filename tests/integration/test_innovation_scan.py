"""The periodic scan: each reminder fact (milestone overdue, quota deadline near) goes out once,
however often it runs and however many workers run it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from innovation import scan, worker
from tests.integration.test_innovation_support import REGION, of_type, profile, start
from tests.support.stack import eventually

# Mid-year: far from the default quota deadline (31 December), so the only facts a scan finds
# are the milestones' (the test must not depend on the month it runs in).
MID_YEAR = datetime(2026, 6, 15, 3, 0, tzinfo=UTC)


def test_an_overdue_milestone_is_announced_once_by_two_scanning_workers(
    make_settings, start_worker
) -> None:  # type: ignore[no-untyped-def]
    svc = start(
        make_settings, start_worker, opds={"dinkes": "Dinas Kesehatan"}, clock=lambda: MID_YEAR
    )
    opd = svc.as_("opd", unit="dinkes")
    today = svc.ctx.today(REGION)
    body = profile("dinkes", "SIRUP", year=today.year)
    r = opd("POST", f"/regions/{REGION}/innovations", json=body)
    innovation_id = r.get_json()["id"]
    milestones = f"/regions/{REGION}/innovations/{innovation_id}/milestones"
    for title, days in (("Pilot", -2), ("Go live", 5), ("Later", 60)):
        planned = (today + timedelta(days=days)).isoformat()
        assert (
            opd("POST", milestones, json={"title": title, "planned_date": planned}).status_code
            == 201
        )

    for _ in range(2):  # two more workers scanning every 0.2 s, besides the first one
        start_worker(svc.settings, svc.ctx.db, worker.spec(svc.ctx, 0.2))
    facts = svc.ctx.db["alerts"]
    eventually(lambda: facts.count_documents({}) == 2, timeout=15, message="two facts")
    assert scan.scan_once(svc.ctx) == 0  # a further scan finds everything announced

    events = svc.wait_for("smartcity.milestone.due")
    overdue = of_type(events, "smartcity.milestone.overdue")
    assert len(overdue) == 1
    data = overdue[0]["data"]
    assert (data["title"], data["innovation_name"], data["unit_code"]) == (
        "Pilot",
        "SIRUP",
        "dinkes",
    )
    assert data["days_late"] == 2 and overdue[0]["subject"] == innovation_id
    assert len(of_type(events, "smartcity.milestone.due")) == 1
    assert len(of_type(events, "smartcity.milestone.planned")) == 3


def test_a_near_quota_deadline_with_a_shortfall_is_announced_once_per_opd(
    make_settings, start_worker
) -> None:  # type: ignore[no-untyped-def]
    svc = start(make_settings, start_worker)
    today = svc.ctx.today(REGION)
    deadline = (today + timedelta(days=10)).isoformat()
    r = svc.as_("admin")(
        "PUT",
        f"/regions/{REGION}/quota/{today.year}",
        json={"required_per_unit": 1, "deadline": deadline, "exempt_units": ["dishub"]},
    )
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["is_default"] is False and r.get_json()["deadline"] == deadline
    opd = svc.as_("opd", unit="dinkes")
    r = opd(
        "POST",
        f"/regions/{REGION}/innovations",
        json=profile("dinkes", "SIRUP", stage="trial", trial_start=today.isoformat()),
    )
    assert r.status_code == 201

    assert scan.scan_once(svc.ctx) == 1  # disparpora: short; dinkes met; dishub exempt
    assert scan.scan_once(svc.ctx) == 0
    events = svc.wait_for("smartcity.quota.deadline_neared")
    neared = of_type(events, "smartcity.quota.deadline_neared")
    assert [e["data"]["unit_code"] for e in neared] == ["disparpora"]
    assert neared[0]["data"]["days_left"] == 10 and neared[0]["data"]["deadline"] == deadline
    assert len(of_type(events, "smartcity.quota.policy_set")) == 1
