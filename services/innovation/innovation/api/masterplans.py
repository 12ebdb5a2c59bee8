"""Master-plan endpoints: plans, programmes, reviews (new versions) and the review report.
Writes: the region's admin; reads: every role of the region."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from smartcity_shared.http.auth import requires

from .. import masterplans as uc
from .. import views
from . import examples as ex
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
        """List the region's master plans.

        Any role of the region; each plan with its current version, programmes and the
        reviews that produced it.
        """
        docs = uc.list_plans(ctx(), who(), region)
        return [views.plan({**d, "revision": d.get("_rev", 0)}) for d in docs]

    @requires("admin")
    @blp.arguments(PlanIn, example=ex.PLAN)
    @blp.response(201, PlanOut)
    def post(self, body: Doc, region: str) -> Any:
        """Create a plan (version 1); its id is `mp-<start>-<end>` (409 when it exists).

        The region's admin only. `start_year` and `end_year` bound the plan; it may come
        with its programmes, each with an owner OPD, a pillar and a horizon.
        """
        return respond(uc.create(ctx(), who(), region, body), views.plan, 201)


@blp.route("/<plan_id>")
class Plan(MethodView):
    @requires()
    @blp.response(200, PlanOut)
    def get(self, region: str, plan_id: str) -> Any:
        """One master plan of the region.

        Any role of the region; its programmes with their targets and its review history.
        """
        return respond(uc.get(ctx(), who(), region, plan_id), views.plan)


@blp.route("/<plan_id>/programmes")
class Programmes(MethodView):
    @requires("admin")
    @blp.arguments(ProgrammeIn, example=ex.PROGRAMME)
    @blp.response(201, PlanOut)
    def post(self, body: Doc, region: str, plan_id: str) -> Any:
        """Add a programme to a master plan.

        The region's admin only. The programme `id` (a code such as `SG-01`) is what
        innovations name in `programme_id`.
        """
        doc = uc.new_programme(ctx(), who(), region, plan_id, body, if_match())
        return respond(doc, views.plan, 201)


@blp.route("/<plan_id>/programmes/<programme_id>")
class Programme(MethodView):
    @requires("admin")
    @blp.arguments(ProgrammePatch, example=ex.PROGRAMME_PATCH)
    @blp.response(200, PlanOut)
    def patch(self, body: Doc, region: str, plan_id: str, programme_id: str) -> Any:
        """Change a programme of a master plan.

        The region's admin only; partial (null clears an optional field), e.g. its status
        or targets.
        """
        doc = uc.edit_programme(ctx(), who(), region, plan_id, programme_id, body, if_match())
        return respond(doc, views.plan)


@blp.route("/<plan_id>/reviews")
class Reviews(MethodView):
    @requires("admin")
    @blp.arguments(ReviewIn, example=ex.REVIEW)
    @blp.response(201, PlanOut)
    def post(self, body: Doc, region: str, plan_id: str) -> Any:
        """Close a review: the next version, recording what changed and why.

        The region's admin only. `changes` and `reason` are required; the title and years
        may change with the new version.
        """
        doc = uc.review(ctx(), who(), region, plan_id, body, if_match(), cid())
        return respond(doc, views.plan, 201)


@blp.route("/<plan_id>/report")
class Report(MethodView):
    @requires()
    @blp.response(200)
    def get(self, region: str, plan_id: str) -> Any:
        """The plan's review report.

        Any role of the region. Per programme: linked innovations, their stages, progress
        with its weights, and why it is behind schedule; per pillar: programmes, behind,
        mean progress.
        """
        found, plan, names = uc.report(ctx(), who(), region, plan_id)
        return views.plan_report(found, plan, names)
