"""The innovation profile (Indeks Inovasi Daerah) and its validating constructors.

`register_innovation` builds a new Innovation from the JSON an OPD portal posts;
`update_profile` applies a partial edit. Both collect every problem into one
`ValidationProblem({"field.path": [messages]})` and never store anything themselves.

Input shape (JSON): name, owner_unit, partner_units [codes], year, initiator, type, form, pillar,
programme_id, description, objective, benefits, results, trial_start, implementation_start
("YYYY-MM-DD"), budget (IDR, >= 0), beneficiaries (int >= 0), evidence [{url, description, kind}],
and at registration only an optional starting `stage` (default `initiative`).

Rules across fields:
- partner units are distinct codes and do not repeat the owner unit;
- trial_start is not after implementation_start;
- registering at stage `trial` requires a trial_start, at `implemented` an
  implementation_start, and an edit may not clear the date of the current stage (a stage
  change fills the date in when it is missing, see stages.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from smartcity_shared.limits import link_problem

from .milestones import Milestone
from .parsing import Problems, Reader, as_mapping, body, join
from .vocab import (
    EvidenceKind,
    Initiator,
    InnovationForm,
    InnovationType,
    Pillar,
    Stage,
    VerificationStatus,
)

PROFILE_FIELDS = (
    "name",
    "owner_unit",
    "partner_units",
    "year",
    "initiator",
    "type",
    "form",
    "pillar",
    "programme_id",
    "description",
    "objective",
    "benefits",
    "results",
    "trial_start",
    "implementation_start",
    "budget",
    "beneficiaries",
    "evidence",
)
READ_ONLY_FIELDS = ("id", "region", "stage", "history", "verifications", "milestones")
EVIDENCE_FIELDS = ("url", "description", "kind")
YEAR_MIN, YEAR_MAX = 2000, 2100
LONG_TEXT = 5000
MAX_EVIDENCE = 50


@dataclass(frozen=True)
class Evidence:
    """A link or stored file proving an innovation, with a description."""

    url: str
    description: str
    kind: EvidenceKind = EvidenceKind.DOCUMENT


@dataclass(frozen=True)
class StageChange:
    """One entry of the stage history; `from_stage` is None for the registration entry."""

    from_stage: Stage | None
    to_stage: Stage
    on: date
    by: str
    reason: str = ""
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Verification:
    """An assessor's verdict, tied to the stage it was given at."""

    status: VerificationStatus
    stage: Stage
    on: date
    by: str
    note: str = ""


@dataclass(frozen=True)
class Innovation:
    """An innovation of one region, owned by one unit (the one its quota credit goes to)."""

    id: str
    region: str
    name: str
    owner_unit: str
    year: int
    initiator: Initiator
    type: InnovationType
    form: InnovationForm
    pillar: Pillar
    stage: Stage = Stage.INITIATIVE
    partner_units: tuple[str, ...] = ()
    programme_id: str | None = None
    description: str = ""
    objective: str = ""
    benefits: str = ""
    results: str = ""
    trial_start: date | None = None
    implementation_start: date | None = None
    budget: int | float | None = None
    beneficiaries: int | None = None
    evidence: tuple[Evidence, ...] = ()
    history: tuple[StageChange, ...] = ()
    verifications: tuple[Verification, ...] = ()
    milestones: tuple[Milestone, ...] = field(default=())

    @property
    def active(self) -> bool:
        """Not discontinued."""
        return self.stage is not Stage.DISCONTINUED

    @property
    def units(self) -> tuple[str, ...]:
        """Owner unit first, then partners."""
        return (self.owner_unit, *self.partner_units)

    @property
    def all_evidence(self) -> tuple[Evidence, ...]:
        """Profile evidence plus the evidence attached to stage changes."""
        return self.evidence + tuple(e for change in self.history for e in change.evidence)

    @property
    def latest_verification(self) -> Verification | None:
        return self.verifications[-1] if self.verifications else None

    @property
    def is_verified(self) -> bool:
        """The latest verdict is `verified` and was given at the current stage."""
        latest = self.latest_verification
        return (
            latest is not None
            and latest.status is VerificationStatus.VERIFIED
            and latest.stage is self.stage
        )


def register_innovation(
    data: object, *, innovation_id: str, region: str, registered_by: str, today: date
) -> Innovation:
    """A new Innovation from a posted profile, with its registration history entry.

    `stage` may be given to register an innovation already under way (not `discontinued`).
    Does not check that the owner unit or programme exist (the store layer knows those).
    Raises ValidationProblem with every problem of the body.
    """
    problems = Problems()
    fields = body(data, problems, (*PROFILE_FIELDS, "stage"))
    reader = Reader(fields, problems)
    stage = reader.choice("stage", Stage) or Stage.INITIATIVE
    if stage is Stage.DISCONTINUED:
        problems.add("stage", "Register an innovation at an active stage.")
    profile = _read_profile(reader)
    _check_stage_dates(stage, profile, problems)
    problems.raise_if_any()
    entry = StageChange(None, stage, today, registered_by)
    return Innovation(id=innovation_id, region=region, stage=stage, history=(entry,), **profile)


def update_profile(innovation: Innovation, changes: object) -> Innovation:
    """The innovation with a partial profile edit applied (keys of PROFILE_FIELDS; null clears
    an optional field). Stage, history, verifications and milestones change only through their
    own functions. Raises ValidationProblem with every problem.
    """
    problems = Problems()
    allowed = (*PROFILE_FIELDS, *READ_ONLY_FIELDS)
    fields = body(changes, problems, allowed)
    for key in READ_ONLY_FIELDS:
        if key in fields:
            problems.add(key, "Read-only here; it changes through its own operation.")
            del fields[key]
    reader = Reader({**profile_input(innovation), **fields}, problems)
    profile = _read_profile(reader)
    edited = {key: profile[key] for key in fields if key in profile}
    _check_stage_dates(innovation.stage, edited, problems)
    problems.raise_if_any()
    return replace(innovation, **profile)


def profile_input(innovation: Innovation) -> dict[str, Any]:
    """The innovation's profile in the input shape `update_profile` merges over."""
    values = {name: getattr(innovation, name) for name in PROFILE_FIELDS}
    values["evidence"] = [evidence_input(e) for e in innovation.evidence]
    return values


def evidence_input(evidence: Evidence) -> dict[str, str]:
    return {"url": evidence.url, "description": evidence.description, "kind": evidence.kind}


def read_evidence(reader: Reader, key: str = "evidence") -> tuple[Evidence, ...]:
    """The evidence list under `key` of the reader's mapping (reports problems, never raises)."""
    result: list[Evidence] = []
    for path, raw in reader.items(key, max_items=MAX_EVIDENCE):
        problems = reader.problems
        before = problems.count()
        fields = as_mapping(raw, problems, path, EVIDENCE_FIELDS)
        if fields is None:
            continue
        item = Reader(fields, problems, path)
        url = item.text("url", required=True, max_len=2000)
        description = item.text("description", required=True, max_len=1000)
        kind = item.choice("kind", EvidenceKind) or EvidenceKind.DOCUMENT
        if url and (message := link_problem(url)):
            problems.add(join(path, "url"), message)
        if problems.count() == before:
            result.append(Evidence(url, description, kind))
    return tuple(result)


def _read_profile(reader: Reader) -> dict[str, Any]:
    """Reads every profile field; the result is only used when no problem was recorded."""
    profile: dict[str, Any] = {
        "name": reader.text("name", required=True, max_len=200),
        "owner_unit": reader.code("owner_unit", required=True),
        "partner_units": reader.codes("partner_units"),
        "year": reader.integer("year", required=True, minimum=YEAR_MIN, maximum=YEAR_MAX),
        "initiator": reader.choice("initiator", Initiator, required=True),
        "type": reader.choice("type", InnovationType, required=True),
        "form": reader.choice("form", InnovationForm, required=True),
        "pillar": reader.choice("pillar", Pillar, required=True),
        "programme_id": reader.code("programme_id"),
        "trial_start": reader.day("trial_start"),
        "implementation_start": reader.day("implementation_start"),
        "budget": reader.number("budget", minimum=0),
        "beneficiaries": reader.integer("beneficiaries", minimum=0),
        "evidence": read_evidence(reader),
    }
    for key in ("description", "objective", "benefits", "results"):
        profile[key] = reader.text(key, max_len=LONG_TEXT)
    if profile["owner_unit"] and profile["owner_unit"] in profile["partner_units"]:
        reader.problems.add("partner_units", "May not repeat the owner unit.")
    trial, implementation = profile["trial_start"], profile["implementation_start"]
    if trial and implementation and trial > implementation:
        reader.problems.add("implementation_start", "May not be before trial_start.")
    return profile


STAGE_DATE = {Stage.TRIAL: "trial_start", Stage.IMPLEMENTED: "implementation_start"}


def _check_stage_dates(stage: Stage, values: Mapping[str, Any], problems: Problems) -> None:
    """The date field of `stage`, when among `values`, may not be empty."""
    key = STAGE_DATE.get(stage)
    if key is not None and key in values and values[key] is None:
        problems.add(key, f"Required at stage {stage}.")
