"""Maturity (0-100, the regional innovation index's predicates) per OPD and region, and
innovation stats year on year; the OPDs this service knows from the directory."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from smartcity_shared.http.auth import requires

from .. import insights as uc
from .. import repository as repo
from ..access import require_visible
from ..domain.maturity import EVIDENCE_POINTS, STAGE_POINTS, VERIFIED_POINTS
from ..views import jsonable
from .common import ctx, who
from .schemas import StatsQuery, YearQuery

blp = Blueprint(
    "insights",
    __name__,
    url_prefix="/regions/<region>",
    description="Maturity per OPD and region, stats per pillar, type and stage",
)
Doc = dict[str, Any]
FORMULA = {
    "stage_points": {stage.value: points for stage, points in STAGE_POINTS.items()},
    "evidence_points": EVIDENCE_POINTS,
    "verified_points": VERIFIED_POINTS,
    "rule": "unit score = sum of points of its active innovations of the year / max(quota, "
    "their number); region = mean over non-exempt OPDs; no evidenced innovation = 0",
}


def _year(region: str, query: Doc) -> int:
    return int(query.get("year") or ctx().today(region).year)


@blp.route("/maturity")
class RegionMaturity(MethodView):
    @requires()
    @blp.arguments(YearQuery, location="query")
    @blp.response(200)
    def get(self, query: Doc, region: str) -> Any:
        """Innovation maturity per OPD of the region.

        Any role of the region. A 0-100 score per OPD from the regional innovation index's
        predicates, for `year` (default this year).
        """
        found = uc.region_score(ctx(), who(), region, _year(region, query))
        names = repo.unit_names(ctx().db, region)
        body = jsonable(found)
        for unit in body["units"]:
            unit["unit_name"] = names.get(unit["unit"], unit["unit"])
        return {**body, "formula": FORMULA}


@blp.route("/units/<unit>/maturity")
class UnitMaturity(MethodView):
    @requires()
    @blp.arguments(YearQuery, location="query")
    @blp.response(200)
    def get(self, query: Doc, region: str, unit: str) -> Any:
        """Innovation maturity of one OPD.

        Any role of the region; the OPD's score for `year` (default this year) (0-100).
        """
        found = uc.unit_score(ctx(), who(), region, unit, _year(region, query))
        return {**jsonable(found), "formula": FORMULA}


@blp.route("/stats")
class Stats(MethodView):
    @requires()
    @blp.arguments(StatsQuery, location="query")
    @blp.response(200)
    def get(self, query: Doc, region: str) -> Any:
        """Innovation statistics year on year.

        Any role of the region. Counts per pillar, type, form, initiator and stage for each
        year, with the change from the previous year (`?from=2019&to=2020&unit=dinkes`).
        """
        years = uc.stats(
            ctx(), who(), region, query.get("unit"), query.get("from_year"), query.get("to_year")
        )
        return {"region": region, "unit": query.get("unit"), "years": jsonable(years)}


@blp.route("/units")
class Units(MethodView):
    @requires()
    @blp.response(200)
    def get(self, region: str) -> Any:
        """The region's OPDs as this service knows them (its copy of the directory).

        Any role of the region. The evaluation service owns the directory; this copy is
        kept from its `smartcity.directory.unit.upserted` events.
        """
        require_visible(who(), region)
        units = repo.active_units(ctx().db, region)
        return [{"code": u["code"], "name": u["name"], "active": u["active"]} for u in units]
