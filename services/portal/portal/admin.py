"""Diskominfo admins: the region's cycles (who has submitted, who is late), publishing, and the
scorecard with the radar chart the evaluation API draws."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from .clients import ApiProblem
from .i18n import local_year
from .session import clients, current_user, signed_in

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@signed_in("admin")
def dashboard() -> Any:
    user = current_user()
    assert user is not None
    api = clients().evaluation
    cycles = [
        {"cycle": c, "submissions": api.submissions(c["id"])} for c in api.cycles(user.region)
    ]
    extreme, _total = api.risks(user.region, rating="extreme")
    return render_template(
        "admin/dashboard.html",
        cycles=cycles,
        year=local_year(),
        overdue=api.overdue_recommendations(user.region),
        extreme=extreme,
    )


@bp.get("/quota/<int:year>")
@signed_in("admin", "assessor", "opd", "viewer")
def quota(year: int) -> Any:
    user = current_user()
    assert user is not None
    board = clients().innovation.compliance(user.region, year)
    return render_template("admin/quota.html", board=board)


@bp.post("/cycles/<cycle_id>/publish")
@signed_in("admin")
def publish(cycle_id: str) -> Any:
    try:
        clients().evaluation.publish(cycle_id)
    except ApiProblem as problem:  # e.g. 409 naming the submissions still under way
        flash(f"{_('Not published')}: {problem.detail or problem.title}")
        return redirect(url_for("admin.dashboard"))
    flash(_("The scorecard is published."))
    return redirect(url_for("admin.scorecard", cycle_id=cycle_id))


@bp.get("/cycles/<cycle_id>/scorecard")
@signed_in("admin", "assessor", "opd", "viewer")
def scorecard(cycle_id: str) -> Any:
    card = clients().evaluation.scorecard(cycle_id)
    return render_template("admin/scorecard.html", card=card, cycle_id=cycle_id)


@bp.get("/cycles/<cycle_id>/radar.svg")
@signed_in("admin", "assessor", "opd", "viewer")
def radar(cycle_id: str) -> Response:
    svg = clients().evaluation.radar_svg(cycle_id)
    return Response(svg, mimetype="image/svg+xml")
