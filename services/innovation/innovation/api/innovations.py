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
from . import examples as ex
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
        """Search and filter by unit, year, stage, type, pillar, programme and text.

        Any role of the region may search. `unit` matches the owner or a partner OPD; `q`
        looks for the text in the name, description, objective and the other texts. Paged
        with `limit` (default 100, at most 500) and `offset`; `total` counts every match.
        """
        limit, offset = query.pop("limit"), query.pop("offset")
        found, total = uc.search(ctx(), who(), region, query, limit, offset)
        today = ctx().today(region)
        items = [views.innovation({**d, "revision": d.get("_rev", 0)}, today) for d in found]
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    @requires(*WRITERS)
    @blp.arguments(InnovationIn, example=ex.INNOVATION)
    @blp.response(201, InnovationOut)
    def post(self, body: Doc, region: str) -> Any:
        """Register an innovation of the caller's own OPD (the admin: of any OPD).

        The owner and partner units must be active OPDs of the region and `programme_id` a
        programme of one of its master plans (422 otherwise). It starts at `stage` (default
        initiative), counts for the OPD's quota of its `year` and emits
        `innovation.registered`.
        """
        return _out(region, uc.register(ctx(), who(), region, body, cid()), 201)


@blp.route("/<innovation_id>")
class Innovation(MethodView):
    @requires()
    @blp.response(200, InnovationOut)
    def get(self, region: str, innovation_id: str) -> Any:
        """One innovation of the region.

        Any role of the region may read it: profile, stage history, verifications, evidence
        and milestones. `revision` is the value to send back in `If-Match` when editing.
        """
        return _out(region, uc.get(ctx(), who(), region, innovation_id))

    @requires(*WRITERS)
    @blp.arguments(InnovationPatch, example=ex.INNOVATION_PATCH)
    @blp.response(200, InnovationOut)
    def patch(self, body: Doc, region: str, innovation_id: str) -> Any:
        """Edit the profile (partial; null clears an optional field).

        The owner OPD or the admin; only the fields sent change. With `If-Match: <revision>`
        a stale edit is refused with 412. The stage is changed through `/stage`, not here.
        """
        doc = uc.edit_profile(ctx(), who(), region, innovation_id, body, if_match())
        return _out(region, doc)


@blp.route("/<innovation_id>/stage")
class Stage(MethodView):
    @requires(*WRITERS)
    @blp.arguments(StageChangeIn, example=ex.STAGE_CHANGE)
    @blp.response(200, InnovationOut)
    def post(self, body: Doc, region: str, innovation_id: str) -> Any:
        """Move to another stage.

        The owner OPD or the admin. One step forward at a time (initiative, trial,
        implemented); going back, discontinuing or reactivating needs a `reason` (422
        without). An illegal move is a 409. Emits `innovation.stage_changed` (or
        `innovation.discontinued`); accepts `If-Match`.
        """
        doc = lifecycle.change_stage(ctx(), who(), region, innovation_id, body, if_match(), cid())
        return _out(region, doc)


@blp.route("/<innovation_id>/discontinue")
class Discontinue(MethodView):
    @requires(*WRITERS)
    @blp.arguments(DiscontinueIn, example=ex.DISCONTINUE)
    @blp.response(200, InnovationOut)
    def post(self, body: Doc, region: str, innovation_id: str) -> Any:
        """Discontinue an innovation (it no longer counts for the quota).

        The owner OPD or the admin, with a required `reason`; the same as a stage change to
        `discontinued`. Emits `innovation.discontinued`; accepts `If-Match`.
        """
        doc = lifecycle.discontinue(ctx(), who(), region, innovation_id, body, if_match(), cid())
        return _out(region, doc)


@blp.route("/<innovation_id>/verifications")
class Verifications(MethodView):
    @requires("assessor")
    @blp.arguments(VerificationIn, example=ex.VERIFICATION)
    @blp.response(200, InnovationOut)
    def post(self, body: Doc, region: str, innovation_id: str) -> Any:
        """An assessor's verdict on the current stage.

        Assessors only. `verified` marks the current stage as checked; `needs_evidence`
        requires a `note` saying what is missing. Emits `innovation.verified`; accepts
        `If-Match`.
        """
        doc = lifecycle.record_verification(
            ctx(), who(), region, innovation_id, body, if_match(), cid()
        )
        return _out(region, doc)


@blp.route("/<innovation_id>/evidence")
class Evidence(MethodView):
    @requires(*WRITERS)
    @blp.arguments(EvidenceIn, example=ex.EVIDENCE)
    @blp.response(200, InnovationOut)
    def post(self, body: Doc, region: str, innovation_id: str) -> Any:
        """Append one piece of evidence (link or stored file, with a description).

        The owner OPD or the admin. `url` must be an absolute http(s) link; an innovation
        keeps at most 50 pieces of evidence. Accepts `If-Match`.
        """
        doc = uc.add_evidence(ctx(), who(), region, innovation_id, body, if_match())
        return _out(region, doc)


@blp.route("/<innovation_id>/milestones")
class Milestones(MethodView):
    @requires(*WRITERS)
    @blp.arguments(MilestoneIn, example=ex.MILESTONE)
    @blp.response(201, InnovationOut)
    def post(self, body: Doc, region: str, innovation_id: str) -> Any:
        """Add a milestone; the response header `Location` names it.

        The owner OPD or the admin. Emits `milestone.planned` (and `milestone.completed`
        when it is added with an `actual_date`), which the notification service uses for
        its reminders. Accepts `If-Match`.
        """
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
    @blp.arguments(MilestonePatch, example=ex.MILESTONE_PATCH)
    @blp.response(200, InnovationOut)
    def patch(self, body: Doc, region: str, innovation_id: str, milestone_id: str) -> Any:
        """Change a milestone of an innovation.

        The owner OPD or the admin; partial. Moving `planned_date` emits
        `milestone.planned`, setting `actual_date` emits `milestone.completed`. Accepts
        `If-Match`.
        """
        doc = lifecycle.update(
            ctx(), who(), region, innovation_id, milestone_id, body, if_match(), cid()
        )
        return _out(region, doc)


@blp.route("/<innovation_id>/milestones/<milestone_id>/complete")
class CompleteMilestone(MethodView):
    @requires(*WRITERS)
    @blp.arguments(CompleteIn, example=ex.COMPLETE)
    @blp.response(200, InnovationOut)
    def post(self, body: Doc, region: str, innovation_id: str, milestone_id: str) -> Any:
        """Mark a milestone of an innovation complete.

        The owner OPD or the admin; done on `date` (default the region's today). 409 when
        it is already done. Emits `milestone.completed`; accepts `If-Match`.
        """
        doc = lifecycle.complete(
            ctx(), who(), region, innovation_id, milestone_id, body, if_match(), cid()
        )
        return _out(region, doc)
