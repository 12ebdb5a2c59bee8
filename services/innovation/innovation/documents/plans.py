"""Master plans as documents (`_id` = `<region>:<plan id>`)."""

from __future__ import annotations

from ..domain.masterplan import MasterPlan, PlanReview, Programme, Target
from ..domain.vocab import Horizon, Pillar, ProgrammeStatus
from .common import Doc, day, iso


def _target_doc(t: Target) -> Doc:
    return {
        "indicator": t.indicator,
        "baseline": t.baseline,
        "target": t.target,
        "measure": t.measure,
        "year": t.year,
    }


def programme_doc(p: Programme) -> Doc:
    return {
        "id": p.id,
        "name": p.name,
        "pillar": p.pillar.value,
        "horizon": p.horizon.value,
        "owner_unit": p.owner_unit,
        "start_year": p.start_year,
        "end_year": p.end_year,
        "status": p.status.value,
        "description": p.description,
        "targets": [_target_doc(t) for t in p.targets],
    }


def _programme_from(doc: Doc) -> Programme:
    targets = tuple(
        Target(t["indicator"], t.get("baseline"), t.get("target"), t["measure"], t.get("year"))
        for t in doc.get("targets", [])
    )
    return Programme(
        doc["id"],
        doc["name"],
        Pillar(doc["pillar"]),
        Horizon(doc["horizon"]),
        doc["owner_unit"],
        int(doc["start_year"]),
        int(doc["end_year"]),
        ProgrammeStatus(doc["status"]),
        doc.get("description", ""),
        targets,
    )


def _review_doc(r: PlanReview) -> Doc:
    return {
        "version": r.version,
        "on": iso(r.on),
        "by": r.by,
        "changes": r.changes,
        "reason": r.reason,
    }


def _review_from(doc: Doc) -> PlanReview:
    on = day(doc["on"])
    assert on is not None
    return PlanReview(int(doc["version"]), on, doc["by"], doc["changes"], doc.get("reason", ""))


def plan_doc(plan: MasterPlan) -> Doc:
    """The stored form of a plan; `_id` is `<region>:<plan id>`, `plan_id` the plan's own id."""
    return {
        "_id": plan_doc_id(plan.region, plan.id),
        "plan_id": plan.id,
        "region": plan.region,
        "title": plan.title,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "version": plan.version,
        "programmes": [programme_doc(p) for p in plan.programmes],
        "reviews": [_review_doc(r) for r in plan.reviews],
    }


def plan_doc_id(region: str, plan_id: str) -> str:
    return f"{region}:{plan_id}"


def plan_from(doc: Doc) -> MasterPlan:
    return MasterPlan(
        id=doc["plan_id"],
        region=doc["region"],
        title=doc["title"],
        start_year=int(doc["start_year"]),
        end_year=int(doc["end_year"]),
        programmes=tuple(_programme_from(p) for p in doc.get("programmes", [])),
        reviews=tuple(_review_from(r) for r in doc.get("reviews", [])),
    )
