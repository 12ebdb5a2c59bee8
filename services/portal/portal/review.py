"""Assessors: the review queue by region, cycle and state."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from .clients import ApiProblem
from .session import clients, current_user, signed_in

bp = Blueprint("review", __name__, url_prefix="/review")


def _regions() -> list[str]:
    user = current_user()
    assert user is not None
    if user.region != "*":
        return [user.region]
    return [r["region_id"] for r in clients().evaluation.get("/regions")]


@bp.get("/")
@signed_in("assessor", "admin")
def queue() -> Any:
    api = clients().evaluation
    state = request.args.get("state", "")
    rows = []
    for region in _regions():
        for cycle in api.cycles(region):
            if cycle.get("phase") == "closed":
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
    return render_template("review/queue.html", rows=rows, state=state)
