"""Public pages, for everyone without signing in: the regions, and per region its published
scorecards (score, band, dimensions, radar), read with the portal's own viewer token."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template

from .clients import ApiProblem, EvaluationClient

bp = Blueprint("public", __name__, url_prefix="/public")


def _api() -> EvaluationClient:
    ext = current_app.extensions["portal"]
    return EvaluationClient(
        ext.api_urls["evaluation"], ext.public_token.get(), ext.timeout_s, ext.http
    )


@bp.get("/")
def regions() -> Any:
    listed = [r for r in _api().get("/regions") if r.get("active", True)]
    return render_template("public/regions.html", regions=listed)


@bp.get("/<region>")
def region(region: str) -> Any:
    api = _api()
    info = api.get(f"/regions/{region}")
    published = [c for c in api.cycles(region) if c.get("published")]  # newest year first
    # The newest year's scorecards in full; earlier years by the headline each cycle keeps.
    newest = published[0]["year"] if published else None
    cards = [
        {"cycle": c, "card": api.scorecard(c["id"]) if c["year"] == newest else None}
        for c in published
    ]
    return render_template("public/region.html", region=info, cards=cards)


@bp.get("/<region>/cycles/<cycle_id>/radar.svg")
def radar(region: str, cycle_id: str) -> Response:
    api = _api()
    if not api.cycle(cycle_id).get("published") or not cycle_id.startswith(f"{region}:"):
        abort(404)
    try:
        svg = api.radar_svg(cycle_id)
    except ApiProblem:
        abort(404)
    return Response(svg, mimetype="image/svg+xml")
