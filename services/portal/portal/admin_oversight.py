"""Diskominfo admins' oversight pages: the risk register with its heatmap, recommendations and
their follow-up, extending a cycle's deadline, and the master plan's programme progress. Every
count, rating and status shown is the API's own; the API's 409/422 lands at the form field."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .clients import ApiProblem
from .session import clients, current_user, signed_in

bp = Blueprint("oversight", __name__, url_prefix="/admin")
PERSPECTIVES = {
    "community_engagement": "Community engagement",
    "sustainability": "Sustainability",
    "governance": "Governance",
    "technology": "Technology",
    "financial": "Financial",
    "operational": "Operational",
}
LEVELS = range(1, 6)
PAGE = 100  # risks a page of the register (the API pages it, X-Total-Count the whole)
STALE = "The cycle was changed meanwhile; the current deadline is shown above. Try again."


def _region() -> str:
    user = current_user()
    assert user is not None
    return user.region


def _number(name: str, default: int) -> int:
    raw = request.args.get(name, "")
    return int(raw) if raw.isdigit() else default


@bp.get("/risks")
@signed_in("admin", "assessor")
def risks() -> Any:
    perspective = request.args.get("perspective", "")
    if perspective and perspective not in PERSPECTIVES:
        abort(400)
    start, size = _number("offset", 0), min(_number("limit", PAGE) or PAGE, 500)
    api = clients().evaluation
    register, total = api.risks(_region(), perspective=perspective, limit=size, offset=start)
    heatmap = api.risk_heatmap(_region(), perspective=perspective)
    return render_template(
        "admin/risks.html",
        register=register,
        total=total,
        heatmap=heatmap,
        perspective=perspective,
        perspectives=PERSPECTIVES,
        levels=LEVELS,
        start=start,
        page_size=size,
    )


@bp.get("/recommendations")
@signed_in("admin", "assessor")
def recommendations() -> Any:
    api = clients().evaluation
    listed = api.recommendations(_region())
    overdue = {r["id"]: r.get("days_overdue") for r in api.overdue_recommendations(_region())}
    return render_template("admin/recommendations.html", listed=listed, overdue=overdue)


def _deadline_page(
    cycle: dict[str, Any], values: dict[str, str], problem: ApiProblem | None
) -> Any:
    errors = dict(problem.errors) if problem else {}
    if problem and problem.status == 412:  # someone changed the cycle since the form was shown
        errors["submission_deadline"] = [STALE]
    elif problem and not errors:  # a 409 (e.g. the cycle is closed) belongs to the deadline
        errors["submission_deadline"] = [problem.detail or problem.title]
    page = render_template(
        "admin/deadline.html",
        cycle=cycle,
        values=values,
        problem=problem,
        errors=errors,
        labels={"submission_deadline": _("New deadline"), "reason": _("Reason")},
        anchor=lambda path: path.split(".")[0],
    )
    return page, (problem.status if problem and problem.status in (409, 412, 422) else 200)


@bp.get("/cycles/<cycle_id>/deadline")
@signed_in("admin")
def deadline(cycle_id: str) -> Any:
    cycle = clients().evaluation.cycle(cycle_id)
    return _deadline_page(cycle, {"submission_deadline": "", "reason": ""}, None)


@bp.post("/cycles/<cycle_id>/deadline")
@signed_in("admin")
def extend(cycle_id: str) -> Any:
    values = {k: request.form.get(k, "").strip() for k in ("submission_deadline", "reason")}
    revision = request.form.get("revision", "")
    api = clients().evaluation
    try:
        api.set_deadline(
            cycle_id,
            values["submission_deadline"],
            values["reason"],
            int(revision) if revision.isdigit() else 0,  # no number: the API's 412
        )
    except ApiProblem as problem:
        return _deadline_page(api.cycle(cycle_id), values, problem)
    flash(_("The deadline is changed."))
    return redirect(url_for("admin.dashboard"))


@bp.get("/masterplans")
@signed_in("admin", "assessor")
def masterplans() -> Any:
    api = clients().innovation
    region = _region()
    reports = [api.master_plan_report(region, p["id"]) for p in api.master_plans(region)]
    return render_template("admin/masterplans.html", reports=reports)
