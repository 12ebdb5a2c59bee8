"""Master-plan endpoints: plans, programmes, reviews (new versions) and the review report.
Writes: the region's admin; reads: every role of the region."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from smartcity_shared.http.auth import requires

from .. import masterplans as uc
from .. import views
from .common import cid, ctx, if_match, respond, who
from .schemas import PlanIn, PlanOut, ProgrammeIn, ProgrammePatch, ReviewIn

blp = Blueprint(
    "masterplans",
    __name__,
    url_prefix="/regions/<region>/masterplans",
    description="The Smart City master plan: programmes per pillar and horizon, reviews",
)
Doc = dict[str, Any]


@blp.route("")
class Plans(MethodView):
    @requires()
    @blp.response(200, PlanOut(many=True))
    def get(self, region: str) -> Any:
        """List the region's master plans."""
        docs = uc.list_plans(ctx(), who(), region)
        return [views.plan({**d, "revision": d.get("_rev", 0)}) for d in docs]

    @requires("admin")
    @blp.arguments(PlanIn)
    @blp.response(201, PlanOut)
    def post(self, body: Doc, region: str) -> Any:
        """Create a plan (version 1); its id is `mp-<start>-<end>` (409 when it exists)."""
        return respond(uc.create(ctx(), who(), region, body), views.plan, 201)


@blp.route("/<plan_id>")
class Plan(MethodView):
    @requires()
    @blp.response(200, PlanOut)
    def get(self, region: str, plan_id: str) -> Any:
        """One master plan of the region."""
        return respond(uc.get(ctx(), who(), region, plan_id), views.plan)


@blp.route("/<plan_id>/programmes")
class Programmes(MethodView):
    @requires("admin")
    @blp.arguments(ProgrammeIn)
    @blp.response(201, PlanOut)
    def post(self, body: Doc, region: str, plan_id: str) -> Any:
        """Add a programme to a master plan."""
        doc = uc.new_programme(ctx(), who(), region, plan_id, body, if_match())
        return respond(doc, views.plan, 201)


@blp.route("/<plan_id>/programmes/<programme_id>")
class Programme(MethodView):
    @requires("admin")
    @blp.arguments(ProgrammePatch)
    @blp.response(200, PlanOut)
    def patch(self, body: Doc, region: str, plan_id: str, programme_id: str) -> Any:
        """Change a programme of a master plan."""
        doc = uc.edit_programme(ctx(), who(), region, plan_id, programme_id, body, if_match())
        return respond(doc, views.plan)


@blp.route("/<plan_id>/reviews")
class Reviews(MethodView):
    @requires("admin")
    @blp.arguments(ReviewIn)
    @blp.response(201, PlanOut)
    def post(self, body: Doc, region: str, plan_id: str) -> Any:
        """Close a review: the next version, recording what changed and why."""
        doc = uc.review(ctx(), who(), region, plan_id, body, if_match(), cid())
        return respond(doc, views.plan, 201)


@blp.route("/<plan_id>/report")
class Report(MethodView):
    @requires()
    @blp.response(200)
    def get(self, region: str, plan_id: str) -> Any:
        """Per programme: linked innovations, their stages, progress with its weights, and
        why it is behind schedule; per pillar: programmes, behind, mean progress."""
        found, plan, names = uc.report(ctx(), who(), region, plan_id)
        return views.plan_report(found, plan, names)
