"""Recommendation endpoints: generated from final scorecards or written by assessors; the
owning OPD follows them up with notes, evidence and status."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from smartcity_shared.http.app import current_correlation_id
from smartcity_shared.http.auth import current_identity, requires
from smartcity_shared.http.etag import expected_revision
from smartcity_shared.http.schemas import Day, Links, Slug

from .. import recommendations as uc
from . import examples as ex
from .common import ctx, many, one
from .responses_results import GeneratedOut, RecommendationOut

blp = Blueprint("recommendations", __name__, description="Recommendations and follow-up")
PRIORITIES = ["high", "medium", "low"]
STATUSES = ["open", "in_progress", "done", "dropped"]


class GenerateIn(Schema):
    threshold = fields.Float(
        metadata={"description": "reported scale (e.g. 3 of 5); default 60 % of the scale"}
    )
    due_in_days = fields.Integer(load_default=90, validate=validate.Range(0, 3650))
    limit = fields.Integer(validate=validate.Range(min=1))


class RecommendationIn(Schema):
    recommendation_id = Slug()
    unit = fields.String(required=True)
    title = fields.String(required=True, validate=validate.Length(1, 300))
    text = fields.String(load_default="", validate=validate.Length(0, 10_000))
    priority = fields.String(load_default="medium", validate=validate.OneOf(PRIORITIES))
    due_date = Day(required=True)
    cycle_id = fields.String(load_default=None)
    indicator_key = fields.String(load_default=None)


class RecommendationPatch(Schema):
    title = fields.String(validate=validate.Length(1, 300))
    text = fields.String(validate=validate.Length(0, 10_000))
    priority = fields.String(validate=validate.OneOf(PRIORITIES))
    due_date = Day()


class StatusIn(Schema):
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    note = fields.String(load_default="", validate=validate.Length(0, 10_000))
    evidence = Links(load_default=list)


class NoteIn(Schema):
    text = fields.String(required=True, validate=validate.Length(1, 10_000))
    evidence = Links(load_default=list)


class ListQuery(Schema):
    unit = fields.String(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    cycle_id = fields.String(load_default=None)


class OverdueQuery(Schema):
    on = Day(load_default=None, metadata={"description": "the day to judge (today)"})


@blp.route("/cycles/<cycle_id>/submissions/<unit>/recommendations")
class Generate(MethodView):
    @requires("admin", "assessor")
    @blp.arguments(GenerateIn, example=ex.GENERATE)
    @blp.response(201, GeneratedOut)
    def post(self, body: dict[str, Any], cycle_id: str, unit: str) -> Any:
        """Generate recommendations from a final submission.

        Admins and assessors. One recommendation per indicator scoring below the threshold
        (default 60 % of the scale), weakest first, its text from the indicator's guidance,
        due in `due_in_days`. Idempotent per indicator: the existing ones are listed, not
        repeated.
        """
        result = uc.generate(
            ctx(), current_identity(), cycle_id, unit, body, current_correlation_id()
        )
        return {"created": many(result["created"]), "existing": result["existing"]}


@blp.route("/regions/<region>/recommendations")
class Recommendations(MethodView):
    @requires("admin", "assessor", "opd")
    @blp.arguments(ListQuery, location="query")
    @blp.response(200, RecommendationOut(many=True))
    def get(self, query: dict[str, Any], region: str) -> Any:
        """List the region's recommendations.

        Admins and assessors see the region's; an OPD its own unit's. Filter by unit, status
        and cycle.
        """
        return many(uc.list_recommendations(ctx(), current_identity(), region, query))

    @requires("admin", "assessor")
    @blp.arguments(RecommendationIn, example=ex.RECOMMENDATION)
    @blp.response(201, RecommendationOut)
    def post(self, body: dict[str, Any], region: str) -> Any:
        """An assessor's recommendation to one unit; emits recommendation.issued.

        Admins and assessors write one to an OPD of the region with a title, priority and
        due date; it may name the cycle and indicator it comes from. Emits
        `recommendation.issued`, which mails the OPD.
        """
        doc = uc.create(ctx(), current_identity(), region, body, current_correlation_id())
        return one(doc, 201)


@blp.route("/regions/<region>/recommendations/overdue")
class Overdue(MethodView):
    @requires("admin", "assessor", "opd")
    @blp.arguments(OverdueQuery, location="query")
    @blp.response(200, RecommendationOut(many=True))
    def get(self, query: dict[str, Any], region: str) -> Any:
        """Open or in-progress recommendations past their due date, most overdue first.

        The same readers as the list; judged on `?on=` (default the region's today).
        """
        return many(uc.overdue_list(ctx(), current_identity(), region, query["on"]))


@blp.route("/regions/<region>/recommendations/<rec_id>")
class Recommendation(MethodView):
    @requires("admin", "assessor", "opd")
    @blp.response(200, RecommendationOut)
    def get(self, region: str, rec_id: str) -> Any:
        """One recommendation of the region.

        Admins and assessors; an OPD only its own unit's (another's is a 404). With its
        status history and notes.
        """
        return one(uc.get(ctx(), current_identity(), region, rec_id))

    @requires("admin", "assessor")
    @blp.arguments(RecommendationPatch, example=ex.RECOMMENDATION_PATCH)
    @blp.response(200, RecommendationOut)
    def patch(self, body: dict[str, Any], region: str, rec_id: str) -> Any:
        """Edit a recommendation.

        Admins and assessors; partial (title, text, priority, due date). A moved due date
        emits `recommendation.due_changed`, which moves its reminders. Accepts `If-Match`.
        """
        doc = uc.update(
            ctx(),
            current_identity(),
            region,
            rec_id,
            body,
            expected_revision(),
            current_correlation_id(),
        )
        return one(doc)


@blp.route("/regions/<region>/recommendations/<rec_id>/status")
class Status(MethodView):
    @requires("admin", "assessor", "opd")
    @blp.arguments(StatusIn, example=ex.STATUS)
    @blp.response(200, RecommendationOut)
    def post(self, body: dict[str, Any], region: str, rec_id: str) -> Any:
        """Change a recommendation's status.

        The owning OPD (in_progress / done) or a reviewer, with a note and evidence links.
        Emits `recommendation.status_changed`; 409 for a change the lifecycle forbids.
        Accepts `If-Match`.
        """
        doc = uc.set_status(
            ctx(),
            current_identity(),
            region,
            rec_id,
            body,
            expected_revision(),
            current_correlation_id(),
        )
        return one(doc)


@blp.route("/regions/<region>/recommendations/<rec_id>/notes")
class Notes(MethodView):
    @requires("admin", "assessor", "opd")
    @blp.arguments(NoteIn, example=ex.NOTE)
    @blp.response(201, RecommendationOut)
    def post(self, body: dict[str, Any], region: str, rec_id: str) -> Any:
        """A progress note with evidence links (the owning OPD or a reviewer).

        The owning OPD or a reviewer (admin, assessor) adds a note with evidence links; the
        status does not change.
        """
        doc = uc.add_note(ctx(), current_identity(), region, rec_id, body, expected_revision())
        return one(doc, 201)
