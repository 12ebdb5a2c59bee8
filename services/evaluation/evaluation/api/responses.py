"""Response body schemas of the evaluation API (OpenAPI), one per shape the use cases return.

They describe, they do not reshape: `Described.dump` hands the use case's JSON body on as it
is, so a field a schema does not list still reaches the client instead of being dropped
silently. Listed fields are what portals rely on, typed and nullable as they really are;
the API fuzz test checks every real answer against them (unlisted extra fields are allowed).
"""

from __future__ import annotations

from typing import Any

from marshmallow import INCLUDE, Schema, fields, validate

from ..domain import State

Str = fields.String
Int = fields.Integer
Num = fields.Float
Bool = fields.Boolean


def Maybe(field: type[fields.Field], **kwargs: Any) -> fields.Field:  # noqa: N802
    """A field that may be null."""
    return field(allow_none=True, **kwargs)


def Scores(**kwargs: Any) -> fields.Dict:  # noqa: N802
    """`{stable key: reported score}` (a key is missing when its node dropped out)."""
    return fields.Dict(keys=Str(), values=Num(allow_none=True), **kwargs)


def FreeMap(**kwargs: Any) -> fields.Dict:  # noqa: N802
    return fields.Dict(keys=Str(), values=fields.Raw(allow_none=True), **kwargs)


class Described(Schema):
    """Documents a response; `dump` returns the body unchanged (see the module docstring)."""

    class Meta:
        unknown = INCLUDE  # documented as additionalProperties: fields may be added

    def dump(self, obj: Any, *, many: bool | None = None) -> Any:
        return obj


# -- frameworks ---------------------------------------------------------------------------
class VersionSummaryOut(Described):
    version = Int()
    status = Str(validate=validate.OneOf(["draft", "published"]))
    published_at = Maybe(Str)


OWNER = "national (the catalogue) or the id of the region that owns the framework"


class FrameworkAuditOut(Described):
    at = Str()
    by = Str()
    sub = Str()
    action = Str(validate=validate.OneOf(["created", "edited", "published"]))


class FrameworkSummaryOut(Described):
    key = Str()
    name = Str()
    owner = Str(metadata={"description": OWNER})
    latest_version = Int()
    published_version = Maybe(Int)
    versions = fields.List(fields.Nested(VersionSummaryOut))


class FrameworkVersionOut(Described):
    id = Str()
    key = Str()
    version = Int()
    name = Str()
    status = Str(validate=validate.OneOf(["draft", "published"]))
    document = FreeMap(metadata={"description": "the framework document, normalized"})
    created_at = Str()
    created_by = Str()
    published_at = Str()
    published_by = Str()
    owner = Str(metadata={"description": OWNER})
    audit = fields.List(fields.Nested(FrameworkAuditOut))
    revision = Int()


class FrameworkChangesOut(Described):
    key = Str()
    since = Int()
    version = Int()
    new_dimensions = fields.List(Str())
    dropped_dimensions = fields.List(Str())
    new_indicators = fields.List(Str())
    dropped_indicators = fields.List(Str())


# -- cycles and submissions ---------------------------------------------------------------
class ParticipantOut(Described):
    unit = Str(metadata={"description": "directory unit id (`<region>:<code>`, or the region)"})
    unit_code = Str()
    unit_name = Str()


class PhasePlanOut(Described):
    phase = Str()
    starts_on = Maybe(Str)
    ends_on = Maybe(Str)


class CycleChangeOut(Described):
    at = Str()
    by = Str()
    change = Str(metadata={"description": "deadline, phase, participant_added / _removed, excused"})
    from_ = fields.Raw(allow_none=True, data_key="from")
    to = fields.Raw(allow_none=True)
    why = Str()


class ExcusedOut(Described):
    unit = Str()
    reason = Str()


class CycleOut(Described):
    id = Str()
    region = Str()
    year = Int()
    name = Str()
    framework_key = Str()
    framework_version = Int()
    participants = fields.List(fields.Nested(ParticipantOut))
    phases = fields.List(fields.Nested(PhasePlanOut))
    phase = Str()
    submission_deadline = Maybe(Str)
    timezone = Str()
    published = Bool()
    published_at = Str()
    published_by = Str()
    excused = fields.List(
        fields.Nested(ExcusedOut),
        metadata={"description": "participants published without a submission, with why"},
    )
    result = FreeMap(metadata={"description": "the published headline (once published)"})
    history = fields.List(fields.Nested(CycleChangeOut))
    created_at = Str()
    created_by = Str()
    revision = Int()


class CarryForwardOut(Described):
    cycle_id = Str()
    source_cycle_id = Str()
    updated = fields.List(Str(), metadata={"description": "units whose drafts were filled"})


class AuditOut(Described):
    action = Str()
    from_ = Str(data_key="from")
    to = Str()
    who = Str()
    role = Str()
    when = Str()
    why = Str()


class ResultOut(Described):
    overall = Maybe(Num)
    band = Maybe(Str)
    self_overall = Maybe(Num)
    self_band = Maybe(Str)
    difference = Maybe(Num)


STATES = [s.value for s in State]


class SubmissionSummaryOut(Described):
    id = Str()
    cycle_id = Str()
    unit = Str(metadata={"description": "OPD code (or the region id)"})
    unit_name = Str()
    state = Str(validate=validate.OneOf(STATES))
    late = Bool()
    submitted_at = Maybe(Str)
    result = fields.Nested(ResultOut, allow_none=True)
    revision = Int()


class SubmissionOut(SubmissionSummaryOut):
    cycle_name = Str()
    region = Str()
    year = Int()
    framework_key = Str()
    framework_version = Int()
    unit_id = Str()
    answers = FreeMap()
    evidence = FreeMap()
    verified = FreeMap()
    review_notes = FreeMap()
    assessor_scores = FreeMap()
    comments = FreeMap()
    return_reason = Str()
    returns = fields.List(FreeMap())
    submission_count = Int()
    audit = fields.List(fields.Nested(AuditOut))
    created_at = Str()
    allowed_actions = fields.List(Str())
    hidden_questions = fields.List(
        Str(), metadata={"description": "GET only: questions the answers hide (visible_if)"}
    )
