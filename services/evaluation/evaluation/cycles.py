"""Use cases of evaluation cycles: open, phases, deadline, carry forward.

A cycle (`<region>:<year>:<framework key>`) freezes one published framework version and lists
its participants (OPD codes and/or the regency itself, by its region id). Opening it creates one
draft submission per participant (`<cycle id>:<code>`), so every participant finds its form.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from pymongo.errors import BulkWriteError

from smartcity_shared.errors import Conflict, NotFound, ValidationProblem
from smartcity_shared.identity import Identity
from smartcity_shared.limits import MAX_HISTORY, appended
from smartcity_shared.outbox import retry_stale

from . import events
from .common import (
    Doc,
    get_or_404,
    iso,
    listed,
    now,
    participant,
    require_admin,
    require_visible,
    unit_names,
    who_name,
)
from .domain import carry_forward, effective_answers
from .domain.cycle_rules import Phase, change_phase, check_phase_plan, resolve_deadline
from .framework_access import usable_by
from .frameworks import PUBLISHED, versions_of
from .submissions import new_submission

if TYPE_CHECKING:
    from .bootstrap import Context

DUPLICATE_KEY = 11000
SORT = [("unit", 1)]


def cycle_id(region: str, year: int, framework_key: str) -> str:
    return f"{region}:{year}:{framework_key}"


def get_cycle(c: Context, who: Identity, id: str) -> Doc:
    doc = c.store("cycles").get(id)
    if doc is None or not who.sees_region(doc["region"]):
        raise NotFound(f"cycle {id} not found")
    return doc


def list_cycles(c: Context, who: Identity, region: str, year: int | None) -> list[Doc]:
    require_visible(who, region)
    query: Doc = {"region": region}
    if year is not None:
        query["year"] = year
    return listed(c.store("cycles"), query, [("year", -1), ("framework_key", 1)])


def _framework_version(c: Context, region: str, key: str, version: int | None) -> int:
    """A published version of a national framework or of the region's own."""
    published = [
        v["version"]
        for v in versions_of(c.store("frameworks"), key)
        if v["status"] == PUBLISHED and usable_by(region, v)
    ]
    if not published:
        raise ValidationProblem({"framework_key": ["no published framework with this key"]})
    if version is None:
        return int(published[-1])
    if version not in published:
        raise ValidationProblem({"framework_version": ["not a published version"]})
    return version


def _participants(c: Context, region: str, codes: list[str]) -> list[Doc]:
    names = unit_names(c.store("units"), c.store("regions"), region)
    active = {
        d["code"] for d in c.store("units").collection.find({"region": region, "active": True})
    }
    active.add(region)
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()  # a set: duplicates are found in linear time
    for i, code in enumerate(codes):
        if code not in active:
            errors[f"participants.{i}"] = [f"{code!r} is not an active OPD of {region}"]
        elif code in seen:
            errors[f"participants.{i}"] = [f"{code!r} is listed twice"]
        seen.add(code)
    if errors:
        raise ValidationProblem(errors)
    return [participant(region, code, names[code]) for code in codes]


def open_cycle(c: Context, who: Identity, region: str, body: Doc, cid: str) -> Doc:
    """Open a cycle with a draft per participant; emits cycle.opened (+ deadline_set)."""
    require_admin(who, region)
    region_doc = get_or_404(c.store("regions"), region, "region")
    timezone = body.get("timezone") or region_doc.get("timezone", "Asia/Jakarta")
    check_phase_plan(body.get("phases", []))
    version = _framework_version(c, region, body["framework_key"], body.get("framework_version"))
    id = cycle_id(region, body["year"], body["framework_key"])
    if c.store("cycles").get(id) is not None:
        raise Conflict(f"cycle {id} exists")
    if body.get("carry_forward_from"):
        _source(c, region, body["year"], body["carry_forward_from"])
    deadline = body.get("submission_deadline")
    doc: Doc = {
        "_id": id,
        "region": region,
        "year": body["year"],
        "name": body.get("name") or f"{body['framework_key']} {body['year']}",
        "framework_key": body["framework_key"],
        "framework_version": version,
        "participants": _participants(c, region, body["participants"]),
        "phases": [_phase_out(p) for p in body.get("phases", [])],
        "phase": Phase.SELF_ASSESSMENT.value,
        "submission_deadline": iso(resolve_deadline(deadline, timezone)) if deadline else None,
        "timezone": timezone,
        "published": False,
        "history": [],
        "created_at": iso(now()),
        "created_by": who_name(who),
    }
    drafts = [new_submission(doc, entry) for entry in doc["participants"]]
    try:  # no events: one round trip; drafts left by an earlier failed attempt stay
        c.store("submissions").collection.insert_many(
            [{**d, "_rev": 1} for d in drafts], ordered=False
        )
    except BulkWriteError as exc:
        if any(e.get("code") != DUPLICATE_KEY for e in exc.details.get("writeErrors", [])):
            raise
    emitted = [events.cycle_opened(doc, cid)]
    if doc["submission_deadline"]:
        emitted.append(events.deadline_set(doc, None, "", cid))
    stored = c.store("cycles").insert(doc, emitted)
    if body.get("carry_forward_from"):
        carry_forward_answers(c, who, id, body["carry_forward_from"])
    return stored


def _phase_out(item: Doc) -> Doc:
    return {
        "phase": item["phase"],
        "starts_on": _iso_date(item.get("starts_on")),
        "ends_on": _iso_date(item.get("ends_on")),
    }


def _iso_date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _history(who: Identity, change: str, before: Any, after: Any, reason: str) -> Doc:
    return {
        "at": iso(now()),
        "by": who_name(who),
        "change": change,
        "from": before,
        "to": after,
        "why": reason,
    }


@retry_stale
def set_deadline(
    c: Context,
    who: Identity,
    id: str,
    value: date | datetime,
    reason: str,
    rev: int | None,
    cid: str,
) -> Doc:
    """Set or move the submission deadline; emits deadline_set with the previous one."""
    doc = get_cycle(c, who, id)
    require_admin(who, doc["region"])
    if doc["phase"] == Phase.CLOSED:
        raise Conflict("the cycle is closed")
    deadline = iso(resolve_deadline(value, doc["timezone"]))
    previous = doc.get("submission_deadline")
    if deadline == previous:
        return doc  # nothing changes, nothing to announce
    history = appended(
        doc["history"],
        _history(who, "deadline", previous, deadline, reason),
        MAX_HISTORY,
        "changes",
    )
    changed = {**doc, "submission_deadline": deadline, "history": history}
    return c.store("cycles").save(
        changed, rev, [events.deadline_set(changed, previous, reason, cid)]
    )


@retry_stale
def set_phase(
    c: Context, who: Identity, id: str, phase: str, reason: str, rev: int | None, cid: str
) -> Doc:
    doc = get_cycle(c, who, id)
    require_admin(who, doc["region"])
    previous = doc["phase"]
    new = change_phase(previous, phase)
    history = appended(
        doc["history"],
        _history(who, "phase", previous, new.value, reason),
        MAX_HISTORY,
        "changes",
    )
    changed = {**doc, "phase": new.value, "history": history}
    emitted = [events.phase_changed(changed, previous, reason, cid)]
    return c.store("cycles").save(changed, rev, emitted)


def _source(c: Context, region: str, year: int, source_id: str) -> Doc:
    """The cycle to carry answers forward from: an earlier one of the same region."""
    source = c.store("cycles").get(source_id)
    if source is None or source["region"] != region:
        raise ValidationProblem({"carry_forward_from": ["no such cycle in this region"]})
    if source["year"] >= year:
        raise ValidationProblem({"carry_forward_from": ["must be an earlier cycle"]})
    return source


@retry_stale
def carry_forward_answers(c: Context, who: Identity, id: str, source_id: str) -> Doc:
    """Pre-fill this cycle's drafts with last cycle's (verified) answers that still fit.

    Only unanswered questions of drafts are filled; evidence links come along. Returns
    `{"cycle_id", "source_cycle_id", "updated": [codes]}`.
    """
    doc = get_cycle(c, who, id)
    require_admin(who, doc["region"])
    _source(c, doc["region"], doc["year"], source_id)
    framework = c.frameworks.load(
        c.store("frameworks"), doc["framework_key"], doc["framework_version"]
    )
    updated = []
    submissions = c.store("submissions")
    drafts = {d["unit"]: d for d in listed(submissions, {"cycle_id": id, "state": "draft"}, SORT)}
    olds = {d["unit"]: d for d in listed(submissions, {"cycle_id": source_id}, SORT)}
    for code in sorted(drafts.keys() & olds.keys()):
        draft, old = drafts[code], olds[code]
        carried = carry_forward(framework, effective_answers(old["answers"], old.get("verified")))
        answers = {**carried, **draft["answers"]}
        evidence = {
            k: v for k, v in old.get("evidence", {}).items() if k in carried and v
        } | draft.get("evidence", {})
        changed = {**draft, "answers": answers, "evidence": evidence, "carried_from": source_id}
        submissions.save(changed, None)
        updated.append(code)
    return {"cycle_id": id, "source_cycle_id": source_id, "updated": updated}
