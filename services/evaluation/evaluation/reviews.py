"""Use cases of the assessor's side of a submission: review, return, verify, finalize.

An assessor (of the region, or `*`) or the region's admin reviews: per question a verified
answer (it replaces the self-assessed one in the final score) and a note (field-review
findings), and the `s` of assessor-scored text/file questions. Returning for revision carries
comments per question that the OPD sees; finalizing scores the submission, locks it and
generates its recommendations (indicators below 60 % of the framework's scale; the manual
`POST .../recommendations` re-runs that with other options, idempotent per indicator).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smartcity_shared.errors import Conflict, Forbidden, ValidationProblem
from smartcity_shared.identity import Identity
from smartcity_shared.outbox import retry_stale
from smartcity_shared.store import reject_unsafe_keys

from . import events, recommendations
from .common import Doc, is_reviewer, iso, now, who_name
from .domain import (
    Framework,
    score_submission,
    transition,
    validate_answers,
    validate_assessor_scores,
)
from .submissions import _merge, audit, framework_of, load, view

if TYPE_CHECKING:
    from .bootstrap import Context

MAX_NOTE = 5_000


def _reviewable(c: Context, who: Identity, cycle_id: str, code: str) -> tuple[Doc, Doc]:
    cycle, doc = load(c, who, cycle_id, code)
    if not is_reviewer(who, doc["region"]):
        raise Forbidden("only an assessor of this region or its admin may review")
    if cycle["phase"] == "closed":
        raise Conflict("the cycle is closed")
    return cycle, doc


def _check_notes(framework: Framework, notes: object, field: str) -> None:
    """`{question key: text}` with known keys and bounded texts (None removes a note)."""
    reject_unsafe_keys(notes, field)
    errors: dict[str, list[str]] = {}
    for key, text in (notes or {}).items() if isinstance(notes, dict) else ():
        if key not in framework.question_index:
            errors[f"{field}.{key}"] = ["unknown question"]
        elif text is not None and (not isinstance(text, str) or len(text) > MAX_NOTE):
            errors[f"{field}.{key}"] = [f"must be a text of at most {MAX_NOTE} characters"]
    if errors:
        raise ValidationProblem(errors)


@retry_stale
def record_review(
    c: Context, who: Identity, cycle_id: str, code: str, body: Doc, rev: int | None
) -> Doc:
    """Merge verified answers, notes and assessor scores into a submission in review."""
    cycle, doc = _reviewable(c, who, cycle_id, code)
    transition(doc["state"], "review", who.role)
    framework = framework_of(c, doc)
    reject_unsafe_keys(body.get("verified"), "verified")
    reject_unsafe_keys(body.get("assessor_scores"), "assessor_scores")
    validate_answers(framework, body.get("verified"), field="verified")
    validate_assessor_scores(framework, body.get("assessor_scores"))
    _check_notes(framework, body.get("notes"), "notes")
    changed = {
        **doc,
        "verified": _merge(doc["verified"], body.get("verified")),
        "review_notes": _merge(doc["review_notes"], body.get("notes")),
        "assessor_scores": _merge(doc["assessor_scores"], body.get("assessor_scores")),
        "reviewed_at": iso(now()),
        "reviewed_by": who_name(who),
    }
    return view(cycle, c.store("submissions").save(changed, rev), who)


@retry_stale
def act(
    c: Context,
    who: Identity,
    cycle_id: str,
    code: str,
    action: str,
    body: Doc,
    rev: int | None,
    cid: str,
) -> Doc:
    """start_review, return, verify, reopen or finalize (403 / 409 per the lifecycle)."""
    cycle, doc = _reviewable(c, who, cycle_id, code)
    reason = body.get("reason") or ""
    state, trail = audit(doc, who, action, reason)
    changed = {**doc, "state": state, "audit": trail}
    emitted: list[Doc] = []
    if action == "return":
        comments = body.get("comments") or {}
        _check_notes(framework_of(c, doc), comments, "comments")
        if not reason.strip() and not comments:
            raise ValidationProblem({"reason": ["give a reason or per-question comments"]})
        entry = {"at": iso(now()), "by": who_name(who), "reason": reason, "comments": comments}
        changed.update(comments=comments, return_reason=reason, returns=[*doc["returns"], entry])
        emitted.append(events.returned(changed, who, cid))
    elif action == "verify":
        changed.update(verified_at=iso(now()), verified_by=who_name(who))
        emitted.append(events.verified(changed, who, cid))
    elif action == "finalize":
        changed.update(result=result_of(framework_of(c, doc), doc), finalized_at=iso(now()))
        emitted.append(events.finalized(changed, cid))
    stored = c.store("submissions").save(changed, rev, emitted)
    if action == "finalize":  # stored first: a failure here leaves a re-run (idempotent)
        recommendations.issue_for(c, who, cycle, stored, {}, cid)
    return view(cycle, stored, who)


def result_of(framework: Framework, doc: Doc) -> Doc:
    """The reported headline of a final submission (kept on the document)."""
    card = score_submission(framework, doc["answers"], doc["verified"], doc["assessor_scores"])
    difference = card.difference().overall
    return {
        "overall": _number(card.reported(card.overall)),
        "band": card.band,
        "self_overall": _number(card.reported(card.self_assessed.overall)),
        "self_band": card.self_assessed.band,
        "difference": _number(card.reported(difference)),
    }


def _number(value: object) -> float | None:
    return None if value is None else float(str(value))
