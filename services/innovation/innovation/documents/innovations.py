"""Innovations as documents (profile, history, verifications, milestones inside)."""

from __future__ import annotations

from ..domain.innovation import Evidence, Innovation, StageChange, Verification
from ..domain.milestones import Milestone
from ..domain.vocab import (
    EvidenceKind,
    Initiator,
    InnovationForm,
    InnovationType,
    Pillar,
    Stage,
    VerificationStatus,
)
from .common import Doc, day, iso


def evidence_doc(e: Evidence) -> Doc:
    return {"url": e.url, "description": e.description, "kind": e.kind.value}


def evidence_from(doc: Doc) -> Evidence:
    return Evidence(doc["url"], doc["description"], EvidenceKind(doc.get("kind", "document")))


def milestone_doc(m: Milestone) -> Doc:
    return {
        "id": m.id,
        "title": m.title,
        "planned_date": iso(m.planned_date),
        "actual_date": iso(m.actual_date),
        "note": m.note,
    }


def milestone_from(doc: Doc) -> Milestone:
    planned = day(doc["planned_date"])
    assert planned is not None
    return Milestone(doc["id"], doc["title"], planned, day(doc.get("actual_date")), doc["note"])


def _change_doc(c: StageChange) -> Doc:
    return {
        "from_stage": c.from_stage.value if c.from_stage else None,
        "to_stage": c.to_stage.value,
        "on": iso(c.on),
        "by": c.by,
        "reason": c.reason,
        "evidence": [evidence_doc(e) for e in c.evidence],
    }


def _change_from(doc: Doc) -> StageChange:
    on = day(doc["on"])
    assert on is not None
    source = Stage(doc["from_stage"]) if doc.get("from_stage") else None
    evidence = tuple(evidence_from(e) for e in doc.get("evidence", []))
    return StageChange(source, Stage(doc["to_stage"]), on, doc["by"], doc["reason"], evidence)


def _verification_doc(v: Verification) -> Doc:
    return {
        "status": v.status.value,
        "stage": v.stage.value,
        "on": iso(v.on),
        "by": v.by,
        "note": v.note,
    }


def _verification_from(doc: Doc) -> Verification:
    on = day(doc["on"])
    assert on is not None
    status, stage = VerificationStatus(doc["status"]), Stage(doc["stage"])
    return Verification(status, stage, on, doc["by"], doc.get("note", ""))


def innovation_doc(i: Innovation) -> Doc:
    """The stored form of an innovation (`_id` = its id)."""
    return {
        "_id": i.id,
        "region": i.region,
        "name": i.name,
        "owner_unit": i.owner_unit,
        "partner_units": list(i.partner_units),
        "year": i.year,
        "initiator": i.initiator.value,
        "type": i.type.value,
        "form": i.form.value,
        "pillar": i.pillar.value,
        "stage": i.stage.value,
        "programme_id": i.programme_id,
        "description": i.description,
        "objective": i.objective,
        "benefits": i.benefits,
        "results": i.results,
        "trial_start": iso(i.trial_start),
        "implementation_start": iso(i.implementation_start),
        "budget": i.budget,
        "beneficiaries": i.beneficiaries,
        "evidence": [evidence_doc(e) for e in i.evidence],
        "history": [_change_doc(c) for c in i.history],
        "verifications": [_verification_doc(v) for v in i.verifications],
        "milestones": [milestone_doc(m) for m in i.milestones],
    }


def innovation_from(doc: Doc) -> Innovation:
    return Innovation(
        id=doc["_id"],
        region=doc["region"],
        name=doc["name"],
        owner_unit=doc["owner_unit"],
        year=int(doc["year"]),
        initiator=Initiator(doc["initiator"]),
        type=InnovationType(doc["type"]),
        form=InnovationForm(doc["form"]),
        pillar=Pillar(doc["pillar"]),
        stage=Stage(doc["stage"]),
        partner_units=tuple(doc.get("partner_units", [])),
        programme_id=doc.get("programme_id"),
        description=doc.get("description", ""),
        objective=doc.get("objective", ""),
        benefits=doc.get("benefits", ""),
        results=doc.get("results", ""),
        trial_start=day(doc.get("trial_start")),
        implementation_start=day(doc.get("implementation_start")),
        budget=doc.get("budget"),
        beneficiaries=doc.get("beneficiaries"),
        evidence=tuple(evidence_from(e) for e in doc.get("evidence", [])),
        history=tuple(_change_from(c) for c in doc.get("history", [])),
        verifications=tuple(_verification_from(v) for v in doc.get("verifications", [])),
        milestones=tuple(milestone_from(m) for m in doc.get("milestones", [])),
    )
