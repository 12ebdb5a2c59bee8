"""HTTP bodies: the shape and types of what clients send and get (and the OpenAPI document).

Input schemas refuse unknown keys (so `$`-keys and dotted keys never pass) and check types;
the rules across fields live in the domain, which reads the loaded values again.
"""

from __future__ import annotations

from enum import StrEnum

from marshmallow import Schema, fields, validate

from smartcity_shared.http.schemas import Day, Link, Name, Paging
from smartcity_shared.http.schemas import Text as Long
from smartcity_shared.limits import MAX_LINKS, MAX_TEXT

from ..domain.masterplan import MAX_PROGRAMMES
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
SOME = validate.Length(max=100)  # partner OPDs, exempt OPDs, programmes, targets
FEW_LINKS = validate.Length(max=MAX_LINKS)


def one_of(enum: type[StrEnum]) -> validate.OneOf:
    return validate.OneOf([member.value for member in enum])


def Text() -> fields.String:  # noqa: N802  (a field factory reads like a field)
    """An optional text that may be null (null clears it in an edit); MAX_TEXT characters."""
    return fields.String(allow_none=True, validate=validate.Length(max=MAX_TEXT))


class EvidenceIn(Schema):
    url = Link(required=True, metadata={"description": "an http(s) URL"})
    description = Long(required=True)
    kind = fields.String(validate=one_of(EvidenceKind))


class InnovationPatch(Schema):
    """A partial profile edit; null clears an optional field."""

    name = Name()
    owner_unit = Name()
    partner_units = fields.List(Name(), validate=SOME, allow_none=True)
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
    trial_start = Day(allow_none=True)
    implementation_start = Day(allow_none=True)
    budget = fields.Float(allow_none=True, allow_nan=False, metadata={"description": "IDR"})
    beneficiaries = fields.Integer(strict=True, allow_none=True, validate=validate.Range(0))
    evidence = fields.List(fields.Nested(EvidenceIn), validate=FEW_LINKS, allow_none=True)


class InnovationIn(InnovationPatch):
    name = Name(required=True)
    owner_unit = Name(required=True, metadata={"description": "OPD code"})
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
    date = Day(metadata={"description": "default today"})
    reason = Long(metadata={"description": "required to go back, discontinue, reactivate"})
    evidence = fields.List(fields.Nested(EvidenceIn), validate=FEW_LINKS)


class DiscontinueIn(Schema):
    reason = Long(required=True)
    date = Day()
    evidence = fields.List(fields.Nested(EvidenceIn), validate=FEW_LINKS)


class VerificationIn(Schema):
    status = fields.String(required=True, validate=one_of(VerificationStatus))
    note = Long(metadata={"description": "required for needs_evidence"})
    date = Day()


class MilestonePatch(Schema):
    title = Name()
    planned_date = Day()
    actual_date = Day(allow_none=True)
    note = Text()


class MilestoneIn(MilestonePatch):
    title = Name(required=True)
    planned_date = Day(required=True)


class CompleteIn(Schema):
    date = Day(metadata={"description": "completion date, default today"})


class PolicyIn(Schema):
    required_per_unit = fields.Integer(strict=True, metadata={"description": "default 3"})
    min_stage = fields.String(validate=validate.OneOf([s.value for s in ACTIVE_STAGES]))
    exempt_units = fields.List(Name(), validate=SOME)
    deadline = Day(allow_none=True, metadata={"description": "default 31 December"})


class TargetIn(Schema):
    indicator = Name(required=True)
    baseline = fields.Float(allow_none=True, allow_nan=False)
    target = fields.Float(allow_none=True, allow_nan=False)
    measure = Text()
    year = fields.Integer(strict=True, allow_none=True, validate=YEAR)


class ProgrammePatch(Schema):
    id = Name()
    name = Name()
    pillar = fields.String(validate=one_of(Pillar))
    horizon = fields.String(validate=one_of(Horizon))
    owner_unit = Name()
    start_year = fields.Integer(strict=True, allow_none=True, validate=YEAR)
    end_year = fields.Integer(strict=True, allow_none=True, validate=YEAR)
    status = fields.String(validate=one_of(ProgrammeStatus))
    description = Text()
    targets = fields.List(fields.Nested(TargetIn), validate=SOME, allow_none=True)


class ProgrammeIn(ProgrammePatch):
    id = Name(required=True, metadata={"description": "code, e.g. SG-01"})
    name = Name(required=True)
    pillar = fields.String(required=True, validate=one_of(Pillar))
    horizon = fields.String(required=True, validate=one_of(Horizon))
    owner_unit = Name(required=True)


class PlanIn(Schema):
    title = Name(required=True)
    start_year = fields.Integer(required=True, strict=True, validate=YEAR)
    end_year = fields.Integer(required=True, strict=True, validate=YEAR)
    programmes = fields.List(
        fields.Nested(ProgrammeIn), validate=validate.Length(max=MAX_PROGRAMMES)
    )


class ReviewIn(Schema):
    changes = Long(required=True, metadata={"description": "what changed"})
    reason = Long(required=True, metadata={"description": "why"})
    title = Name()
    start_year = fields.Integer(strict=True, validate=YEAR)
    end_year = fields.Integer(strict=True, validate=YEAR)


class InnovationQuery(Paging):
    unit = Name(metadata={"description": "owner or partner OPD code"})
    year = fields.Integer(validate=YEAR)
    stage = fields.String(validate=one_of(Stage))
    type = fields.String(validate=one_of(InnovationType))
    pillar = fields.String(validate=one_of(Pillar))
    programme_id = Name()
    q = Name(metadata={"description": "text in name, description, objective, ..."})


class YearQuery(Schema):
    year = fields.Integer(validate=YEAR, metadata={"description": "default: this year"})


class StatsQuery(Schema):
    unit = Name()
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
