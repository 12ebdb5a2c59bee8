"""What the API returns: stored documents and domain results as JSON-ready dicts.

Derived values (an innovation's verification state, milestone statuses on the region's today,
a report's reasons) are computed here at read time, never stored, so they cannot go stale.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from enum import Enum
from typing import Any

from . import documents as docs
from .domain.masterplan import MasterPlan
from .domain.milestones import is_overdue, milestone_status, milestone_summary
from .domain.progress import MasterPlanReport, ProgrammeReview
from .domain.quota import ComplianceReport

Doc = dict[str, Any]


def jsonable(value: Any) -> Any:
    """Dataclasses, enums, dates, tuples and mappings as JSON values (dates ISO)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(jsonable(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def innovation(body: Doc, today: date) -> Doc:
    """A stored innovation (after `with_etag`: `revision` instead of `_rev`) with its derived
    state: active, verified at the current stage, latest verdict, milestone statuses."""
    out = {"id": body["_id"], **{k: v for k, v in body.items() if k != "_id"}}
    found = docs.innovation_from(body)
    latest = found.latest_verification
    out["active"] = found.active
    out["verified"] = found.is_verified
    out["verification"] = jsonable(latest) if latest else None
    out["milestones"] = [
        {
            **docs.milestone_doc(m),
            "status": milestone_status(m, today).value,
            "overdue": is_overdue(m, today),
        }
        for m in found.milestones
    ]
    out["milestone_summary"] = dict(milestone_summary(found.milestones, today))
    return out


def plan(body: Doc) -> Doc:
    return {"id": body["plan_id"], **{k: v for k, v in body.items() if k not in ("_id", "plan_id")}}


def policy(body: Doc) -> Doc:
    return {"id": body["_id"], **{k: v for k, v in body.items() if k != "_id"}}


def compliance_report(report: ComplianceReport, names: Mapping[str, str]) -> Doc:
    out: Doc = jsonable(report)
    out["policy_id"] = docs.policy_id(report.region, report.year)
    for row in out["units"]:
        row["unit_name"] = names.get(row["unit"], row["unit"])
    return out


def plan_report(report: MasterPlanReport, found: MasterPlan, names: Mapping[str, str]) -> Doc:
    """The master-plan review: per programme its linked innovations, stages, progress (with
    the weights used) and why it is behind schedule; per pillar a summary."""
    weights = report.programmes[0].progress.weights if report.programmes else None
    return {
        "plan_id": report.plan_id,
        "region": report.region,
        "title": found.title,
        "version": report.version,
        "as_of": report.as_of.isoformat(),
        "programmes_total": len(report.programmes),
        "behind": report.behind,
        "weights": jsonable(weights) if weights else None,
        "pillars": jsonable(report.pillars),
        "programmes": [_programme_line(r, names) for r in report.programmes],
    }


def _programme_line(review: ProgrammeReview, names: Mapping[str, str]) -> Doc:
    programme = review.programme
    progress = {k: v for k, v in jsonable(review.progress).items() if k != "weights"}
    return {
        **docs.programme_doc(programme),
        "owner_unit_name": names.get(programme.owner_unit, programme.owner_unit),
        "elapsed": review.elapsed,
        "progress": progress,
        "stage_counts": dict(review.stage_counts),
        "behind_schedule": review.behind_schedule,
        "reasons": list(review.reasons),
        "innovations": [
            {**jsonable(line), "owner_unit_name": names.get(line.owner_unit, line.owner_unit)}
            for line in review.innovations
        ],
    }
