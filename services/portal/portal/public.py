"""Public pages of a region (published results)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from .session import clients, signed_in

bp = Blueprint("public", __name__, url_prefix="/public")


@bp.get("/<region>")
@signed_in()
def region(region: str) -> Any:
    cycles = [c for c in clients().evaluation.cycles(region) if c.get("published")]
    return render_template("public/region.html", region=region, cycles=cycles)
