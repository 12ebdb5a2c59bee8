"""Builders of innovation-domain objects for the unit tests (valid unless told otherwise)."""

from __future__ import annotations

from datetime import date
from typing import Any

from innovation.domain.innovation import Evidence, Innovation, StageChange, Verification
from innovation.domain.milestones import Milestone
from innovation.domain.vocab import (
    Initiator,
    InnovationForm,
    InnovationType,
    Pillar,
    Stage,
    VerificationStatus,
)

REGION = "kab-batang"
TODAY = date(2020, 6, 30)
EVIDENCE = Evidence("https://batang.go.id/inovasi/sk.pdf", "Decree of the Bupati")


def profile(**overrides: Any) -> dict[str, Any]:
    """A valid registration body as an OPD portal posts it."""
    body: dict[str, Any] = {
        "name": "Minggon Jatinan",
        "owner_unit": "disparpora",
        "partner_units": ["dinkop"],
        "year": 2020,
        "initiator": "citizen",
        "type": "non_digital",
        "form": "public_service",
        "pillar": "branding",
        "programme_id": "SB-01",
        "description": "A weekly market in the teak forest of Kalipucang.",
        "objective": "Promote village tourism.",
        "benefits": "Income for small traders.",
        "results": "Hundreds of visitors every Sunday.",
        "trial_start": "2019-03-03",
        "budget": 25_000_000,
        "beneficiaries": 120,
        "evidence": [
            {"url": "https://batang.go.id/minggon.jpg", "description": "Photo", "kind": "photo"}
        ],
    }
    body.update(overrides)
    return body


def make_innovation(
    innovation_id: str = "i1",
    *,
    unit: str = "dinkes",
    year: int = 2020,
    stage: Stage = Stage.TRIAL,
    region: str = REGION,
    evidence: bool = True,
    verified: bool = False,
    programme_id: str | None = None,
    milestones: tuple[Milestone, ...] = (),
    pillar: Pillar = Pillar.GOVERNANCE,
    kind: InnovationType = InnovationType.DIGITAL,
    name: str = "",
) -> Innovation:
    """An innovation built directly (no validation), with a plausible history."""
    history: tuple[StageChange, ...] = (StageChange(None, stage, date(year, 1, 10), "opd-user"),)
    verifications: tuple[Verification, ...] = ()
    if verified:
        verifications = (
            Verification(VerificationStatus.VERIFIED, stage, date(year, 2, 1), "assessor"),
        )
    return Innovation(
        id=innovation_id,
        region=region,
        name=name or f"Innovation {innovation_id}",
        owner_unit=unit,
        year=year,
        initiator=Initiator.OPD,
        type=kind,
        form=InnovationForm.PUBLIC_SERVICE,
        pillar=pillar,
        stage=stage,
        programme_id=programme_id,
        trial_start=date(year, 1, 10) if stage is Stage.TRIAL else None,
        implementation_start=date(year, 1, 10) if stage is Stage.IMPLEMENTED else None,
        evidence=(EVIDENCE,) if evidence else (),
        history=history,
        verifications=verifications,
        milestones=milestones,
    )


def milestone(
    milestone_id: str, planned: date, actual: date | None = None, title: str = ""
) -> Milestone:
    return Milestone(milestone_id, title or f"Milestone {milestone_id}", planned, actual)
