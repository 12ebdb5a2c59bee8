"""Risk register endpoints: risks per region, programme and unit; re-assessments; heatmap."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from smartcity_shared.http.app import current_correlation_id
from smartcity_shared.http.auth import current_identity, requires
from smartcity_shared.http.etag import expected_revision
from smartcity_shared.http.schemas import Day, Paging, Slug

from .. import risks as uc
from ..domain import Perspective
from . import examples as ex
from .common import ctx, many, one
from .responses_results import HeatmapOut, RiskOut, RisksByPerspectiveOut

blp = Blueprint("risks", __name__, description="Risk register")
PERSPECTIVES = [p.value for p in Perspective]
SCALE = validate.Range(1, 5)
Text = fields.String


class RiskIn(Schema):
    risk_id = Slug()
    unit = fields.String(required=True, metadata={"description": "OPD code (or the region id)"})
    programme = Text(load_default="", validate=validate.Length(0, 200))
    title = Text(required=True, validate=validate.Length(1, 300))
    description = Text(load_default="", validate=validate.Length(0, 10_000))
    perspective = Text(required=True, validate=validate.OneOf(PERSPECTIVES))
    likelihood = fields.Integer(required=True, validate=SCALE)
    impact = fields.Integer(required=True, validate=SCALE)
    mitigation = Text(load_default="", validate=validate.Length(0, 10_000))
    owner = Text(load_default="", validate=validate.Length(0, 200))
    review_date = Day(load_default=None)
    status = Text(load_default="open", validate=validate.OneOf(uc.STATUSES))
    note = Text(load_default="", validate=validate.Length(0, 5_000))


class RiskPatch(Schema):
    programme = Text(validate=validate.Length(0, 200))
    title = Text(validate=validate.Length(1, 300))
    description = Text(validate=validate.Length(0, 10_000))
    perspective = Text(validate=validate.OneOf(PERSPECTIVES))
    mitigation = Text(validate=validate.Length(0, 10_000))
    owner = Text(validate=validate.Length(0, 200))
    review_date = Day(allow_none=True)
    status = Text(validate=validate.OneOf(uc.STATUSES))


class AssessmentIn(Schema):
    likelihood = fields.Integer(required=True, validate=SCALE)
    impact = fields.Integer(required=True, validate=SCALE)
    note = Text(load_default="", validate=validate.Length(0, 5_000))
    review_date = Day(load_default=None)


class RiskQuery(Schema):
    perspective = Text(load_default=None, validate=validate.OneOf(PERSPECTIVES))
    unit = Text(load_default=None)
    status = Text(load_default=None, validate=validate.OneOf(uc.STATUSES))
    rating = Text(load_default=None, validate=validate.OneOf(["low", "medium", "high", "extreme"]))
    programme = Text(load_default=None)


class RiskListQuery(RiskQuery, Paging):
    """The register is paged (at most 500 a page); `X-Total-Count` gives the whole count."""

    limit = fields.Integer(load_default=500, validate=validate.Range(1, 500))


TOTAL_HEADER = {
    "X-Total-Count": {"description": "risks matching the filters", "schema": {"type": "integer"}}
}


@blp.route("/regions/<region>/risks")
class Risks(MethodView):
    @requires("admin", "assessor", "opd")
    @blp.arguments(RiskListQuery, location="query")
    @blp.response(200, RiskOut(many=True), headers=TOTAL_HEADER)
    def get(self, query: dict[str, Any], region: str) -> Any:
        """The region's risk register.

        Admins and assessors see the region's risks, an OPD its own unit's; by perspective,
        worst first. Filter by perspective, unit, status, rating and programme; one page of
        `limit` from `offset`, the total in `X-Total-Count`.
        """
        limit, offset = query.pop("limit"), query.pop("offset")
        found = uc.list_risks(ctx(), current_identity(), region, query)
        page = many(found[offset : offset + limit])
        return page, {"X-Total-Count": str(len(found))}

    @requires("admin", "opd")
    @blp.arguments(RiskIn, example=ex.RISK)
    @blp.response(201, RiskOut)
    def post(self, body: dict[str, Any], region: str) -> Any:
        """Raise a risk (an OPD: for its own unit); rated per CONTRACT.md; emits risk.raised.

        The admin, or an OPD for its own unit. Likelihood and impact (1-5) give the rating
        (low, medium, high, extreme). Emits `risk.raised`; a high or extreme one mails the
        OPD and the admins.
        """
        doc = uc.raise_risk(ctx(), current_identity(), region, body, current_correlation_id())
        return one(doc, 201)


@blp.route("/regions/<region>/risks/heatmap")
class Heatmap(MethodView):
    @requires("admin", "assessor", "opd")
    @blp.arguments(RiskQuery, location="query")
    @blp.response(200, HeatmapOut)
    def get(self, query: dict[str, Any], region: str) -> Any:
        """The region's risk heat map.

        5x5 counts `grid[likelihood-1][impact-1]`, with counts per level and perspective.
        The same readers and filters as the register.
        """
        return uc.risk_heatmap(ctx(), current_identity(), region, query)


@blp.route("/regions/<region>/risks/by-perspective")
class ByPerspective(MethodView):
    @requires("admin", "assessor", "opd")
    @blp.arguments(RiskQuery, location="query")
    @blp.response(200, RisksByPerspectiveOut)
    def get(self, query: dict[str, Any], region: str) -> Any:
        """The region's risks grouped by perspective.

        The same readers and filters as the register.
        """
        grouped = uc.by_perspective(ctx(), current_identity(), region, query)
        return {perspective: many(docs) for perspective, docs in grouped.items()}


@blp.route("/regions/<region>/risks/<risk_id>")
class Risk(MethodView):
    @requires("admin", "assessor", "opd")
    @blp.response(200, RiskOut)
    def get(self, region: str, risk_id: str) -> Any:
        """One risk of the region.

        Admins and assessors; an OPD only its own unit's. With its assessment history.
        """
        return one(uc.get(ctx(), current_identity(), region, risk_id))

    @requires("admin", "opd")
    @blp.arguments(RiskPatch, example=ex.RISK_PATCH)
    @blp.response(200, RiskOut)
    def patch(self, body: dict[str, Any], region: str, risk_id: str) -> Any:
        """Change a risk (text, perspective, mitigation, owner, review date, status).

        The admin or the owning OPD; partial. Likelihood and impact change through a re-assessment,
        not here. Accepts `If-Match`.
        """
        doc = uc.update(ctx(), current_identity(), region, risk_id, body, expected_revision())
        return one(doc)


@blp.route("/regions/<region>/risks/<risk_id>/assessments")
class Assessments(MethodView):
    @requires("admin", "opd")
    @blp.arguments(AssessmentIn, example=ex.ASSESSMENT)
    @blp.response(201, RiskOut)
    def post(self, body: dict[str, Any], region: str, risk_id: str) -> Any:
        """Re-assess a risk's likelihood and impact.

        The admin or the owning OPD. The assessment is kept in the history; a changed rating
        level emits `risk.rating_changed`.
        """
        doc = uc.reassess(
            ctx(),
            current_identity(),
            region,
            risk_id,
            body,
            expected_revision(),
            current_correlation_id(),
        )
        return one(doc, 201)
