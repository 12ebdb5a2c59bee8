"""Diskominfo admins' reading pages: the trend of a framework across years (an inline SVG chart
and the same numbers in a table, the API's workbook passed through), the region's directory
(units and people) and the frameworks (one version's dimensions, indicators, questions, bands
and weights). Everything shown is what the evaluation API answers."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .clients import ApiProblem
from .session import clients, current_user, signed_in
from .trend_chart import chart

bp = Blueprint("insight", __name__, url_prefix="/admin")


def _region() -> str:
    user = current_user()
    assert user is not None
    return user.region


def _latest_document(framework: dict[str, Any]) -> dict[str, Any]:
    version = framework.get("published_version") or framework.get("latest_version")
    if not version:
        return {}
    found = clients().evaluation.framework_version(framework["key"], int(version))
    return found.get("document") or {}


@bp.get("/trend")
@signed_in("admin")
def trend() -> Any:
    api = clients().evaluation
    frameworks = api.frameworks()
    key = request.args.get("framework", "")
    chosen = next((f for f in frameworks if f.get("key") == key), None)
    if key and chosen is None:
        abort(404)
    data, drawn, labels = None, None, {}
    if chosen:
        data = api.trend(_region(), key)
        document = _latest_document(chosen)
        labels = {d["key"]: d.get("name", d["key"]) for d in document.get("dimensions", [])}
        drawn = chart(data.get("points", []), labels, document.get("scale_max"))
    return render_template(
        "admin/trend.html",
        frameworks=frameworks,
        chosen=chosen,
        data=data,
        chart=drawn,
        labels=labels,
    )


@bp.get("/trend.xlsx")
@signed_in("admin")
def trend_xlsx() -> Response:
    key = request.args.get("framework", "")
    if not key:
        abort(400)
    answer = clients().evaluation.trend_xlsx(_region(), key)
    headers = {}
    if "Content-Disposition" in answer.headers:
        headers["Content-Disposition"] = answer.headers["Content-Disposition"]
    return Response(
        answer.content,
        mimetype=answer.headers.get("Content-Type", "application/octet-stream"),
        headers=headers,
    )


PERSON_FIELDS = ("name", "email", "role", "unit", "language")
ROLES = ("opd", "assessor", "viewer", "admin")


def _directory_page(values: dict[str, str], problem: ApiProblem | None) -> Any:
    api = clients().evaluation
    units = api.units(_region())
    errors = dict(problem.errors) if problem else {}
    page = render_template(
        "admin/directory.html",
        units=units,
        people=api.people(_region()),
        names={u.get("code"): u.get("name") for u in units},
        roles=ROLES,
        values=values,
        problem=problem,
        errors=errors,
        labels={"name": _("Name"), "email": _("E-mail"), "role": _("Role"), "unit": _("Unit")},
        anchor=lambda path: path.split(".")[0],
    )
    return page, ((409 if problem.status == 409 else 422) if problem else 200)


@bp.get("/directory")
@signed_in("admin")
def directory() -> Any:
    return _directory_page({"role": "opd", "language": "id"}, None)


@bp.post("/people")
@signed_in("admin")
def add_person() -> Any:
    values = {k: request.form.get(k, "").strip() for k in PERSON_FIELDS}
    try:
        clients().evaluation.add_person(_region(), values)
    except ApiProblem as problem:  # the API's 422 (or 409: the e-mail is taken) at the field
        if problem.status in (404, 409) and not problem.errors:  # no such unit; a clash
            field = "unit" if problem.status == 404 else "email"
            problem.errors = {field: [problem.detail or problem.title]}
        return _directory_page(values, problem)
    flash(_("The person is added; the accounts service sends them an invitation."))
    return redirect(url_for("insight.directory"))


@bp.get("/frameworks")
@signed_in("admin")
def frameworks() -> Any:
    return render_template("admin/frameworks.html", frameworks=clients().evaluation.frameworks())


@bp.get("/frameworks/<key>/versions/<int:version>")
@signed_in("admin")
def framework_version(key: str, version: int) -> Any:
    found = clients().evaluation.framework_version(key, version)
    return render_template("admin/framework.html", found=found, doc=found.get("document") or {})
