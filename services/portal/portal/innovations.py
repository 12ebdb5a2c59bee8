"""OPD staff: their innovations of the year with the quota status the innovation API reports,
registering one, and its page (profile, stage change with evidence, milestones).

Every decision is the innovation API's: what is valid (422 `errors` shown at their fields),
which stage moves are legal (409), whether the page was stale (If-Match, 412), what counts
for the quota and the shortfall.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from . import innovation_forms as forms
from .clients import ApiProblem, InnovationClient
from .i18n import local_year
from .session import User, clients, current_user, signed_in

bp = Blueprint("innov", __name__, url_prefix="/opd/innovations")
WRITERS = ("opd", "admin")  # the roles the API lets write; it still decides each write


def _user() -> User:
    user = current_user()
    assert user is not None
    return user


def quota_status(api: InnovationClient, user: User, year: int) -> dict[str, Any] | None:
    """The unit's line of the year's compliance report (required, counted, shortfall, status)."""
    board = api.compliance(user.region, year)
    row = next((u for u in board.get("units", []) if u.get("unit") == user.unit), None)
    return {**row, "min_stage": board.get("min_stage"), "year": year} if row else None


def _year() -> int:
    raw = request.args.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else local_year()


@bp.get("/")
@signed_in("opd")
def index() -> Any:
    user, year = _user(), _year()
    api = clients().innovation
    return render_template(
        "innovations/list.html",
        year=year,
        items=api.innovations(user.region, user.unit, year),
        quota=quota_status(api, user, year),
    )


def _register_page(values: dict[str, Any], problem: ApiProblem | None = None) -> Any:
    status = 422 if problem and problem.errors else (problem.status if problem else 200)
    page = render_template(
        "innovations/new.html",
        values=values,
        choices=forms.choices(),
        problem=problem,
        errors=problem.errors if problem else {},
        anchor=anchor,
    )
    return page, status


@bp.get("/new")
@signed_in("opd")
def new() -> Any:
    return _register_page({"year": _year(), "type": "", "initiator": "opd"})


@bp.post("/new")
@signed_in("opd")
def register() -> Any:
    user = _user()
    body = {**forms.read_profile(request.form), "owner_unit": user.unit}
    try:
        created = clients().innovation.register(user.region, body)
    except ApiProblem as problem:
        return _register_page({**request.form.to_dict(), **body}, problem)
    flash(_("The innovation is registered."))
    return redirect(url_for("innov.page", innovation_id=created["id"]))


def anchor(path: str) -> str:
    """The id of the field an error path names (the path itself; others go to the top)."""
    return path if path and path[0].isalpha() and " " not in path else "form-top"


def _page(
    innovation: dict[str, Any],
    problem: ApiProblem | None = None,
    part: str = "",
    values: dict[str, Any] | None = None,
) -> Any:
    status = 422 if problem and problem.errors else (problem.status if problem else 200)
    page = render_template(
        "innovations/page.html",
        innovation=innovation,
        choices=forms.choices(),
        writer=_user().role in WRITERS,
        problem=problem,
        errors=problem.errors if problem else {},
        part=part,
        values=values or {},
        anchor=anchor,
    )
    return page, status


@bp.get("/<innovation_id>")
@signed_in("opd", "admin", "assessor", "viewer")
def page(innovation_id: str) -> Any:
    return _page(clients().innovation.innovation(_user().region, innovation_id))


READERS = {
    "profile": ("", lambda f: forms.read_profile(f, editing=True)),
    "stage": ("stage", forms.read_stage),
    "milestone": ("milestones", forms.read_milestone),
}
STALE = (
    "Someone changed this innovation after you opened the page, so your change was not saved. "
    "Check the page as it is now and send it again."
)
DONE = {
    "profile": "The profile is saved.",
    "stage": "The stage is changed.",
    "milestone": "The milestone is added.",
}


@bp.post("/<innovation_id>/<part>")
@signed_in(*WRITERS)
def change(innovation_id: str, part: str) -> Any:
    """One of the page's forms: `profile`, `stage` or `milestone`."""
    if part not in READERS:
        abort(404)
    action, read = READERS[part]
    return _write(innovation_id, part, action, read(request.form))


@bp.post("/<innovation_id>/milestones/<milestone_id>/complete")
@signed_in(*WRITERS)
def complete(innovation_id: str, milestone_id: str) -> Any:
    return _write(innovation_id, "milestones", f"milestones/{milestone_id}/complete", {})


def _write(innovation_id: str, part: str, action: str, body: dict[str, Any]) -> Any:
    api, region = clients().innovation, _user().region
    raw = request.form.get("revision", "")
    revision = int(raw) if raw.isdigit() else None
    try:
        api.change(region, innovation_id, action, body, revision)
    except ApiProblem as problem:
        current = api.innovation(region, innovation_id)
        if problem.status == 412:  # the page was older than the innovation (If-Match)
            problem.detail = _(STALE)
        return _page(current, problem, part, request.form.to_dict())
    flash(_(DONE.get(part, "The milestone is done.")))
    return redirect(url_for("innov.page", innovation_id=innovation_id))
