"""Domain objects survive the trip to a stored document and back; documents hold JSON only."""

from __future__ import annotations

import json
from datetime import date

from innovation import documents as docs
from innovation.domain.innovation import Evidence, StageChange, register_innovation
from innovation.domain.masterplan import create_master_plan
from innovation.domain.quota import QuotaPolicy, compliance, parse_quota_policy
from innovation.domain.stages import StageChangeRequest, change_stage
from innovation.domain.vocab import Stage
from innovation.views import jsonable
from tests.unit.innovation.inno_factories import REGION, TODAY, make_innovation, milestone, profile


def test_an_innovation_round_trips_with_history_verifications_and_milestones() -> None:
    registered = register_innovation(
        profile(), innovation_id="i1", region=REGION, registered_by="opd-1", today=TODAY
    )
    moved = change_stage(
        registered,
        StageChangeRequest(Stage.DISCONTINUED, TODAY, "Closed.", (Evidence("/x.pdf", "Letter"),)),
        by="opd-1",
    )
    verified = make_innovation("i2", verified=True, milestones=(milestone("m1", TODAY),))
    for innovation in (registered, moved, verified):
        doc = docs.innovation_doc(innovation)
        assert json.loads(json.dumps(doc)) == doc
        assert docs.innovation_from({**doc, "_rev": 3, "created_at": "x"}) == innovation
    assert docs.innovation_doc(moved)["history"][-1]["on"] == TODAY.isoformat()


def test_a_master_plan_round_trips() -> None:
    body = {
        "title": "Masterplan",
        "start_year": 2018,
        "end_year": 2027,
        "programmes": [
            {
                "id": "SG-01",
                "name": "SPBE",
                "pillar": "governance",
                "horizon": "short",
                "owner_unit": "diskominfo",
                "targets": [{"indicator": "Indeks", "baseline": 2.1, "target": 3.5}],
            }
        ],
    }
    plan = create_master_plan(body, plan_id="mp-2018-2027", region=REGION, by="a", today=TODAY)
    doc = docs.plan_doc(plan)
    assert doc["_id"] == "kab-batang:mp-2018-2027" and doc["version"] == 1
    assert docs.plan_from(json.loads(json.dumps(doc))) == plan


def test_policies_and_compliance_reports_round_trip() -> None:
    policy = parse_quota_policy(
        {"deadline": "2020-11-30", "exempt_units": ["dinsos"]}, region=REGION, year=2020
    )
    assert docs.policy_from(docs.policy_doc(policy)) == policy
    assert docs.policy_doc(QuotaPolicy(REGION, 2020))["deadline"] is None
    report = compliance(policy, ["dinkes", "dinsos"], [make_innovation("i1")], TODAY)
    doc = json.loads(json.dumps(docs.report_doc(report)))
    assert docs.report_from(doc) == report


def test_jsonable_writes_dates_as_iso_and_enums_as_values() -> None:
    change = StageChange(None, Stage.TRIAL, date(2020, 1, 2), "u")
    assert jsonable(change) == {
        "from_stage": None,
        "to_stage": "trial",
        "on": "2020-01-02",
        "by": "u",
        "reason": "",
        "evidence": [],
    }
