"""OPD staff: the self-assessment form (draft, check your answers, submit).

Every decision is the evaluation API's: which actions are allowed now (`allowed_actions`),
whether an answer is valid, what is missing on submit (422 `errors` shown at their fields).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from . import forms
from .clients import ApiProblem, EvaluationClient
from .session import clients, current_user, signed_in

bp = Blueprint("opd", __name__, url_prefix="/opd")


def _unit() -> str:
    user = current_user()
    return user.unit if user else ""


def _load(api: EvaluationClient, cycle_id: str) -> tuple[dict[str, Any], ...]:
    cycle = api.cycle(cycle_id)
    framework = api.framework_version(cycle["framework_key"], cycle["framework_version"])
    submission = api.submission(cycle_id, _unit())
    return cycle, framework["document"], submission


def _form_page(
    cycle: dict[str, Any],
    document: dict[str, Any],
    submission: dict[str, Any],
    problem: ApiProblem | None = None,
    values: dict[str, Any] | None = None,
) -> Any:
    shown = values or {
        "answers": submission.get("answers", {}),
        "evidence": submission.get("evidence", {}),
    }
    status = 422 if problem and problem.errors else (problem.status if problem else 200)
    return (
        render_template(
            "opd/form.html",
            cycle=cycle,
            document=document,
            submission=submission,
            items=list(forms.items(document)),
            answers=shown["answers"],
            evidence=shown["evidence"],
            problem=problem,
            errors=problem.errors if problem else {},
            anchor=forms.error_anchor,
            option_value=forms.option_value,
        ),
        status,
    )


@bp.get("/cycles/<cycle_id>")
@signed_in("opd")
def form(cycle_id: str) -> Any:
    cycle, document, submission = _load(clients().evaluation, cycle_id)
    return _form_page(cycle, document, submission)


@bp.post("/cycles/<cycle_id>")
@signed_in("opd")
def save(cycle_id: str) -> Any:
    api = clients().evaluation
    cycle, document, submission = _load(api, cycle_id)
    body = forms.read_form(document, request.form)
    revision = int(request.form.get("revision") or submission["revision"])
    htmx = request.headers.get("HX-Request") == "true"
    try:
        saved = api.save_draft(cycle_id, _unit(), body, revision)
    except ApiProblem as problem:
        if htmx:
            return render_template("opd/_saved.html", problem=problem, saved=None), 200
        return _form_page(cycle, document, submission, problem, body)
    if htmx:  # with the questions the saved answers now hide (the API's skip logic)
        hidden = api.submission(cycle_id, _unit()).get("hidden_questions", [])
        return render_template("opd/_saved.html", problem=None, saved=saved, hidden=hidden)
    if request.form.get("action") == "check":
        return redirect(url_for("opd.check", cycle_id=cycle_id))
    flash(_("Draft saved."))
    return redirect(url_for("opd.form", cycle_id=cycle_id))


@bp.get("/cycles/<cycle_id>/check")
@signed_in("opd")
def check(cycle_id: str) -> Any:
    cycle, document, submission = _load(clients().evaluation, cycle_id)
    return render_template(
        "opd/check.html",
        cycle=cycle,
        submission=submission,
        items=list(forms.items(document)),
        shown=forms.shown_value,
    )


@bp.post("/cycles/<cycle_id>/submit")
@signed_in("opd")
def submit(cycle_id: str) -> Any:
    api = clients().evaluation
    revision = int(request.form.get("revision", "0"))
    try:
        api.submit(cycle_id, _unit(), revision)
    except ApiProblem as problem:
        cycle, document, submission = _load(api, cycle_id)
        return _form_page(cycle, document, submission, problem)
    flash(_("Your self-assessment has been submitted."))
    return redirect(url_for("opd.form", cycle_id=cycle_id))
