"""Diskominfo admins: the region's cycles and who has submitted."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

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
    return render_template("admin/dashboard.html", cycles=cycles)
