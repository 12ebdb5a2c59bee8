"""Cycle endpoints: open a region's yearly evaluation, phases, deadline, carry forward."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from smartcity_shared.http.app import current_correlation_id
from smartcity_shared.http.auth import current_identity, requires
from smartcity_shared.http.etag import expected_revision
from smartcity_shared.http.schemas import Day, TimeZone
from smartcity_shared.limits import MAX_ITEMS

from .. import cycles as uc
from .. import participants, publishing
from ..domain.cycle_rules import PHASES
from . import examples as ex
from .common import DateOrDateTime, Reason, ReasonQuery, ctx, many, one
from .responses import CarryForwardOut, CycleOut

blp = Blueprint("cycles", __name__, description="Evaluation cycles of a region and year")
PHASE_NAMES = [p.value for p in PHASES]


class PhasePlan(Schema):
    phase = fields.String(required=True, validate=validate.OneOf(PHASE_NAMES))
    starts_on = Day(required=True)
    ends_on = Day(required=True)


class CycleIn(Schema):
    year = fields.Integer(required=True, validate=validate.Range(2000, 2100))
    name = fields.String(validate=validate.Length(1, 200))
    framework_key = fields.String(required=True, validate=validate.Length(1, 64))
    framework_version = fields.Integer(validate=validate.Range(min=1))
    participants = fields.List(
        fields.String(validate=validate.Length(1, 64)),
        required=True,
        validate=validate.Length(1, MAX_ITEMS),
        metadata={"description": "OPD codes; the region id stands for the regency itself"},
    )
    phases = fields.List(fields.Nested(PhasePlan), load_default=list)
    submission_deadline = DateOrDateTime(
        metadata={"description": "a date (end of day, cycle time zone) or an ISO datetime"}
    )
    timezone = TimeZone()
    carry_forward_from = fields.String(
        metadata={"description": "an earlier cycle whose answers pre-fill the drafts"}
    )


class CycleQuery(Schema):
    year = fields.Integer(load_default=None, validate=validate.Range(1900, 2199))


class DeadlineIn(Reason):
    submission_deadline = DateOrDateTime(required=True)


class PhaseIn(Reason):
    phase = fields.String(required=True, validate=validate.OneOf(PHASE_NAMES))


class CarryForwardIn(Schema):
    from_cycle = fields.String(required=True)


@blp.route("/regions/<region>/cycles")
class Cycles(MethodView):
    @requires()
    @blp.arguments(CycleQuery, location="query")
    @blp.response(200, CycleOut(many=True))
    def get(self, query: dict[str, Any], region: str) -> Any:
        """List the region's evaluation cycles.

        Any role may call it, within the regions its token sees. `?year=` narrows to one
        year.
        """
        return many(uc.list_cycles(ctx(), current_identity(), region, query["year"]))

    @requires("admin")
    @blp.arguments(CycleIn, example=ex.CYCLE)
    @blp.response(201, CycleOut)
    def post(self, body: dict[str, Any], region: str) -> Any:
        """Open a region's yearly evaluation cycle.

        The region's admin. Creates one draft submission per participant (OPD codes, or the
        region id for the regency itself) on a published framework version, with optional
        phases and a submission deadline. Emits `cycle.opened` (and `cycle.deadline_set`);
        `carry_forward_from` pre-fills the drafts.
        """
        doc = uc.open_cycle(ctx(), current_identity(), region, body, current_correlation_id())
        return one(doc, 201)


@blp.route("/cycles/<cycle_id>")
class Cycle(MethodView):
    @requires()
    @blp.response(200, CycleOut)
    def get(self, cycle_id: str) -> Any:
        """One evaluation cycle.

        Any role may call it, within the regions its token sees. Its phase, deadline,
        participants and history.
        """
        return one(uc.get_cycle(ctx(), current_identity(), cycle_id))


@blp.route("/cycles/<cycle_id>/deadline")
class Deadline(MethodView):
    @requires("admin")
    @blp.arguments(DeadlineIn, example=ex.DEADLINE)
    @blp.response(200, CycleOut)
    def put(self, body: dict[str, Any], cycle_id: str) -> Any:
        """Set or extend the submission deadline; emits deadline_set (previous_deadline).

        The region's admin, with an optional `reason` kept in the history. A date means the
        end of that day in the cycle's time zone. Emits `cycle.deadline_set` with the previous
        deadline, from which the notification service moves its reminders and tells the OPDs
        that have not submitted. Accepts `If-Match`.
        """
        doc = uc.set_deadline(
            ctx(),
            current_identity(),
            cycle_id,
            body["submission_deadline"],
            body["reason"],
            expected_revision(),
            current_correlation_id(),
        )
        return one(doc)


@blp.route("/cycles/<cycle_id>/phase")
class CyclePhase(MethodView):
    @requires("admin")
    @blp.arguments(PhaseIn, example=ex.PHASE)
    @blp.response(200, CycleOut)
    def post(self, body: dict[str, Any], cycle_id: str) -> Any:
        """Move the cycle to another phase (`closed` ends it); emits phase_changed.

        The region's admin, with an optional `reason` kept in the history. Accepts `If-Match`;
        `closed` ends the cycle. Emits `cycle.phase_changed`.
        """
        doc = uc.set_phase(
            ctx(),
            current_identity(),
            cycle_id,
            body["phase"],
            body["reason"],
            expected_revision(),
            current_correlation_id(),
        )
        return one(doc)


class ParticipantIn(Reason):
    unit = fields.String(
        required=True,
        validate=validate.Length(1, 64),
        metadata={"description": "OPD code; the region id stands for the regency itself"},
    )


@blp.route("/cycles/<cycle_id>/participants")
class Participants(MethodView):
    @requires("admin")
    @blp.arguments(ParticipantIn, example=ex.PARTICIPANT)
    @blp.response(200, CycleOut)
    def post(self, body: dict[str, Any], cycle_id: str) -> Any:
        """Add an OPD to the opened cycle.

        The region's admin. The OPD gets a draft (its withdrawn one back) and reminders;
        emits `cycle.participant_added`. 409 when the cycle is closed or the OPD already
        takes part, 422 when it is not an active OPD of the region.
        """
        doc = participants.add_participant(
            ctx(),
            current_identity(),
            cycle_id,
            body["unit"],
            body["reason"],
            expected_revision(),
            current_correlation_id(),
        )
        return one(doc)


@blp.route("/cycles/<cycle_id>/participants/<unit>")
class Participant(MethodView):
    @requires("admin")
    @blp.arguments(ReasonQuery, location="query")
    @blp.response(200, CycleOut)
    def delete(self, query: dict[str, Any], cycle_id: str, unit: str) -> Any:
        """Remove an OPD that has not submitted.

        The region's admin, with `?reason=`. Its draft is withdrawn (kept, audited) and its
        reminders cancelled; emits `cycle.participant_removed`. 409 once it submitted.
        """
        doc = participants.remove_participant(
            ctx(),
            current_identity(),
            cycle_id,
            unit,
            query["reason"],
            expected_revision(),
            current_correlation_id(),
        )
        return one(doc)


@blp.route("/cycles/<cycle_id>/carry-forward")
class CarryForward(MethodView):
    @requires("admin")
    @blp.arguments(CarryForwardIn, example=ex.CARRY_FORWARD)
    @blp.response(200, CarryForwardOut)
    def post(self, body: dict[str, Any], cycle_id: str) -> Any:
        """Pre-fill the drafts with an earlier cycle's verified answers that still fit.

        The region's admin. Copies verified answers of `from_cycle` (an earlier cycle of the
        region) into the drafts where the question still exists and the answer still fits.
        """
        return uc.carry_forward_answers(ctx(), current_identity(), cycle_id, body["from_cycle"])


class Excuse(Schema):
    unit = fields.String(required=True, validate=validate.Length(1, 64))
    reason = fields.String(required=True, validate=validate.Length(1, 1000))


class PublishIn(Schema):
    excused = fields.List(
        fields.Nested(Excuse),
        load_default=list,
        metadata={
            "description": "participants that have not submitted, published without them "
            "before the deadline passed (each with a reason, kept in the cycle's history)"
        },
    )


@blp.route("/cycles/<cycle_id>/publish")
class Publish(MethodView):
    @requires("admin")
    @blp.arguments(PublishIn, required=False, example=ex.PUBLISH)
    @blp.response(200, CycleOut)
    def post(self, body: dict[str, Any], cycle_id: str) -> Any:
        """Publish the cycle's scorecard.

        The region's admin; every submitted submission must be final. Emits
        `scorecard.published`, which also ends the cycle's reminders. A participant that has
        not submitted blocks publishing (409 naming it) until the deadline passes or it is
        listed in `excused`. Then OPDs and viewers of the region read the results.
        """
        doc = publishing.publish(
            ctx(),
            current_identity(),
            cycle_id,
            body or {},
            expected_revision(),
            current_correlation_id(),
        )
        return one(doc)
