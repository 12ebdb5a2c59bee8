"""Use cases of submissions on the participant's side: read, save a draft, submit.

One submission per (cycle, participant), id `<cycle id>:<code>`. Who sees what: the owning OPD
(and the region's admin) always; an assessor of the region once it was submitted; another OPD
never (404, nothing leaks); a viewer reads published scorecards only, never submissions.
Every state change is audited in the document (`audit`: who, role, when, from, to, why).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smartcity_shared.errors import Conflict, Forbidden, NotFound
from smartcity_shared.identity import Identity
from smartcity_shared.outbox import retry_stale
from smartcity_shared.store import reject_unsafe_keys

from . import events
from .common import Doc, is_reviewer, iso, listed, now, parse_instant, who_name
from .domain import (
    Framework,
    allowed_actions,
    audited_transition,
    check_complete,
    is_late,
    transition,
    validate_answers,
    validate_evidence,
    visible_keys,
)

if TYPE_CHECKING:
    from .bootstrap import Context

DRAFT = "draft"
WITHDRAWN = "withdrawn"  # never submitted: assessors do not see it either


def new_submission(cycle: Doc, entry: Doc) -> Doc:
    """The empty draft of one participant of a newly opened cycle."""
    return {
        "_id": f"{cycle['_id']}:{entry['unit_code']}",
        "cycle_id": cycle["_id"],
        "cycle_name": cycle["name"],
        "region": cycle["region"],
        "year": cycle["year"],
        "framework_key": cycle["framework_key"],
        "framework_version": cycle["framework_version"],
        "unit": entry["unit_code"],
        "unit_id": entry["unit"],
        "unit_name": entry["unit_name"],
        "state": DRAFT,
        "answers": {},
        "evidence": {},
        "verified": {},
        "review_notes": {},
        "assessor_scores": {},
        "comments": {},
        "return_reason": "",
        "returns": [],
        "late": False,
        "submitted_at": None,
        "submission_count": 0,
        "result": None,
        "audit": [],
        "created_at": iso(now()),
    }


def cycle_of(c: Context, who: Identity, cycle_id: str) -> Doc:
    doc = c.store("cycles").get(cycle_id)
    if doc is None or not who.sees_region(doc["region"]):
        raise NotFound(f"cycle {cycle_id} not found")
    return doc


def may_read(who: Identity, doc: Doc) -> bool:
    """Owner (and admin) always; reviewers once submitted; nobody else."""
    if who.writes_unit(doc["region"], doc["unit"]):
        return True
    return is_reviewer(who, doc["region"]) and doc["state"] not in (DRAFT, WITHDRAWN)


def load(c: Context, who: Identity, cycle_id: str, code: str) -> tuple[Doc, Doc]:
    """(cycle, submission) when the caller may read it; NotFound otherwise (no leaks)."""
    if who.role == "viewer":
        raise Forbidden("viewers read published scorecards only")
    cycle = cycle_of(c, who, cycle_id)
    doc = c.store("submissions").get(f"{cycle_id}:{code}")
    if doc is None or not may_read(who, doc):
        raise NotFound(f"submission of {code} in {cycle_id} not found")
    return cycle, doc


def framework_of(c: Context, doc: Doc) -> Framework:
    return c.frameworks.load(c.store("frameworks"), doc["framework_key"], doc["framework_version"])


def hidden_questions(framework: Framework, doc: Doc) -> list[str]:
    """The questions the submission's answers hide (`visible_if`), for portals' skip logic."""
    shown = visible_keys(framework, doc["answers"])
    return sorted(key for key in framework.question_index if key not in shown)


def view(cycle: Doc, doc: Doc, who: Identity) -> Doc:
    """The submission as its reader sees it, with the actions the caller may take now."""
    actions: list[str] = []
    if cycle["phase"] != "closed":
        owner = who.writes_unit(doc["region"], doc["unit"])
        reviewer = is_reviewer(who, doc["region"])
        actions = [
            a.value
            for a in allowed_actions(doc["state"], who.role)
            if (owner and a.value in ("save", "submit"))
            or (reviewer and a.value not in ("save", "submit"))
        ]
    return {**doc, "allowed_actions": actions}


def list_submissions(c: Context, who: Identity, cycle_id: str) -> list[Doc]:
    """The submissions the caller may read (an OPD: its own only)."""
    if who.role == "viewer":
        raise Forbidden("viewers read published scorecards only")
    cycle_of(c, who, cycle_id)
    docs = listed(c.store("submissions"), {"cycle_id": cycle_id}, [("unit", 1)])
    return [doc for doc in docs if may_read(who, doc)]


def _writable(c: Context, who: Identity, cycle_id: str, code: str) -> tuple[Doc, Doc]:
    cycle, doc = load(c, who, cycle_id, code)
    if not who.writes_unit(doc["region"], doc["unit"]):
        raise Forbidden("only the participant may edit its submission")
    if cycle["phase"] == "closed":
        raise Conflict("the cycle is closed")
    return cycle, doc


def _merge(current: dict[str, Any], patch: dict[str, Any] | None) -> dict[str, Any]:
    """`patch` over `current`; a null value removes the key."""
    merged = dict(current)
    for key, value in (patch or {}).items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


@retry_stale
def save_draft(
    c: Context, who: Identity, cycle_id: str, code: str, body: Doc, rev: int | None
) -> Doc:
    """Merge answers and evidence links into a draft (or returned) submission; partial
    answers are fine, shapes are checked (422 `answers.<key>` / `evidence.<key>`)."""
    cycle, doc = _writable(c, who, cycle_id, code)
    transition(doc["state"], "save", who.role)
    framework = framework_of(c, doc)
    for field in ("answers", "evidence"):
        reject_unsafe_keys(body.get(field), field)
    validate_answers(framework, body.get("answers"))
    validate_evidence(framework, body.get("evidence"))
    changed = {
        **doc,
        "answers": _merge(doc["answers"], body.get("answers")),
        "evidence": _merge(doc["evidence"], body.get("evidence")),
        "updated_at": iso(now()),
        "updated_by": who_name(who),
    }
    return view(cycle, c.store("submissions").save(changed, rev), who)


def audit(doc: Doc, who: Identity, action: str, why: str) -> tuple[str, list[Doc]]:
    """The new state and audit trail after `action` (Forbidden / Conflict when not allowed)."""
    state, entry = audited_transition(doc["state"], action, who.role, who_name(who), now(), why)
    return state.value, [*doc["audit"], entry.to_dict()]


@retry_stale
def submit(
    c: Context, who: Identity, cycle_id: str, code: str, why: str, rev: int | None, cid: str
) -> Doc:
    """draft/returned -> submitted after the completeness check (422 listing every missing
    item); a first submit after the deadline is marked late. Emits submission.submitted."""
    cycle, doc = _writable(c, who, cycle_id, code)
    state, trail = audit(doc, who, "submit", why)
    check_complete(framework_of(c, doc), doc["answers"], doc["evidence"])
    resubmission = doc["state"] == "returned"
    at = now()
    late = doc["late"] if resubmission else is_late(at, parse_instant(cycle["submission_deadline"]))
    changed = {
        **doc,
        "state": state,
        "audit": trail,
        "late": late,
        "submitted_at": iso(at),
        "submission_count": doc["submission_count"] + 1,
    }
    stored = c.store("submissions").save(
        changed, rev, [events.submitted(changed, resubmission, cid)]
    )
    return view(cycle, stored, who)
