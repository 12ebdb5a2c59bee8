"""Builders of the innovation service's event envelopes (types in shared schemas/innovation.py).

Each builder takes domain objects and the directory copy (for unit names and contacts) and
returns an envelope for `DocumentStore.insert/save(..., events)`. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pymongo.database import Database

from smartcity_shared.events import new_event

from . import repository as repo
from .documents import policy_id
from .domain.innovation import Innovation, StageChange, Verification
from .domain.masterplan import MasterPlan
from .domain.milestones import Milestone, milestone_status
from .domain.progress import MasterPlanReport
from .domain.quota import ComplianceReport, QuotaPolicy, UnitCompliance
from .domain.vocab import Stage

SOURCE = "innovation"
Db = Database[dict[str, Any]]
Doc = dict[str, Any]


def _event(type: str, subject: str, data: Doc, region: str, cid: str) -> Doc:
    return new_event(type, SOURCE, subject, data, region=region, correlationid=cid)


def innovation_ref(db: Db, i: Innovation) -> Doc:
    return {
        **repo.unit_ref(db, i.region, i.owner_unit),
        "innovation_id": i.id,
        "name": i.name,
        "year": i.year,
        "programme_id": i.programme_id,
    }


def registered(db: Db, i: Innovation, by: str, cid: str) -> Doc:
    data = {
        **innovation_ref(db, i),
        "stage": i.stage.value,
        "type": i.type.value,
        "form": i.form.value,
        "pillar": i.pillar.value,
        "initiator": i.initiator.value,
        "partner_units": list(i.partner_units),
        "registered_by": by,
    }
    return _event("smartcity.innovation.registered", i.id, data, i.region, cid)


def stage_changed(db: Db, i: Innovation, change: StageChange, cid: str) -> Doc:
    """`discontinued` when the change discontinues, else `stage_changed`."""
    data = {
        **innovation_ref(db, i),
        "from_stage": (change.from_stage or change.to_stage).value,
        "to_stage": change.to_stage.value,
        "date": change.on,
        "reason": change.reason,
        "changed_by": change.by,
    }
    kind = "discontinued" if change.to_stage is Stage.DISCONTINUED else "stage_changed"
    return _event(f"smartcity.innovation.{kind}", i.id, data, i.region, cid)


def verified(db: Db, i: Innovation, v: Verification, cid: str) -> Doc:
    data = {
        **innovation_ref(db, i),
        "stage": v.stage.value,
        "result": v.status.value,
        "note": v.note,
        "date": v.on,
        "verified_by": v.by,
    }
    return _event("smartcity.innovation.verified", i.id, data, i.region, cid)


def milestone_ref(db: Db, i: Innovation, m: Milestone) -> Doc:
    return {
        **repo.unit_ref(db, i.region, i.owner_unit),
        "milestone_id": m.id,
        "innovation_id": i.id,
        "innovation_name": i.name,
        "title": m.title,
        "name": m.title,
        "year": i.year,
        "planned_date": m.planned_date,
    }


def milestone_planned(db: Db, i: Innovation, m: Milestone, previous: date | None, cid: str) -> Doc:
    data = {**milestone_ref(db, i, m), "previous_planned_date": previous}
    return _event("smartcity.milestone.planned", i.id, data, i.region, cid)


def milestone_completed(db: Db, i: Innovation, m: Milestone, cid: str) -> Doc:
    assert m.actual_date is not None
    status = milestone_status(m, m.actual_date).value
    data = {**milestone_ref(db, i, m), "actual_date": m.actual_date, "status": status}
    return _event("smartcity.milestone.completed", i.id, data, i.region, cid)


def milestone_alert(db: Db, i: Innovation, m: Milestone, overdue: bool, days: int, cid: str) -> Doc:
    data = {**milestone_ref(db, i, m), "deadline": m.planned_date}
    data["days_late" if overdue else "days_left"] = days
    kind = "overdue" if overdue else "due"
    return _event(f"smartcity.milestone.{kind}", i.id, data, i.region, cid)


def policy_set(p: QuotaPolicy, by: str, cid: str) -> Doc:
    subject = policy_id(p.region, p.year)
    data: Doc = {
        "policy_id": subject,
        "region": p.region,
        "year": p.year,
        "required_per_unit": p.required_per_unit,
        "min_stage": p.min_stage.value,
        "exempt_units": sorted(p.exempt_units),
        "deadline": p.due,
        "set_by": by,
    }
    return _event("smartcity.quota.policy_set", subject, data, p.region, cid)


def quota_unit(
    ref: Doc,
    type: str,
    report: ComplianceReport,
    row: UnitCompliance,
    known: Mapping[str, Innovation],
    cid: str,
    **extra: Any,
) -> Doc:
    """A `smartcity.quota.<type>` event about one OPD's line of `report`; `ref` is the OPD
    (repository.ref_of), `known` maps innovation ids to innovations (names and stages)."""
    subject = policy_id(report.region, report.year)
    data = {
        **ref,
        "policy_id": subject,
        "year": report.year,
        "required": row.required,
        "counted": row.counted,
        "shortfall": row.shortfall,
        "status": row.status.value,
        "deadline": report.deadline,
        "min_stage": report.min_stage.value,
        "innovations": [
            {"innovation_id": i.id, "name": i.name, "stage": i.stage.value}
            for i in (known[x] for x in row.innovation_ids if x in known)
        ],
        **extra,
    }
    return _event(f"smartcity.quota.{type}", subject, data, report.region, cid)


def plan_reviewed(plan: MasterPlan, report: MasterPlanReport, cid: str) -> Doc:
    review = plan.reviews[-1]
    behind = [
        {
            "programme_id": r.programme.id,
            "name": r.programme.name,
            "owner_unit": r.programme.owner_unit,
            "reasons": list(r.reasons),
        }
        for r in report.programmes
        if r.behind_schedule
    ]
    data = {
        "plan_id": plan.id,
        "region": plan.region,
        "title": plan.title,
        "version": plan.version,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "changes": review.changes,
        "reason": review.reason,
        "date": review.on,
        "reviewed_by": review.by,
        "programmes": len(plan.programmes),
        "behind_schedule": behind,
    }
    return _event("smartcity.masterplan.reviewed", plan.id, data, plan.region, cid)
