"""Evaluation events: cycles, submissions, scorecards, recommendations and risks.

Published by the evaluation service on `smartcity.evaluation`; key = the aggregate's id (cycle,
submission, recommendation or risk id). `unit` is the directory unit id `<region>:<code>` (the
key of `smartcity.directory.unit.upserted`; the regency itself as a participant is its region
id) and `unit_code` the bare OPD code. Dates are ISO `YYYY-MM-DD`, instants ISO 8601 UTC.
Reported scores are on the framework's scale (2 decimals, half up).
"""

from marshmallow import fields, validate

from ..registry import TOPIC_EVALUATION, register
from .base import EventData

CONSUMERS = ("notification",)
PHASES = ["self_assessment", "document_review", "field_review", "finalization", "closed"]
PRIORITIES = ["high", "medium", "low"]
REC_STATUSES = ["open", "in_progress", "done", "dropped"]
RATINGS = ["low", "medium", "high", "extreme"]


class Participant(EventData):
    unit = fields.String(required=True)
    unit_code = fields.String(load_default="")
    unit_name = fields.String(required=True)


class CycleData(EventData):
    cycle_id = fields.String(required=True)
    region = fields.String(required=True)
    year = fields.Integer(required=True)
    name = fields.String(required=True)


class CycleOpenedV1(CycleData):
    framework_key = fields.String(required=True)
    framework_version = fields.Integer(required=True)
    participants = fields.List(fields.Nested(Participant), required=True)
    submission_deadline = fields.String(required=True, allow_none=True)
    timezone = fields.String(required=True)
    phase = fields.String(load_default="self_assessment", validate=validate.OneOf(PHASES))


class PhaseChangedV1(CycleData):
    phase = fields.String(required=True, validate=validate.OneOf(PHASES))
    previous_phase = fields.String(required=True, validate=validate.OneOf(PHASES))
    reason = fields.String(load_default="")


class DeadlineSetV1(CycleData):
    submission_deadline = fields.String(required=True)
    previous_deadline = fields.String(required=True, allow_none=True)
    timezone = fields.String(required=True)
    participants = fields.List(fields.Nested(Participant), required=True)
    reason = fields.String(load_default="")


class ParticipantChangedV1(CycleData):
    """One unit added to or removed from an opened cycle (`unit` as in `participants`)."""

    submission_id = fields.String(required=True)
    unit = fields.String(required=True)
    unit_code = fields.String(required=True)
    unit_name = fields.String(required=True)
    submission_deadline = fields.String(required=True, allow_none=True)
    timezone = fields.String(required=True)
    reason = fields.String(load_default="")


class SubmissionData(EventData):
    submission_id = fields.String(required=True)
    cycle_id = fields.String(required=True)
    cycle_name = fields.String(load_default="")
    region = fields.String(required=True)
    year = fields.Integer(required=True)
    unit = fields.String(required=True)
    unit_code = fields.String(load_default="")
    unit_name = fields.String(required=True)


class SubmittedV1(SubmissionData):
    submitted_at = fields.String(required=True)
    late = fields.Boolean(required=True)
    resubmission = fields.Boolean(required=True)


class ReturnedV1(SubmissionData):
    comments = fields.Integer(required=True, validate=validate.Range(min=0))
    reason = fields.String(required=True)
    returned_by = fields.String(required=True)


class VerifiedV1(SubmissionData):
    verified_by = fields.String(load_default="")


class FinalizedV1(SubmissionData):
    overall = fields.Float(required=True, allow_none=True)
    band = fields.String(required=True, allow_none=True)


class ScorecardPublishedV1(CycleData):
    framework_key = fields.String(load_default="")
    overall = fields.Float(required=True, allow_none=True)
    band = fields.String(required=True, allow_none=True)
    delta = fields.Float(required=True, allow_none=True)
    participants = fields.Integer(required=True, validate=validate.Range(min=0))


class RecommendationData(EventData):
    recommendation_id = fields.String(required=True)
    region = fields.String(required=True)
    unit = fields.String(required=True)
    unit_code = fields.String(load_default="")
    unit_name = fields.String(required=True)
    title = fields.String(required=True)
    due_date = fields.String(required=True)


class RecommendationIssuedV1(RecommendationData):
    priority = fields.String(required=True, validate=validate.OneOf(PRIORITIES))
    cycle_id = fields.String(required=True, allow_none=True)


class RecommendationStatusChangedV1(RecommendationData):
    status = fields.String(required=True, validate=validate.OneOf(REC_STATUSES))
    previous_status = fields.String(required=True, validate=validate.OneOf(REC_STATUSES))


class RecommendationDueChangedV1(RecommendationData):
    previous_due_date = fields.String(required=True)


class RiskData(EventData):
    risk_id = fields.String(required=True)
    region = fields.String(required=True)
    unit = fields.String(required=True)
    unit_code = fields.String(load_default="")
    title = fields.String(required=True)
    perspective = fields.String(required=True)
    likelihood = fields.Integer(required=True, validate=validate.Range(1, 5))
    impact = fields.Integer(required=True, validate=validate.Range(1, 5))
    score = fields.Integer(required=True, validate=validate.Range(1, 25))
    rating = fields.String(required=True, validate=validate.OneOf(RATINGS))


class RiskRaisedV1(RiskData):
    pass


class RiskRatingChangedV1(RiskData):
    previous_rating = fields.String(required=True, validate=validate.OneOf(RATINGS))


def _register(name: str, schema: type[EventData], description: str) -> None:
    register(name, TOPIC_EVALUATION, "evaluation", {1: schema}, CONSUMERS, description)


_register(
    "smartcity.cycle.opened",
    CycleOpenedV1,
    "An evaluation cycle was opened for a region and year; key = cycle id.",
)
_register(
    "smartcity.cycle.phase_changed",
    PhaseChangedV1,
    "A cycle moved to another phase (`closed` ends it); key = cycle id.",
)
_register(
    "smartcity.cycle.deadline_set",
    DeadlineSetV1,
    "A cycle's submission deadline was set or moved (plan reminders); key = cycle id.",
)
_register(
    "smartcity.cycle.participant_added",
    ParticipantChangedV1,
    "An OPD was added to an opened cycle and got a draft (plan its reminders); key = cycle id.",
)
_register(
    "smartcity.cycle.participant_removed",
    ParticipantChangedV1,
    "An OPD that had not submitted left an opened cycle; its draft was withdrawn (cancel its "
    "reminders); key = cycle id.",
)
_register(
    "smartcity.submission.submitted",
    SubmittedV1,
    "A participant submitted (or resubmitted) its self-assessment; key = submission id.",
)
_register(
    "smartcity.submission.returned",
    ReturnedV1,
    "An assessor returned a submission for revision with comments; key = submission id.",
)
_register(
    "smartcity.submission.verified",
    VerifiedV1,
    "An assessor verified a submission; key = submission id.",
)
_register(
    "smartcity.submission.finalized",
    FinalizedV1,
    "A submission was finalized (locked) with its final score; key = submission id.",
)
_register(
    "smartcity.scorecard.published",
    ScorecardPublishedV1,
    "A cycle's scorecard was published (results visible to OPDs and viewers); key = cycle id.",
)
_register(
    "smartcity.recommendation.issued",
    RecommendationIssuedV1,
    "A recommendation for improvement was issued to a unit; key = recommendation id.",
)
_register(
    "smartcity.recommendation.status_changed",
    RecommendationStatusChangedV1,
    "A recommendation's follow-up status changed; key = recommendation id.",
)
_register(
    "smartcity.recommendation.due_changed",
    RecommendationDueChangedV1,
    "A recommendation's due date was moved; key = recommendation id.",
)
_register(
    "smartcity.risk.raised",
    RiskRaisedV1,
    "A risk was entered in the register with its first rating; key = risk id.",
)
_register(
    "smartcity.risk.rating_changed",
    RiskRatingChangedV1,
    "A re-assessment changed a risk's rating level; key = risk id.",
)
