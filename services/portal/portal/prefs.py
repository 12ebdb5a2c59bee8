"""Notification preferences: language of the e-mails, opt-outs per category, a daily digest
hour. The notification API decides what may be opted out of (its 422 lands at the field)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .clients import ApiProblem
from .session import clients, current_user, signed_in

bp = Blueprint("prefs", __name__, url_prefix="/preferences")
CATEGORIES = {
    "deadline": "Deadlines",
    "overdue": "Overdue items",
    "review": "Reviews of submissions",
    "recommendation": "Recommendations",
    "quota": "Innovation quota",
    "innovation": "Innovations",
    "risk": "Risks",
    "info": "Other information",
}


def _path(email: str) -> str:
    return f"/preferences/{quote(email, safe='@')}"


def _render(email: str, values: dict[str, Any], problem: ApiProblem | None = None) -> Any:
    page = render_template(
        "prefs.html",
        email=email,
        values=values,
        categories=CATEGORIES,
        problem=problem,
        errors=problem.errors if problem else {},
        anchor=lambda path: path.split(".")[0],
    )
    return page, (422 if problem else 200)


@bp.get("/")
@signed_in()
def own() -> Any:
    user = current_user()
    assert user is not None
    return redirect(url_for("prefs.page", email=user.email))


@bp.get("/<path:email>")
@signed_in()
def page(email: str) -> Any:
    return _render(email, clients().notification.get(_path(email)))


@bp.post("/<path:email>")
@signed_in()
def save(email: str) -> Any:
    hour = request.form.get("digest_hour", "")
    body = {
        "language": request.form.get("language", "id"),
        "opt_out": request.form.getlist("opt_out"),
        "digest_hour": int(hour) if hour.isdigit() else None,
        "timezone": request.form.get("timezone", "Asia/Jakarta").strip(),
    }
    try:
        clients().notification.put(_path(email), body)
    except ApiProblem as problem:
        return _render(email, body, problem)
    flash(_("Your notification preferences are saved."))
    return redirect(url_for("prefs.page", email=email))
