"""The evaluation events (docs/EVENTS.md), built from stored documents.

Each function returns an envelope to store with the document's write (the outbox); the data
carries what a reminder needs: ids, region, unit (directory id) and names, due dates.
"""

from __future__ import annotations

from smartcity_shared.identity import Identity

from .common import Doc, event, unit_id, who_name


def _cycle(doc: Doc) -> Doc:
    return {
        "cycle_id": doc["_id"],
        "region": doc["region"],
        "year": doc["year"],
        "name": doc["name"],
    }


def cycle_opened(doc: Doc, cid: str) -> Doc:
    data = {
        **_cycle(doc),
        "framework_key": doc["framework_key"],
        "framework_version": doc["framework_version"],
        "participants": doc["participants"],
        "submission_deadline": doc["submission_deadline"],
        "timezone": doc["timezone"],
        "phase": doc["phase"],
    }
    return event("smartcity.cycle.opened", doc["_id"], data, doc["region"], cid)


def deadline_set(doc: Doc, previous: str | None, reason: str, cid: str) -> Doc:
    data = {
        **_cycle(doc),
        "submission_deadline": doc["submission_deadline"],
        "previous_deadline": previous,
        "timezone": doc["timezone"],
        "participants": doc["participants"],
        "reason": reason,
    }
    return event("smartcity.cycle.deadline_set", doc["_id"], data, doc["region"], cid)


def participant_changed(doc: Doc, entry: Doc, added: bool, reason: str, cid: str) -> Doc:
    """cycle.participant_added / _removed: one unit, with what its reminders need (the
    cycle's deadline and time zone, names); key = cycle id, in order with deadline_set."""
    data = {
        **_cycle(doc),
        "submission_id": f"{doc['_id']}:{entry['unit_code']}",
        "unit": entry["unit"],
        "unit_code": entry["unit_code"],
        "unit_name": entry["unit_name"],
        "submission_deadline": doc["submission_deadline"],
        "timezone": doc["timezone"],
        "reason": reason,
    }
    type = f"smartcity.cycle.participant_{'added' if added else 'removed'}"
    return event(type, doc["_id"], data, doc["region"], cid)


def phase_changed(doc: Doc, previous: str, reason: str, cid: str) -> Doc:
    data = {**_cycle(doc), "phase": doc["phase"], "previous_phase": previous, "reason": reason}
    return event("smartcity.cycle.phase_changed", doc["_id"], data, doc["region"], cid)


def scorecard_published(doc: Doc, result: Doc, cid: str) -> Doc:
    data = {
        **_cycle(doc),
        "framework_key": doc["framework_key"],
        "overall": result["overall"],
        "band": result["band"],
        "delta": result.get("delta"),
        "participants": result["participants"],
    }
    return event("smartcity.scorecard.published", doc["_id"], data, doc["region"], cid)


def _submission(doc: Doc) -> Doc:
    return {
        "submission_id": doc["_id"],
        "cycle_id": doc["cycle_id"],
        "cycle_name": doc["cycle_name"],
        "region": doc["region"],
        "year": doc["year"],
        "unit": doc["unit_id"],
        "unit_code": doc["unit"],
        "unit_name": doc["unit_name"],
    }


def submitted(doc: Doc, resubmission: bool, cid: str) -> Doc:
    data = {
        **_submission(doc),
        "submitted_at": doc["submitted_at"],
        "late": doc["late"],
        "resubmission": resubmission,
    }
    return event("smartcity.submission.submitted", doc["_id"], data, doc["region"], cid)


def returned(doc: Doc, who: Identity, cid: str) -> Doc:
    data = {
        **_submission(doc),
        "comments": len(doc["comments"]),
        "reason": doc["return_reason"],
        "returned_by": who_name(who),
    }
    return event("smartcity.submission.returned", doc["_id"], data, doc["region"], cid)


def verified(doc: Doc, who: Identity, cid: str) -> Doc:
    data = {**_submission(doc), "verified_by": who_name(who)}
    return event("smartcity.submission.verified", doc["_id"], data, doc["region"], cid)


def finalized(doc: Doc, cid: str) -> Doc:
    result = doc["result"]
    data = {**_submission(doc), "overall": result["overall"], "band": result["band"]}
    return event("smartcity.submission.finalized", doc["_id"], data, doc["region"], cid)


def _recommendation(doc: Doc) -> Doc:
    return {
        "recommendation_id": doc["_id"],
        "region": doc["region"],
        "unit": unit_id(doc["region"], doc["unit"]),
        "unit_code": doc["unit"],
        "unit_name": doc["unit_name"],
        "title": doc["title"],
        "due_date": doc["due_date"],
    }


def recommendation_issued(doc: Doc, cid: str) -> Doc:
    data = {
        **_recommendation(doc),
        "priority": doc["priority"],
        "cycle_id": doc.get("cycle_id"),
    }
    return event("smartcity.recommendation.issued", doc["_id"], data, doc["region"], cid)


def recommendation_status_changed(doc: Doc, previous: str, cid: str) -> Doc:
    data = {**_recommendation(doc), "status": doc["status"], "previous_status": previous}
    type = "smartcity.recommendation.status_changed"
    return event(type, doc["_id"], data, doc["region"], cid)


def recommendation_due_changed(doc: Doc, previous: str, cid: str) -> Doc:
    data = {**_recommendation(doc), "previous_due_date": previous}
    return event("smartcity.recommendation.due_changed", doc["_id"], data, doc["region"], cid)


def _risk(doc: Doc) -> Doc:
    return {
        "risk_id": doc["_id"],
        "region": doc["region"],
        "unit": unit_id(doc["region"], doc["unit"]),
        "unit_code": doc["unit"],
        "title": doc["title"],
        "perspective": doc["perspective"],
        "likelihood": doc["likelihood"],
        "impact": doc["impact"],
        "score": doc["score"],
        "rating": doc["rating"],
    }


def risk_raised(doc: Doc, cid: str) -> Doc:
    return event("smartcity.risk.raised", doc["_id"], _risk(doc), doc["region"], cid)


def risk_rating_changed(doc: Doc, previous: str, cid: str) -> Doc:
    data = {**_risk(doc), "previous_rating": previous}
    return event("smartcity.risk.rating_changed", doc["_id"], data, doc["region"], cid)
