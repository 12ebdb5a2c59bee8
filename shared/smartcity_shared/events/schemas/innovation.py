"""Innovation events: the registry, stages, verification, milestones, quota and master plan.

Produced by the innovation service on `smartcity.innovation` through its outbox. Unit fields
follow the directory: `unit` is the unit id (`<region>:<code>`, what the notification directory
looks up), `unit_code` the OPD's short code, `unit_name` its name, `contact_emails` the OPD's
contacts when the directory knows them. Dates are `YYYY-MM-DD`.

Subjects (= Kafka keys): the innovation id for innovation and milestone events, the policy id
(`<region>:<year>`) for quota events, the plan id for master-plan events.
"""

from marshmallow import fields, validate

from ..registry import TOPIC_INNOVATION, register
from .base import EventData

PRODUCER = "innovation"
CONSUMERS = ("notification",)
STAGES = ["initiative", "trial", "implemented", "discontinued"]


class UnitRef(EventData):
    """The OPD an event concerns."""

    region = fields.String(required=True)
    unit = fields.String(required=True)
    unit_code = fields.String(required=True)
    unit_name = fields.String(required=True)
    contact_emails = fields.List(fields.Email(), load_default=list)


class InnovationRef(UnitRef):
    innovation_id = fields.String(required=True)
    name = fields.String(required=True)
    year = fields.Integer(required=True)
    programme_id = fields.String(load_default=None, allow_none=True)


class InnovationRegisteredV1(InnovationRef):
    stage = fields.String(required=True, validate=validate.OneOf(STAGES))
    type = fields.String(required=True)
    form = fields.String(required=True)
    pillar = fields.String(required=True)
    initiator = fields.String(required=True)
    partner_units = fields.List(fields.String(), load_default=list)
    registered_by = fields.String(required=True)


class InnovationStageChangedV1(InnovationRef):
    from_stage = fields.String(required=True, validate=validate.OneOf(STAGES))
    to_stage = fields.String(required=True, validate=validate.OneOf(STAGES))
    date = fields.Date(required=True)
    reason = fields.String(load_default="")
    changed_by = fields.String(required=True)


class InnovationVerifiedV1(InnovationRef):
    stage = fields.String(required=True, validate=validate.OneOf(STAGES))
    result = fields.String(required=True, validate=validate.OneOf(["verified", "needs_evidence"]))
    note = fields.String(load_default="")
    date = fields.Date(required=True)
    verified_by = fields.String(required=True)


class MilestoneRef(UnitRef):
    milestone_id = fields.String(required=True)
    innovation_id = fields.String(required=True)
    innovation_name = fields.String(required=True)
    title = fields.String(required=True)
    name = fields.String(required=True)  # = title, the field reminder triggers read
    year = fields.Integer(required=True)
    planned_date = fields.Date(required=True)


class MilestonePlannedV1(MilestoneRef):
    previous_planned_date = fields.Date(load_default=None, allow_none=True)


class MilestoneCompletedV1(MilestoneRef):
    actual_date = fields.Date(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["done", "late"]))


class MilestoneDueV1(MilestoneRef):
    deadline = fields.Date(required=True)
    days_left = fields.Integer(required=True)


class MilestoneOverdueV1(MilestoneRef):
    deadline = fields.Date(required=True)
    days_late = fields.Integer(required=True)


class QuotaPolicySetV1(EventData):
    policy_id = fields.String(required=True)
    region = fields.String(required=True)
    year = fields.Integer(required=True)
    required_per_unit = fields.Integer(required=True)
    min_stage = fields.String(required=True, validate=validate.OneOf(STAGES[:3]))
    exempt_units = fields.List(fields.String(), load_default=list)
    deadline = fields.Date(required=True)
    set_by = fields.String(required=True)


class CountedInnovation(EventData):
    innovation_id = fields.String(required=True)
    name = fields.String(required=True)
    stage = fields.String(required=True, validate=validate.OneOf(STAGES))


class QuotaUnitV1(UnitRef):
    """One OPD's quota line: what a shortfall reminder needs."""

    policy_id = fields.String(required=True)
    year = fields.Integer(required=True)
    required = fields.Integer(required=True)
    counted = fields.Integer(required=True)
    shortfall = fields.Integer(required=True)
    status = fields.String(
        required=True, validate=validate.OneOf(["on_track", "at_risk", "behind", "exempt"])
    )
    deadline = fields.Date(required=True)
    min_stage = fields.String(required=True, validate=validate.OneOf(STAGES[:3]))
    innovations = fields.List(fields.Nested(CountedInnovation), load_default=list)


class QuotaComplianceChangedV1(QuotaUnitV1):
    change = fields.String(
        required=True, validate=validate.OneOf(["shortfall_changed", "status_changed"])
    )
    shortfall_before = fields.Integer(required=True)
    status_before = fields.String(load_default=None, allow_none=True)


class QuotaDeadlineNearedV1(QuotaUnitV1):
    days_left = fields.Integer(required=True)


class QuotaDeadlinePassedV1(QuotaUnitV1):
    days_late = fields.Integer(required=True)


class BehindProgramme(EventData):
    programme_id = fields.String(required=True)
    name = fields.String(required=True)
    owner_unit = fields.String(required=True)
    reasons = fields.List(fields.String(), load_default=list)


class MasterPlanReviewedV1(EventData):
    plan_id = fields.String(required=True)
    region = fields.String(required=True)
    title = fields.String(required=True)
    version = fields.Integer(required=True)
    start_year = fields.Integer(required=True)
    end_year = fields.Integer(required=True)
    changes = fields.String(required=True)
    reason = fields.String(required=True)
    date = fields.Date(required=True)
    reviewed_by = fields.String(required=True)
    programmes = fields.Integer(required=True)
    behind_schedule = fields.List(fields.Nested(BehindProgramme), load_default=list)


def _register(event_type: str, schema: type[EventData], description: str) -> None:
    register(event_type, TOPIC_INNOVATION, PRODUCER, {1: schema}, CONSUMERS, description)


_register(
    "smartcity.innovation.registered",
    InnovationRegisteredV1,
    "An OPD (or the admin) registered an innovation; key = innovation id.",
)
_register(
    "smartcity.innovation.stage_changed",
    InnovationStageChangedV1,
    "An innovation moved between active stages (or was reactivated); key = innovation id.",
)
_register(
    "smartcity.innovation.discontinued",
    InnovationStageChangedV1,
    "An innovation was discontinued (to_stage = discontinued, with a reason).",
)
_register(
    "smartcity.innovation.verified",
    InnovationVerifiedV1,
    "An assessor's verdict on an innovation's current stage (verified / needs_evidence).",
)
_register(
    "smartcity.milestone.planned",
    MilestonePlannedV1,
    "A milestone was added or its planned date moved; key = innovation id.",
)
_register(
    "smartcity.milestone.completed",
    MilestoneCompletedV1,
    "A milestone was marked completed; key = innovation id.",
)
_register(
    "smartcity.milestone.due",
    MilestoneDueV1,
    "A milestone is due within 14 days (once per milestone and planned date).",
)
_register(
    "smartcity.milestone.overdue",
    MilestoneOverdueV1,
    "A milestone's planned date passed without completion (once per milestone and date).",
)
_register(
    "smartcity.quota.policy_set",
    QuotaPolicySetV1,
    "An admin set the quota policy of a region and year; key = policy id `<region>:<year>`.",
)
_register(
    "smartcity.quota.shortfall_detected",
    QuotaUnitV1,
    "An OPD became short of its quota (shortfall from 0 to more); key = policy id.",
)
_register(
    "smartcity.quota.met",
    QuotaUnitV1,
    "An OPD's shortfall went back to 0 (or it became exempt); key = policy id.",
)
_register(
    "smartcity.quota.compliance_changed",
    QuotaComplianceChangedV1,
    "An OPD's shortfall (still > 0) or status changed; key = policy id.",
)
_register(
    "smartcity.quota.deadline_neared",
    QuotaDeadlineNearedV1,
    "The quota deadline is within 30 days and the OPD is short (once per OPD and deadline).",
)
_register(
    "smartcity.quota.deadline_passed",
    QuotaDeadlinePassedV1,
    "The quota deadline passed and the OPD is short (once per OPD and deadline).",
)
_register(
    "smartcity.masterplan.reviewed",
    MasterPlanReviewedV1,
    "A master plan review closed a version: what changed, why, what is behind schedule.",
)
