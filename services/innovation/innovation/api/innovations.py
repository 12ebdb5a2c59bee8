"""Innovation registry endpoints: register, search, profile, stages, verification, evidence,
milestones. Writes: the owner OPD or the admin (verification: assessors); reads: every role
of the region. Writes accept `If-Match` (412 when stale)."""

from __future__ import annotations

from functools import partial
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from smartcity_shared.http.auth import requires

from .. import innovations as uc
from .. import lifecycle, views
from .common import Response, cid, ctx, if_match, respond, who
from .schemas import (
    CompleteIn,
    DiscontinueIn,
    EvidenceIn,
    InnovationIn,
    InnovationOut,
    InnovationPage,
    InnovationPatch,
    InnovationQuery,
    MilestoneIn,
    MilestonePatch,
    StageChangeIn,
    VerificationIn,
)

blp = Blueprint(
    "innovations",
    __name__,
    url_prefix="/regions/<region>/innovations",
    description="Innovation registry: profile, stages, verification, evidence, milestones",
)
WRITERS = ("admin", "opd")
Doc = dict[str, Any]


def _out(region: str, doc: Doc, status: int = 200) -> Response:
    today = ctx().today(region)
    return respond(doc, partial(views.innovation, today=today), status)


@blp.route("")
class Innovations(MethodView):
    @requires()
    @blp.arguments(InnovationQuery, location="query")
    @blp.response(200, InnovationPage)
    def get(self, query: Doc, region: str) -> Any:
        """Search and filter by unit, year, stage, type, pillar, programme and text."""
        limit, offset = query.pop("limit"), query.pop("offset")
        found, total = uc.search(ctx(), who(), region, query, limit, offset)
        today = ctx().today(region)
        items = [views.innovation({**d, "revision": d.get("_rev", 0)}, today) for d in found]
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    @requires(*WRITERS)
    @blp.arguments(InnovationIn)
    @blp.response(201, InnovationOut)
    def post(self, body: Doc, region: str) -> Any:
        """Register an innovation of the caller's own OPD (the admin: of any OPD)."""
        return _out(region, uc.register(ctx(), who(), region, body, cid()), 201)


@blp.route("/<innovation_id>")
class Innovation(MethodView):
    @requires()
    @blp.response(200, InnovationOut)
    def get(self, region: str, innovation_id: str) -> Any:
        """One innovation of the region."""
        return _out(region, uc.get(ctx(), who(), region, innovation_id))

    @requires(*WRITERS)
    @blp.arguments(InnovationPatch)
    @blp.response(200, InnovationOut)
    def patch(self, body: Doc, region: str, innovation_id: str) -> Any:
        """Edit the profile (partial; null clears an optional field)."""
        doc = uc.edit_profile(ctx(), who(), region, innovation_id, body, if_match())
        return _out(region, doc)


@blp.route("/<innovation_id>/stage")
class Stage(MethodView):
    @requires(*WRITERS)
    @blp.arguments(StageChangeIn)
    @blp.response(200, InnovationOut)
    def post(self, body: Doc, region: str, innovation_id: str) -> Any:
        """Move to another stage (one step forward; back, discontinue, reactivate need a
        reason). 409 for an illegal move."""
        doc = lifecycle.change_stage(ctx(), who(), region, innovation_id, body, if_match(), cid())
        return _out(region, doc)


@blp.route("/<innovation_id>/discontinue")
class Discontinue(MethodView):
    @requires(*WRITERS)
    @blp.arguments(DiscontinueIn)
    @blp.response(200, InnovationOut)
    def post(self, body: Doc, region: str, innovation_id: str) -> Any:
        """Discontinue an innovation (it no longer counts for the quota)."""
        doc = lifecycle.discontinue(ctx(), who(), region, innovation_id, body, if_match(), cid())
        return _out(region, doc)


@blp.route("/<innovation_id>/verifications")
class Verifications(MethodView):
    @requires("assessor")
    @blp.arguments(VerificationIn)
    @blp.response(200, InnovationOut)
    def post(self, body: Doc, region: str, innovation_id: str) -> Any:
        """An assessor's verdict on the current stage: verified / needs_evidence (with note)."""
        doc = lifecycle.record_verification(
            ctx(), who(), region, innovation_id, body, if_match(), cid()
        )
        return _out(region, doc)


@blp.route("/<innovation_id>/evidence")
class Evidence(MethodView):
    @requires(*WRITERS)
    @blp.arguments(EvidenceIn)
    @blp.response(200, InnovationOut)
    def post(self, body: Doc, region: str, innovation_id: str) -> Any:
        """Append one piece of evidence (link or stored file, with a description)."""
        doc = uc.add_evidence(ctx(), who(), region, innovation_id, body, if_match())
        return _out(region, doc)


@blp.route("/<innovation_id>/milestones")
class Milestones(MethodView):
    @requires(*WRITERS)
    @blp.arguments(MilestoneIn)
    @blp.response(201, InnovationOut)
    def post(self, body: Doc, region: str, innovation_id: str) -> Any:
        """Add a milestone; the response header `Location` names it."""
        doc, milestone_id = lifecycle.add(
            ctx(), who(), region, innovation_id, body, if_match(), cid()
        )
        out, status, headers = _out(region, doc, 201)
        headers["Location"] = (
            f"/regions/{region}/innovations/{innovation_id}/milestones/{milestone_id}"
        )
        return out, status, headers


@blp.route("/<innovation_id>/milestones/<milestone_id>")
class Milestone(MethodView):
    @requires(*WRITERS)
    @blp.arguments(MilestonePatch)
    @blp.response(200, InnovationOut)
    def patch(self, body: Doc, region: str, innovation_id: str, milestone_id: str) -> Any:
        """Change a milestone of an innovation."""
        doc = lifecycle.update(
            ctx(), who(), region, innovation_id, milestone_id, body, if_match(), cid()
        )
        return _out(region, doc)


@blp.route("/<innovation_id>/milestones/<milestone_id>/complete")
class CompleteMilestone(MethodView):
    @requires(*WRITERS)
    @blp.arguments(CompleteIn)
    @blp.response(200, InnovationOut)
    def post(self, body: Doc, region: str, innovation_id: str, milestone_id: str) -> Any:
        """Mark a milestone of an innovation complete."""
        doc = lifecycle.complete(
            ctx(), who(), region, innovation_id, milestone_id, body, if_match(), cid()
        )
        return _out(region, doc)
