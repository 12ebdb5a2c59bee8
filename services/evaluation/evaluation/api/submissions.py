"""Submission endpoints: the OPD's draft and submit, the assessor's review and decisions.

Every write takes `If-Match` (412 when stale); illegal transitions are 409, roles that may
never take an action 403; another OPD's submission does not exist for an OPD (404).
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema

from smartcity_shared.http.app import current_correlation_id
from smartcity_shared.http.auth import current_identity, requires
from smartcity_shared.http.etag import expected_revision

from .. import reviews, submissions
from . import examples as ex
from .common import AnswerMap, Reason, ctx, one
from .responses import AuditOut, SubmissionOut, SubmissionSummaryOut

blp = Blueprint("submissions", __name__, description="Submissions: self-assessment and review")
ACTIONS = {
    "start-review": "start_review",
    "return": "return",
    "verify": "verify",
    "reopen": "reopen",
    "finalize": "finalize",
}


class DraftIn(Schema):
    answers = AnswerMap(metadata={"description": "{question key: answer}; null removes an answer"})
    evidence = AnswerMap(metadata={"description": "{question key: [evidence links]}; null removes"})


class ReviewIn(Schema):
    verified = AnswerMap(metadata={"description": "{question key: verified answer}"})
    notes = AnswerMap(metadata={"description": "{question key: field-review note}"})
    assessor_scores = AnswerMap(
        metadata={"description": "{question key: s in [0, 1]} for assessor-scored questions"}
    )


class ActionIn(Reason):
    comments = AnswerMap(
        metadata={"description": "return only: {question key: comment shown to the OPD}"}
    )


def _summary(doc: dict[str, Any]) -> dict[str, Any]:
    keys = ("cycle_id", "unit", "unit_name", "state", "late", "submitted_at", "result")
    return {"id": doc["_id"], **{k: doc.get(k) for k in keys}, "revision": doc["_rev"]}


@blp.route("/cycles/<cycle_id>/submissions")
class Submissions(MethodView):
    @requires("admin", "assessor", "opd")
    @blp.response(200, SubmissionSummaryOut(many=True))
    def get(self, cycle_id: str) -> Any:
        """The submissions the caller may read (an OPD: its own).

        Admins and assessors of the region see every participant's; an OPD sees only its
        own. A summary per submission: state, late, submitted_at and result.
        """
        docs = submissions.list_submissions(ctx(), current_identity(), cycle_id)
        return [_summary(d) for d in docs]


@blp.route("/cycles/<cycle_id>/submissions/<unit>")
class Submission(MethodView):
    @requires("admin", "assessor", "opd")
    @blp.response(200, SubmissionOut)
    def get(self, cycle_id: str, unit: str) -> Any:
        """One OPD's submission.

        Admins, assessors and the owning OPD (another OPD's is a 404). Answers, evidence,
        verified answers, notes, return comments, the actions the caller may take and the
        questions the current answers hide (skip logic).
        """
        who = current_identity()
        cycle, doc = submissions.load(ctx(), who, cycle_id, unit)
        hidden = submissions.hidden_questions(submissions.framework_of(ctx(), doc), doc)
        return one({**submissions.view(cycle, doc, who), "hidden_questions": hidden})

    @requires("admin", "opd")
    @blp.arguments(DraftIn, example=ex.DRAFT)
    @blp.response(200, SubmissionOut)
    def patch(self, body: dict[str, Any], cycle_id: str, unit: str) -> Any:
        """Save draft answers and evidence links (partial is fine; merged; null removes).

        The owning OPD or the admin. Answers and evidence links are merged by question key;
        null removes one. Accepts `If-Match` (412 when stale).
        """
        doc = submissions.save_draft(
            ctx(), current_identity(), cycle_id, unit, body, expected_revision()
        )
        return one(doc)


@blp.route("/cycles/<cycle_id>/submissions/<unit>/submit")
class Submit(MethodView):
    @requires("admin", "opd")
    @blp.arguments(Reason, example=ex.REASON)
    @blp.response(200, SubmissionOut)
    def post(self, body: dict[str, Any], cycle_id: str, unit: str) -> Any:
        """Submit (or resubmit after a return).

        The owning OPD or the admin. 422 listing every missing answer and evidence; marked
        late after the deadline; emits `submission.submitted`. Accepts `If-Match`.
        """
        doc = submissions.submit(
            ctx(),
            current_identity(),
            cycle_id,
            unit,
            body["reason"],
            expected_revision(),
            current_correlation_id(),
        )
        return one(doc)


@blp.route("/cycles/<cycle_id>/submissions/<unit>/review")
class Review(MethodView):
    @requires("admin", "assessor")
    @blp.arguments(ReviewIn, example=ex.REVIEW)
    @blp.response(200, SubmissionOut)
    def patch(self, body: dict[str, Any], cycle_id: str, unit: str) -> Any:
        """Record verified answers, field-review notes and assessor scores (in review).

        Admins and assessors while the submission is in review: verified answers, field-review
        notes and scores for assessor-scored questions, by question key. Accepts `If-Match`.
        """
        doc = reviews.record_review(
            ctx(), current_identity(), cycle_id, unit, body, expected_revision()
        )
        return one(doc)


@blp.route(
    "/cycles/<cycle_id>/submissions/<unit>/"
    '<any("start-review","return","verify","reopen","finalize"):action>'
)
class Decide(MethodView):
    @requires("admin", "assessor")
    @blp.arguments(ActionIn, example=ex.ACTION)
    @blp.response(200, SubmissionOut)
    def post(self, body: dict[str, Any], cycle_id: str, unit: str, action: str) -> Any:
        """Take a review action on a submission.

        Admins and assessors. `start-review`, `return` (with per-question `comments` shown
        to the OPD), `verify`, `reopen` or `finalize` (scores and locks); an illegal
        transition is a 409. Emits `submission.returned`, `verified` or `finalized`. Accepts
        `If-Match`.
        """
        doc = reviews.act(
            ctx(),
            current_identity(),
            cycle_id,
            unit,
            ACTIONS[action],
            body,
            expected_revision(),
            current_correlation_id(),
        )
        return one(doc)


@blp.route("/cycles/<cycle_id>/submissions/<unit>/audit")
class Audit(MethodView):
    @requires("admin", "assessor", "opd")
    @blp.response(200, AuditOut(many=True))
    def get(self, cycle_id: str, unit: str) -> Any:
        """The submission's audit trail.

        Admins, assessors and the owning OPD. Every transition: action, from, to, who, role,
        when and why.
        """
        _, doc = submissions.load(ctx(), current_identity(), cycle_id, unit)
        return doc["audit"]
