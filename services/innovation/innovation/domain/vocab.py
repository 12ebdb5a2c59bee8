"""The innovation domain's vocabulary: closed sets of values that the API accepts and returns.

Every enumeration is a `StrEnum`, so a member compares equal to (and serialises as) its string
value, e.g. `Stage.TRIAL == "trial"`.
"""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """An innovation's stage (Indeks Inovasi Daerah: inisiatif, uji coba, penerapan)."""

    INITIATIVE = "initiative"
    TRIAL = "trial"
    IMPLEMENTED = "implemented"
    DISCONTINUED = "discontinued"


ACTIVE_STAGES: tuple[Stage, ...] = (Stage.INITIATIVE, Stage.TRIAL, Stage.IMPLEMENTED)
"""The active stages in their order; `discontinued` is outside the order."""


def stage_rank(stage: Stage) -> int:
    """Position of an active stage in ACTIVE_STAGES (0, 1, 2); -1 for `discontinued`."""
    return ACTIVE_STAGES.index(stage) if stage in ACTIVE_STAGES else -1


def stage_at_least(stage: Stage, minimum: Stage) -> bool:
    """True when `stage` is active and not before `minimum`; never true for `discontinued`."""
    return stage is not Stage.DISCONTINUED and stage_rank(stage) >= stage_rank(minimum)


class Pillar(StrEnum):
    """The six pillars of Gerakan Menuju 100 Smart City."""

    GOVERNANCE = "governance"
    BRANDING = "branding"
    ECONOMY = "economy"
    LIVING = "living"
    SOCIETY = "society"
    ENVIRONMENT = "environment"


class Initiator(StrEnum):
    """Who started an innovation."""

    HEAD_OF_REGION = "head_of_region"
    COUNCIL_MEMBER = "council_member"
    OPD = "opd"
    CIVIL_SERVANT = "civil_servant"
    CITIZEN = "citizen"


class InnovationType(StrEnum):
    """Digital or not: a weekly community market counts as much as an app."""

    DIGITAL = "digital"
    NON_DIGITAL = "non_digital"


class InnovationForm(StrEnum):
    """Form of an innovation in the regional innovation index."""

    GOVERNANCE = "governance"
    PUBLIC_SERVICE = "public_service"
    OTHER = "other"


class EvidenceKind(StrEnum):
    """What a piece of evidence is."""

    DOCUMENT = "document"
    PHOTO = "photo"
    VIDEO = "video"
    SCREENSHOT = "screenshot"
    LINK = "link"
    OTHER = "other"


class VerificationStatus(StrEnum):
    """An assessor's verdict on an innovation at its current stage."""

    VERIFIED = "verified"
    NEEDS_EVIDENCE = "needs_evidence"


class Horizon(StrEnum):
    """Master-plan horizon of a programme."""

    QUICK_WIN = "quick_win"
    SHORT = "short"
    MEDIUM = "medium"
    LONG = "long"


class ProgrammeStatus(StrEnum):
    """Life-cycle status of a master-plan programme."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class MilestoneStatus(StrEnum):
    """Derived status of a milestone on a given day (see milestones.milestone_status)."""

    PLANNED = "planned"
    DONE = "done"
    LATE = "late"
