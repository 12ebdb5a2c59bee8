"""The service's event builders produce envelopes that pass the shared schemas, carrying what a
reminder needs (unit id, code, name, contacts, names, dates)."""

from __future__ import annotations

from datetime import date
from typing import Any

from innovation import events
from innovation.domain.masterplan import create_master_plan
from innovation.domain.progress import master_plan_report
from innovation.domain.quota import QuotaPolicy, compliance
from smartcity_shared.events import validate
from tests.unit.innovation.inno_factories import REGION, TODAY, make_innovation, milestone

DINKES = {
    "_id": "kab-batang:dinkes",
    "code": "dinkes",
    "name": "Dinas Kesehatan",
    "contact_emails": ["dinkes@batangkab.go.id"],
}


class FakeCollection:
    def find_one(self, query: dict[str, Any], *args: Any) -> dict[str, Any] | None:
        return DINKES if query.get("_id") == DINKES["_id"] else None


class FakeDb:
    def __getitem__(self, name: str) -> FakeCollection:
        return FakeCollection()


DB: Any = FakeDb()


def test_innovation_and_milestone_events_name_the_opd() -> None:
    innovation = make_innovation("i1", milestones=(milestone("m1", date(2020, 7, 1)),))
    m = innovation.milestones[0]
    built = [
        events.registered(DB, innovation, "opd-dinkes", "c1"),
        events.stage_changed(DB, innovation, innovation.history[-1], "c1"),
        events.milestone_planned(DB, innovation, m, None, "c1"),
        events.milestone_alert(DB, innovation, m, True, 3, "c1"),
    ]
    for event in built:
        data = validate(event)
        assert event["subject"] == "i1" and event["region"] == REGION
        assert (data["unit"], data["unit_name"]) == ("kab-batang:dinkes", "Dinas Kesehatan")
        assert data["contact_emails"] == ["dinkes@batangkab.go.id"]
    assert built[3]["type"] == "smartcity.milestone.overdue"
    assert built[3]["data"]["deadline"] == "2020-07-01" and built[3]["data"]["days_late"] == 3


def test_quota_events_carry_counts_deadline_and_counted_innovations() -> None:
    policy = QuotaPolicy(REGION, 2020, deadline=date(2020, 11, 30))
    innovation = make_innovation("i1", name="SIRUP")
    report = compliance(policy, ["dinkes"], [innovation], TODAY)
    row = report.units[0]
    ref = {"region": REGION, "unit": "kab-batang:dinkes", "unit_code": "dinkes", "unit_name": "D"}
    event = events.quota_unit(ref, "shortfall_detected", report, row, {"i1": innovation}, "c")
    data = validate(event)
    assert event["subject"] == "kab-batang:2020"
    assert (data["policy_id"], data["required"], data["counted"], data["shortfall"]) == (
        "kab-batang:2020",
        3,
        1,
        2,
    )
    assert event["data"]["deadline"] == "2020-11-30"
    assert event["data"]["innovations"] == [
        {"innovation_id": "i1", "name": "SIRUP", "stage": "trial"}
    ]
    validate(events.policy_set(policy, "admin", "c"))


def test_a_plan_review_event_lists_programmes_behind_schedule() -> None:
    body = {
        "title": "Masterplan",
        "start_year": 2018,
        "end_year": 2027,
        "programmes": [
            {"id": "SL-02", "name": "Transport", "pillar": "living", "horizon": "quick_win",
             "owner_unit": "dishub"},
        ],
    }  # fmt: skip
    plan = create_master_plan(body, plan_id="mp", region=REGION, by="a", today=TODAY)
    report = master_plan_report(plan, [], TODAY)
    event = events.plan_reviewed(plan, report, "c")
    data = validate(event)
    assert [p["programme_id"] for p in data["behind_schedule"]] == ["SL-02"]
