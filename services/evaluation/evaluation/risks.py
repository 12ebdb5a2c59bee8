"""Use cases of the risk register: risks per region, programme and unit, rated per CONTRACT.md.

The region's admin writes every risk, an OPD only its own unit's (and reads only those);
assessors read the region's register; viewers none. Every (re-)assessment is kept in
`history`; a re-assessment that changes the rating level emits `risk.rating_changed`.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from smartcity_shared.errors import Forbidden, NotFound, ValidationProblem
from smartcity_shared.identity import Identity
from smartcity_shared.limits import MAX_HISTORY, appended
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
    require_visible,
    scoped_id,
    unit_names,
    who_name,
)
from .domain import (
    Perspective,
    count_by_level,
    count_by_perspective,
    heatmap,
    parse_perspective,
    rate_risk,
    rating_changed,
)
from .domain.risk import RiskRating, level_for

if TYPE_CHECKING:
    from .bootstrap import Context

STATUSES = ("open", "mitigating", "accepted", "closed")


def _read_query(who: Identity, region: str) -> Doc:
    require_visible(who, region)
    if who.role == "viewer":
        raise Forbidden("viewers do not read the risk register")
    if is_reviewer(who, region):
        return {"region": region}
    return {"region": region, "unit": who.unit}


def _require_writer(who: Identity, region: str, unit: str) -> None:
    if not who.writes_unit(region, unit):
        raise Forbidden("only the region's admin or the unit itself may write its risks")


def _rating(doc: Doc) -> RiskRating:
    return RiskRating(doc["likelihood"], doc["impact"], doc["score"], level_for(doc["score"]))


def _assessment(who: Identity, rating: RiskRating, note: str) -> Doc:
    return {
        "at": iso(now()),
        "by": who_name(who),
        "likelihood": rating.likelihood,
        "impact": rating.impact,
        "score": rating.score,
        "rating": rating.level.value,
        "note": note,
    }


def raise_risk(c: Context, who: Identity, region: str, body: Doc, cid: str) -> Doc:
    """Enter a risk with its first rating; emits risk.raised."""
    require_visible(who, region)
    _require_writer(who, region, body["unit"])
    if body["unit"] not in unit_names(c.store("units"), c.store("regions"), region):
        raise ValidationProblem({"unit": [f"not an OPD of {region}"]})
    perspective = parse_perspective(body["perspective"])
    rating = rate_risk(body["likelihood"], body["impact"])
    require_new(c.store("risks"), region, body.get("risk_id"), "risk")
    doc = {
        "_id": scoped_id(region, body["risk_id"]) if body.get("risk_id") else str(uuid.uuid4()),
        "region": region,
        "unit": body["unit"],
        "programme": body.get("programme", ""),
        "title": body["title"],
        "description": body.get("description", ""),
        "perspective": perspective.value,
        "likelihood": rating.likelihood,
        "impact": rating.impact,
        "score": rating.score,
        "rating": rating.level.value,
        "mitigation": body.get("mitigation", ""),
        "owner": body.get("owner", ""),
        "review_date": _date(body.get("review_date")),
        "status": body.get("status", "open"),
        "history": [_assessment(who, rating, body.get("note", ""))],
        "created_at": iso(now()),
        "created_by": who_name(who),
    }
    return c.store("risks").insert(doc, [events.risk_raised(doc, cid)])


def _date(value: object) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else None


def get(c: Context, who: Identity, region: str, id: str) -> Doc:
    query = _read_query(who, region)
    doc = get_scoped(c.store("risks"), region, id)
    if doc is None or any(doc.get(k) != v for k, v in query.items()):
        raise NotFound(f"risk {id} not found")
    return doc


def list_risks(c: Context, who: Identity, region: str, filters: Doc) -> list[Doc]:
    query = {**{k: v for k, v in filters.items() if v is not None}, **_read_query(who, region)}
    docs = listed(c.store("risks"), query, [("perspective", 1), ("_id", 1)])
    return sorted(docs, key=lambda d: (d["perspective"], -d["score"], d["title"]))


@retry_stale
def update(c: Context, who: Identity, region: str, id: str, body: Doc, rev: int | None) -> Doc:
    """Edit the descriptive fields (title, programme, mitigation, owner, review date,
    status); ratings change through `reassess`."""
    doc = get(c, who, region, id)
    _require_writer(who, region, doc["unit"])
    changed = {**doc, **body, "updated_at": iso(now()), "updated_by": who_name(who)}
    if "review_date" in body:
        changed["review_date"] = _date(body["review_date"])
    if "perspective" in body:
        changed["perspective"] = parse_perspective(body["perspective"]).value
    return c.store("risks").save(changed, rev)


@retry_stale
def reassess(
    c: Context, who: Identity, region: str, id: str, body: Doc, rev: int | None, cid: str
) -> Doc:
    """A new likelihood x impact, kept in the history; a changed level emits rating_changed."""
    doc = get(c, who, region, id)
    _require_writer(who, region, doc["unit"])
    before = _rating(doc)
    after = rate_risk(body["likelihood"], body["impact"])
    changed = {
        **doc,
        "likelihood": after.likelihood,
        "impact": after.impact,
        "score": after.score,
        "rating": after.level.value,
        "history": appended(
            doc["history"],
            _assessment(who, after, body.get("note", "")),
            MAX_HISTORY,
            "assessments",
        ),
    }
    if body.get("review_date"):
        changed["review_date"] = _date(body["review_date"])
    emitted = []
    if rating_changed(before, after):
        emitted.append(events.risk_rating_changed(changed, before.level.value, cid))
    return c.store("risks").save(changed, rev, emitted)


def risk_heatmap(c: Context, who: Identity, region: str, filters: Doc) -> Doc:
    """5x5 counts (`grid[likelihood-1][impact-1]`), counts per level and per perspective."""
    docs = list_risks(c, who, region, filters)
    ratings = [_rating(d) for d in docs]
    return {
        "region": region,
        "total": len(docs),
        "grid": heatmap(ratings),
        "by_level": {k.value: v for k, v in count_by_level(ratings).items()},
        "by_perspective": {
            k.value: v
            for k, v in count_by_perspective(Perspective(d["perspective"]) for d in docs).items()
        },
    }


def by_perspective(c: Context, who: Identity, region: str, filters: Doc) -> Doc:
    """The register grouped by perspective (every perspective listed, worst risks first)."""
    grouped: Doc = {p.value: [] for p in Perspective}
    for doc in list_risks(c, who, region, filters):
        grouped[doc["perspective"]].append(doc)
    return grouped
