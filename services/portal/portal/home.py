"""The home page: what is due for the signed-in person; a welcome page otherwise."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from . import innovations
from .auth import local_path
from .clients import ApiProblem
from .i18n import COOKIE, LANGUAGES, local_year
from .session import User, clients, current_user

bp = Blueprint("home", __name__)


def participates(cycle: dict[str, Any], unit: str) -> bool:
    return any(p.get("unit_code") == unit for p in cycle.get("participants", []))


def opd_work(user: User) -> list[dict[str, Any]]:
    """The OPD's cycles that are not closed, each with its submission as the API shows it."""
    api = clients(user).evaluation
    work = []
    for cycle in api.cycles(user.region):
        if cycle.get("phase") == "closed" or not participates(cycle, user.unit):
            continue
        try:
            submission: dict[str, Any] | None = api.submission(cycle["id"], user.unit)
        except ApiProblem:
            submission = None
        work.append({"cycle": cycle, "submission": submission})
    return work


@bp.get("/")
def index() -> Any:
    user = current_user()
    if user is not None and user.expired:
        from .auth import refreshed

        user = current_user() if refreshed() else None
    if user is None:
        return render_template("welcome.html")
    if user.role == "opd":
        try:
            quota = innovations.quota_status(clients(user).innovation, user, local_year())
        except ApiProblem:
            quota = None
        return render_template("home_opd.html", work=opd_work(user), quota=quota)
    if user.role == "assessor":
        return redirect(url_for("review.queue"))
    if user.role == "admin":
        return redirect(url_for("admin.dashboard"))
    if user.region == "*":
        return redirect(url_for("public.regions"))
    return redirect(url_for("public.region", region=user.region))


@bp.post("/language")
def language() -> Response:
    """Switch the language; remembered in a cookie for a year."""
    chosen = request.form.get("lang", "")
    response = make_response(redirect(local_path(request.form.get("next"))))
    if chosen in LANGUAGES:
        response.set_cookie(COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
