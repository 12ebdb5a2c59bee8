"""Assessors: the review queue, and a review page per submission (self answer, evidence,
verified value, note and comment side by side; the actions the API allows now)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from . import forms
from .clients import ApiProblem, EvaluationClient
from .session import clients, current_user, signed_in

bp = Blueprint("review", __name__, url_prefix="/review")
ACTIONS = {"start_review": "start-review", "return": "return", "verify": "verify",
           "reopen": "reopen", "finalize": "finalize"}  # fmt: skip
DONE = {
    "review": "Review saved.",
    "start_review": "Review started.",
    "return": "Returned to the OPD with your comments.",
    "verify": "Verified.",
    "reopen": "Reopened for review.",
    "finalize": "Finalized: the score is locked.",
}


def _regions() -> list[str]:
    user = current_user()
    assert user is not None
    if user.region != "*":
        return [user.region]
    return [r["id"] for r in clients().evaluation.get("/regions")]


@bp.get("/")
@signed_in("assessor", "admin")
def queue() -> Any:
    api = clients().evaluation
    state, only_cycle = request.args.get("state", ""), request.args.get("cycle", "")
    rows = []
    for region in _regions():
        for cycle in api.cycles(region):
            if cycle.get("phase") == "closed" or (only_cycle and cycle["id"] != only_cycle):
                continue
            try:
                subs = api.submissions(cycle["id"])
            except ApiProblem:
                continue
            rows += [
                {"region": region, "cycle": cycle, "submission": s}
                for s in subs
                if not state or s.get("state") == state
            ]
    return render_template("review/queue.html", rows=rows, state=state, cycle=only_cycle)


def _load(api: EvaluationClient, cycle_id: str, unit: str) -> tuple[dict[str, Any], ...]:
    cycle = api.cycle(cycle_id)
    framework = api.framework_version(cycle["framework_key"], cycle["framework_version"])
    return cycle, framework["document"], api.submission(cycle_id, unit)


def _page(cycle_id: str, unit: str, problem: ApiProblem | None = None) -> Any:
    cycle, document, submission = _load(clients().evaluation, cycle_id, unit)
    page = render_template(
        "review/page.html",
        cycle=cycle,
        document=document,
        submission=submission,
        items=list(forms.items(document)),
        problem=problem,
        errors=problem.errors if problem else {},
        anchor=forms.error_anchor,
        option_value=forms.option_value,
        shown=forms.shown_value,
    )
    return page, (422 if problem else 200)


@bp.get("/cycles/<cycle_id>/<unit>")
@signed_in("assessor", "admin")
def page(cycle_id: str, unit: str) -> Any:
    return _page(cycle_id, unit)


@bp.post("/cycles/<cycle_id>/<unit>")
@signed_in("assessor", "admin")
def act(cycle_id: str, unit: str) -> Any:
    api = clients().evaluation
    action = request.form.get("action", "review")
    _cycle, document, submission = _load(api, cycle_id, unit)
    review = forms.read_review(document, request.form)
    revision = int(request.form.get("revision") or submission["revision"])
    try:
        if "review" in submission["allowed_actions"] and action in ("review", "verify"):
            changes = {"verified": review["verified"], "notes": review["notes"]}
            revision = api.record_review(cycle_id, unit, changes, revision)["revision"]
        if action in ACTIONS:
            body: dict[str, Any] = {"reason": request.form.get("reason", "").strip()}
            if action == "return":
                body["comments"] = review["comments"]
            api.act(cycle_id, unit, ACTIONS[action], body, revision)
    except ApiProblem as problem:
        return _page(cycle_id, unit, problem)
    flash(_(DONE.get(action, DONE["review"])))
    return redirect(url_for("review.page", cycle_id=cycle_id, unit=unit))
