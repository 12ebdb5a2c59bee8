"""HTTP bodies: the shape and types of what clients send and get (and the OpenAPI document).

Input schemas refuse unknown keys (so `$`-keys and dotted keys never pass) and check types;
the rules across fields live in the domain, which reads the loaded values again.
"""

from __future__ import annotations

from enum import StrEnum

from marshmallow import Schema, fields, validate

from smartcity_shared.http.schemas import Paging

from ..domain.vocab import (
    ACTIVE_STAGES,
    EvidenceKind,
    Horizon,
    Initiator,
    InnovationForm,
    InnovationType,
    Pillar,
    ProgrammeStatus,
    Stage,
    VerificationStatus,
)

YEAR = validate.Range(2000, 2100)


def one_of(enum: type[StrEnum]) -> validate.OneOf:
    return validate.OneOf([member.value for member in enum])


def Text() -> fields.String:  # noqa: N802  (a field factory reads like a field)
    """An optional text that may be null (null clears it in an edit)."""
    return fields.String(allow_none=True)


class EvidenceIn(Schema):
    url = fields.String(required=True, metadata={"description": "http(s) URL or /path"})
    description = fields.String(required=True)
    kind = fields.String(validate=one_of(EvidenceKind))


class InnovationPatch(Schema):
    """A partial profile edit; null clears an optional field."""

    name = fields.String()
    owner_unit = fields.String()
    partner_units = fields.List(fields.String(), allow_none=True)
    year = fields.Integer(strict=True, validate=YEAR)
    initiator = fields.String(validate=one_of(Initiator))
    type = fields.String(validate=one_of(InnovationType))
    form = fields.String(validate=one_of(InnovationForm))
    pillar = fields.String(validate=one_of(Pillar))
    programme_id = Text()
    description = Text()
    objective = Text()
    benefits = Text()
    results = Text()
    trial_start = fields.Date(allow_none=True)
    implementation_start = fields.Date(allow_none=True)
    budget = fields.Float(allow_none=True, allow_nan=False, metadata={"description": "IDR"})
    beneficiaries = fields.Integer(strict=True, allow_none=True)
    evidence = fields.List(fields.Nested(EvidenceIn), allow_none=True)


class InnovationIn(InnovationPatch):
    name = fields.String(required=True)
    owner_unit = fields.String(required=True, metadata={"description": "OPD code"})
    year = fields.Integer(required=True, strict=True, validate=YEAR)
    initiator = fields.String(required=True, validate=one_of(Initiator))
    type = fields.String(required=True, validate=one_of(InnovationType))
    form = fields.String(required=True, validate=one_of(InnovationForm))
    pillar = fields.String(required=True, validate=one_of(Pillar))
    stage = fields.String(
        validate=validate.OneOf([s.value for s in ACTIVE_STAGES]),
        metadata={"description": "starting stage (default initiative)"},
    )


class StageChangeIn(Schema):
    to = fields.String(required=True, validate=one_of(Stage))
    date = fields.Date(metadata={"description": "default today"})
    reason = fields.String(metadata={"description": "required to go back, discontinue, reactivate"})
    evidence = fields.List(fields.Nested(EvidenceIn))


class DiscontinueIn(Schema):
    reason = fields.String(required=True)
    date = fields.Date()
    evidence = fields.List(fields.Nested(EvidenceIn))


class VerificationIn(Schema):
    status = fields.String(required=True, validate=one_of(VerificationStatus))
    note = fields.String(metadata={"description": "required for needs_evidence"})
    date = fields.Date()


class MilestonePatch(Schema):
    title = fields.String()
    planned_date = fields.Date()
    actual_date = fields.Date(allow_none=True)
    note = Text()


class MilestoneIn(MilestonePatch):
    title = fields.String(required=True)
    planned_date = fields.Date(required=True)


class CompleteIn(Schema):
    date = fields.Date(metadata={"description": "completion date, default today"})


class PolicyIn(Schema):
    required_per_unit = fields.Integer(strict=True, metadata={"description": "default 3"})
    min_stage = fields.String(validate=validate.OneOf([s.value for s in ACTIVE_STAGES]))
    exempt_units = fields.List(fields.String())
    deadline = fields.Date(allow_none=True, metadata={"description": "default 31 December"})


class TargetIn(Schema):
    indicator = fields.String(required=True)
    baseline = fields.Float(allow_none=True, allow_nan=False)
    target = fields.Float(allow_none=True, allow_nan=False)
    measure = Text()
    year = fields.Integer(strict=True, allow_none=True, validate=YEAR)


class ProgrammePatch(Schema):
    id = fields.String()
    name = fields.String()
    pillar = fields.String(validate=one_of(Pillar))
    horizon = fields.String(validate=one_of(Horizon))
    owner_unit = fields.String()
    start_year = fields.Integer(strict=True, allow_none=True, validate=YEAR)
    end_year = fields.Integer(strict=True, allow_none=True, validate=YEAR)
    status = fields.String(validate=one_of(ProgrammeStatus))
    description = Text()
    targets = fields.List(fields.Nested(TargetIn), allow_none=True)


class ProgrammeIn(ProgrammePatch):
    id = fields.String(required=True, metadata={"description": "code, e.g. SG-01"})
    name = fields.String(required=True)
    pillar = fields.String(required=True, validate=one_of(Pillar))
    horizon = fields.String(required=True, validate=one_of(Horizon))
    owner_unit = fields.String(required=True)


class PlanIn(Schema):
    title = fields.String(required=True)
    start_year = fields.Integer(required=True, strict=True, validate=YEAR)
    end_year = fields.Integer(required=True, strict=True, validate=YEAR)
    programmes = fields.List(fields.Nested(ProgrammeIn))


class ReviewIn(Schema):
    changes = fields.String(required=True, metadata={"description": "what changed"})
    reason = fields.String(required=True, metadata={"description": "why"})
    title = fields.String()
    start_year = fields.Integer(strict=True, validate=YEAR)
    end_year = fields.Integer(strict=True, validate=YEAR)


class InnovationQuery(Paging):
    unit = fields.String(metadata={"description": "owner or partner OPD code"})
    year = fields.Integer(validate=YEAR)
    stage = fields.String(validate=one_of(Stage))
    type = fields.String(validate=one_of(InnovationType))
    pillar = fields.String(validate=one_of(Pillar))
    programme_id = fields.String()
    q = fields.String(metadata={"description": "text in name, description, objective, ..."})


class YearQuery(Schema):
    year = fields.Integer(validate=YEAR, metadata={"description": "default: this year"})


class StatsQuery(Schema):
    unit = fields.String()
    from_year = fields.Integer(data_key="from", validate=YEAR)
    to_year = fields.Integer(data_key="to", validate=YEAR)


class FormatQuery(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv", "xlsx"]))


# --- output ------------------------------------------------------------------------------


class InnovationOut(Schema):
    id = fields.String()
    region = fields.String()
    name = fields.String()
    owner_unit = fields.String()
    partner_units = fields.List(fields.String())
    year = fields.Integer()
    initiator = fields.String()
    type = fields.String()
    form = fields.String()
    pillar = fields.String()
    stage = fields.String()
    active = fields.Boolean()
    verified = fields.Boolean(metadata={"description": "verified at the current stage"})
    verification = fields.Dict(allow_none=True)
    programme_id = fields.String(allow_none=True)
    description = fields.String()
    objective = fields.String()
    benefits = fields.String()
    results = fields.String()
    trial_start = fields.String(allow_none=True)
    implementation_start = fields.String(allow_none=True)
    budget = fields.Float(allow_none=True)
    beneficiaries = fields.Integer(allow_none=True)
    evidence = fields.List(fields.Dict())
    history = fields.List(fields.Dict())
    verifications = fields.List(fields.Dict())
    milestones = fields.List(fields.Dict())
    milestone_summary = fields.Dict()
    created_at = fields.String()
    created_by = fields.String()
    updated_at = fields.String()
    updated_by = fields.String()
    revision = fields.Integer()


class InnovationPage(Schema):
    items = fields.List(fields.Nested(InnovationOut))
    total = fields.Integer()
    limit = fields.Integer()
    offset = fields.Integer()


class PlanOut(Schema):
    id = fields.String()
    region = fields.String()
    title = fields.String()
    start_year = fields.Integer()
    end_year = fields.Integer()
    version = fields.Integer()
    programmes = fields.List(fields.Dict())
    reviews = fields.List(fields.Dict())
    created_at = fields.String()
    created_by = fields.String()
    updated_at = fields.String()
    updated_by = fields.String()
    revision = fields.Integer()


class PolicyOut(Schema):
    id = fields.String()
    region = fields.String()
    year = fields.Integer()
    required_per_unit = fields.Integer()
    min_stage = fields.String()
    exempt_units = fields.List(fields.String())
    deadline = fields.String()
    is_default = fields.Boolean()
    set_by = fields.String()
    set_at = fields.String()
    revision = fields.Integer()
