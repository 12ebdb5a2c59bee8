"""Use cases of recommendations for improvement and their follow-up.

Finalizing a submission generates them from its weakest indicators (below 60 % of the
framework's scale); assessors (and the region's admin) may re-run that with other options
(idempotent per indicator) or write them by hand; the owning OPD adds progress notes with
evidence and moves them to `in_progress` or `done`; assessors and the admin may also drop or
reopen them. An OPD sees only
its own unit's recommendations; viewers none.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from smartcity_shared.errors import Conflict, Forbidden, NotFound, ValidationProblem
from smartcity_shared.identity import Identity
from smartcity_shared.limits import MAX_HISTORY, MAX_NOTES, appended
from smartcity_shared.outbox import retry_stale

from . import events
from .common import (
    Doc,
    get_scoped,
    is_reviewer,
    iso,
    listed,
    now,
    require_new,
    require_reviewer,
    require_visible,
    scoped_id,
    unit_names,
    who_name,
)
from .common import today as today_
from .domain import RecommendationDraft, change_status, generate_recommendations, overdue
from .scorecards import card_of, framework_for
from .submissions import cycle_of

if TYPE_CHECKING:
    from .bootstrap import Context

OWNER_STATUSES = ("in_progress", "done")


def _id(region: str, chosen: str | None) -> str:
    return scoped_id(region, chosen) if chosen else str(uuid.uuid4())


def _doc(region: str, unit: str, unit_name: str, body: Doc, who: Identity) -> Doc:
    return {
        "_id": _id(region, body.get("recommendation_id")),
        "region": region,
        "unit": unit,
        "unit_name": unit_name,
        "cycle_id": body.get("cycle_id"),
        "submission_id": body.get("submission_id"),
        "dimension_key": body.get("dimension_key"),
        "indicator_key": body.get("indicator_key"),
        "title": body["title"],
        "text": body.get("text", ""),
        "priority": body.get("priority", "medium"),
        "due_date": body["due_date"].isoformat(),
        "status": "open",
        "source": body.get("source", "assessor"),
        "notes": [],
        "history": [],
        "created_at": iso(now()),
        "created_by": who_name(who),
    }


def generate(c: Context, who: Identity, cycle_id: str, code: str, body: Doc, cid: str) -> Doc:
    """Recommendations for a final submission's indicators below `threshold` (reported
    scale; default 60 % of it). Idempotent: an indicator already recommended is skipped.
    Finalizing a submission already generates them with the defaults; this is the re-run."""
    cycle = cycle_of(c, who, cycle_id)
    require_reviewer(who, cycle["region"])
    submission = c.store("submissions").get(f"{cycle_id}:{code}")
    if submission is None:
        raise NotFound(f"submission of {code} in {cycle_id} not found")
    if submission["state"] != "final":
        raise Conflict("recommendations are generated from a final submission")
    return issue_for(c, who, cycle, submission, body, cid)


def issue_for(c: Context, who: Identity, cycle: Doc, submission: Doc, body: Doc, cid: str) -> Doc:
    """Store (with recommendation.issued) a recommendation per indicator of the final
    `submission` below the threshold; those already stored (same id) are left as they are."""
    framework = framework_for(c, cycle)
    threshold = body.get("threshold")
    drafts = generate_recommendations(
        framework,
        card_of(framework, submission),
        owner_unit=submission["unit"],
        issued_on=today_(),
        threshold=None if threshold is None else Decimal(str(threshold)),
        due_in_days=body.get("due_in_days", 90),
        limit=body.get("limit"),
    )
    created, existing = [], []
    store = c.store("recommendations")
    for draft in drafts:
        doc = _from_draft(cycle, submission, draft, framework.scale_max, who)
        if store.get(doc["_id"]) is not None:
            existing.append(doc["_id"])
        else:
            created.append(store.insert(doc, [events.recommendation_issued(doc, cid)]))
    return {"created": created, "existing": existing}


def _from_draft(
    cycle: Doc, submission: Doc, draft: RecommendationDraft, scale: Fraction, who: Identity
) -> Doc:
    body = {
        "recommendation_id": f"{submission['_id']}:{draft.indicator_key}",
        "cycle_id": cycle["_id"],
        "submission_id": submission["_id"],
        "dimension_key": draft.dimension_key,
        "indicator_key": draft.indicator_key,
        "title": f"Improve: {draft.indicator_name}",
        "text": draft.text,
        "priority": draft.priority.value,
        "due_date": draft.due,
        "source": "generated",
    }
    doc = _doc(cycle["region"], submission["unit"], submission["unit_name"], body, who)
    return {**doc, "score": float(draft.score * scale)}


def create(c: Context, who: Identity, region: str, body: Doc, cid: str) -> Doc:
    """A recommendation written by an assessor (or the admin) for one unit."""
    require_reviewer(who, region)
    names = unit_names(c.store("units"), c.store("regions"), region)
    if body["unit"] not in names:
        raise ValidationProblem({"unit": [f"not an OPD of {region}"]})
    require_new(c.store("recommendations"), region, body.get("recommendation_id"), "recommendation")
    doc = _doc(region, body["unit"], names[body["unit"]], body, who)
    return c.store("recommendations").insert(doc, [events.recommendation_issued(doc, cid)])


def _visible_query(who: Identity, region: str) -> Doc:
    require_visible(who, region)
    if who.role == "viewer":
        raise Forbidden("viewers do not read recommendations")
    if is_reviewer(who, region):
        return {"region": region}
    return {"region": region, "unit": who.unit}


def get(c: Context, who: Identity, region: str, id: str) -> Doc:
    query = _visible_query(who, region)
    doc = get_scoped(c.store("recommendations"), region, id)
    if doc is None or any(doc.get(k) != v for k, v in query.items()):
        raise NotFound(f"recommendation {id} not found")
    return doc


def list_recommendations(c: Context, who: Identity, region: str, filters: Doc) -> list[Doc]:
    query = {**{k: v for k, v in filters.items() if v is not None}, **_visible_query(who, region)}
    return listed(c.store("recommendations"), query, [("due_date", 1), ("_id", 1)])


@retry_stale
def update(
    c: Context, who: Identity, region: str, id: str, body: Doc, rev: int | None, cid: str
) -> Doc:
    """Edit title, text, priority or due date; a moved due date emits due_changed."""
    require_reviewer(who, region)
    doc = get(c, who, region, id)
    changed = {**doc, **body}
    emitted = []
    if "due_date" in body:
        changed["due_date"] = body["due_date"].isoformat()
        if changed["due_date"] != doc["due_date"]:
            emitted.append(events.recommendation_due_changed(changed, doc["due_date"], cid))
    return c.store("recommendations").save(changed, rev, emitted)


def _note(who: Identity, body: Doc, status: str | None = None) -> Doc:
    return {
        "at": iso(now()),
        "by": who_name(who),
        "text": body.get("note") or body.get("text") or "",
        "evidence": body.get("evidence") or [],
        "status": status,
    }


@retry_stale
def set_status(
    c: Context, who: Identity, region: str, id: str, body: Doc, rev: int | None, cid: str
) -> Doc:
    """The OPD moves its own to in_progress / done; reviewers also drop or reopen."""
    doc = get(c, who, region, id)
    reviewer = is_reviewer(who, region)
    if not reviewer and not (
        who.writes_unit(region, doc["unit"]) and body["status"] in OWNER_STATUSES
    ):
        raise Forbidden("an OPD may move its recommendation to in_progress or done only")
    status = change_status(doc["status"], body["status"]).value
    changed = {
        **doc,
        "status": status,
        "notes": appended(doc["notes"], _note(who, body, status), MAX_NOTES, "notes"),
        "history": appended(
            doc["history"],
            {"at": iso(now()), "by": who_name(who), "from": doc["status"], "to": status},
            MAX_HISTORY,
            "status changes",
        ),
    }
    emitted = [events.recommendation_status_changed(changed, doc["status"], cid)]
    return c.store("recommendations").save(changed, rev, emitted)


@retry_stale
def add_note(c: Context, who: Identity, region: str, id: str, body: Doc, rev: int | None) -> Doc:
    """A progress note with evidence links, by the owning OPD or a reviewer."""
    doc = get(c, who, region, id)
    if not (is_reviewer(who, region) or who.writes_unit(region, doc["unit"])):
        raise Forbidden("only the owning OPD or a reviewer may add notes")
    changed = {**doc, "notes": appended(doc["notes"], _note(who, body), MAX_NOTES, "notes")}
    return c.store("recommendations").save(changed, rev)


@dataclass(frozen=True)
class _Due:
    due: date
    status: str
    doc: Doc


def overdue_list(c: Context, who: Identity, region: str, on: date | None) -> list[Doc]:
    """Open or in-progress recommendations due before `on` (today), most overdue first."""
    docs = list_recommendations(c, who, region, {})
    items = [_Due(date.fromisoformat(d["due_date"]), d["status"], d) for d in docs]
    day = on or today_()
    return [{**item.doc, "days_overdue": (day - item.due).days} for item in overdue(items, day)]
