"""The paths e-mail links name (`<PORTAL_BASE_URL>/<service>/<the API's path>`, built by the
notification service), each landing on the portal page for it after sign-in if needed."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, url_for

from .session import current_user, signed_in

bp = Blueprint("links", __name__)


@bp.get("/evaluation/cycles/<cycle_id>/submissions/<unit>")
@signed_in()
def submission(cycle_id: str, unit: str) -> Any:
    user = current_user()
    assert user is not None
    if user.role == "opd":
        return redirect(url_for("opd.form", cycle_id=cycle_id))
    if user.role in ("assessor", "admin"):
        return redirect(url_for("review.page", cycle_id=cycle_id, unit=unit))
    abort(403)


@bp.get("/evaluation/cycles/<cycle_id>/scorecard")
@signed_in()
def scorecard(cycle_id: str) -> Any:
    return redirect(url_for("admin.scorecard", cycle_id=cycle_id))


@bp.get("/notification/preferences/<path:email>")
@signed_in()
def preferences(email: str) -> Any:
    return redirect(url_for("prefs.page", email=email))


@bp.get("/innovation/regions/<region>/quota/<int:year>/compliance")
@signed_in()
def quota(region: str, year: int) -> Any:
    user = current_user()
    if user is not None and user.role == "opd":  # the OPD's own innovations and quota status
        return redirect(url_for("innov.index", year=year))
    return redirect(url_for("admin.quota", year=year))


@bp.get("/innovation/regions/<region>/innovations/<innovation_id>")
@signed_in()
def innovation(region: str, innovation_id: str) -> Any:
    return redirect(url_for("innov.page", innovation_id=innovation_id))
