"""Scorecard endpoints: per submission and per cycle (JSON, XLSX, SVG radar), the region's
trend over the years, and the ranking of regions for assessors."""

from __future__ import annotations

import re
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from smartcity_shared.http.auth import current_identity, requires
from smartcity_shared.http.responses import file_doc

from .. import exports, scorecards, trend_export, trends
from .common import ctx, download
from .responses_results import (
    CycleScorecardOut,
    RegionRankingOut,
    SubmissionScorecardOut,
    TrendOut,
)

blp = Blueprint("scorecards", __name__, description="Scorecards, trends, rankings and exports")


class TrendQuery(Schema):
    framework = fields.String(required=True, metadata={"description": "framework key"})
    unit = fields.String(load_default=None, metadata={"description": "one participant"})


class RankingQuery(Schema):
    framework = fields.String(required=True)
    year = fields.Integer(required=True, validate=validate.Range(1900, 2199))


def _name(cycle_id: str, *parts: str) -> str:
    return "-".join([cycle_id.replace(":", "-"), *parts])


@blp.route("/cycles/<cycle_id>/scorecard")
class CycleScorecard(MethodView):
    @requires()
    @blp.response(200, CycleScorecardOut)
    def get(self, cycle_id: str) -> Any:
        """The cycle's scorecard.

        Aggregate (unweighted mean of participants), per dimension, band, ranking of
        participants and change from the previous published year. Before publication only
        assessors and the admin may read it; after it every role of the region.
        """
        return scorecards.cycle_scorecard(ctx(), current_identity(), cycle_id)


@blp.route("/cycles/<cycle_id>/scorecard.xlsx")
class CycleWorkbook(MethodView):
    @requires()
    @blp.doc(**file_doc(exports.XLSX, description="The cycle's workbook"))
    def get(self, cycle_id: str) -> Any:
        """The cycle's scorecard as an Excel workbook.

        Sheets Summary (ranking, dimensions) and Indicators (final and self-assessed). The
        same readers as the JSON scorecard.
        """
        content = exports.cycle_workbook(ctx(), current_identity(), cycle_id)
        return download(content, exports.XLSX, _name(cycle_id, "scorecard.xlsx"))


@blp.route("/cycles/<cycle_id>/scorecard.svg")
class CycleRadar(MethodView):
    @requires()
    @blp.doc(**file_doc(exports.SVG, description="The cycle's radar chart"))
    def get(self, cycle_id: str) -> Any:
        """Radar chart of the cycle's dimensions (SVG).

        The cycle's dimensions as an SVG radar. The same readers as the JSON scorecard.
        """
        svg = exports.cycle_radar(ctx(), current_identity(), cycle_id)
        return download(svg, exports.SVG, _name(cycle_id, "radar.svg"))


@blp.route("/cycles/<cycle_id>/submissions/<unit>/scorecard")
class SubmissionScorecard(MethodView):
    @requires()
    @blp.response(200, SubmissionScorecardOut)
    def get(self, cycle_id: str, unit: str) -> Any:
        """One OPD's scorecard.

        Self-assessed vs verified (final) vs difference: overall, band, per dimension,
        indicator, tag (e.g. pillar) and question. Reviewers and the owning OPD read it;
        other roles of the region once it is final and the cycle published (404 otherwise).
        """
        return scorecards.submission_scorecard(ctx(), current_identity(), cycle_id, unit)


@blp.route("/cycles/<cycle_id>/submissions/<unit>/scorecard.xlsx")
class SubmissionWorkbook(MethodView):
    @requires()
    @blp.doc(**file_doc(exports.XLSX, description="The submission's workbook"))
    def get(self, cycle_id: str, unit: str) -> Any:
        """An OPD's scorecard as an Excel workbook.

        The same rows and readers as the OPD's JSON scorecard.
        """
        content = exports.submission_workbook(ctx(), current_identity(), cycle_id, unit)
        return download(content, exports.XLSX, _name(cycle_id, unit, "scorecard.xlsx"))


@blp.route("/cycles/<cycle_id>/submissions/<unit>/scorecard.svg")
class SubmissionRadar(MethodView):
    @requires()
    @blp.doc(**file_doc(exports.SVG, description="The submission's radar chart"))
    def get(self, cycle_id: str, unit: str) -> Any:
        """An OPD's scorecard as an SVG chart.

        The OPD's dimensions as an SVG radar; the same readers as its JSON scorecard.
        """
        svg = exports.submission_radar(ctx(), current_identity(), cycle_id, unit)
        return download(svg, exports.SVG, _name(cycle_id, unit, "radar.svg"))


@blp.route("/regions/<region>/trend")
class Trend(MethodView):
    @requires()
    @blp.arguments(TrendQuery, location="query")
    @blp.response(200, TrendOut)
    def get(self, query: dict[str, Any], region: str) -> Any:
        """The region's score year on year.

        One point per year from published cycles (assessors and the admin see all) with the
        change from the year before and the dimensions and indicators new or dropped across
        framework versions. Any role of the region.
        """
        return trends.region_trend(
            ctx(), current_identity(), region, query["framework"], query["unit"]
        )


@blp.route("/regions/<region>/trend.xlsx")
class TrendWorkbook(MethodView):
    @requires()
    @blp.arguments(TrendQuery, location="query")
    @blp.doc(**file_doc(exports.XLSX, description="The region's trend workbook"))
    def get(self, query: dict[str, Any], region: str) -> Any:
        """The region's trend as an Excel workbook.

        Sheets Summary (years as columns; overall, band and each dimension by stable key,
        marked new / dropped) and Indicators (every indicator of any version, with its value
        in each year it existed). The same readers as the JSON trend.
        """
        content = trend_export.trend_workbook(
            ctx(), current_identity(), region, query["framework"], query["unit"]
        )
        parts = [region, query["framework"], *([query["unit"]] if query["unit"] else [])]
        name = re.sub(r"[^A-Za-z0-9_-]+", "-", "-".join(parts))  # query text: keep it tame
        return download(content, exports.XLSX, f"{name}-trend.xlsx")


@blp.route("/rankings/regions")
class RegionRanking(MethodView):
    @requires()
    @blp.arguments(RankingQuery, location="query")
    @blp.response(200, RegionRankingOut)
    def get(self, query: dict[str, Any]) -> Any:
        """Regions ranked by their cycle aggregate.

        An assessor sees every region it is given (`*`: all); other roles only their own
        region's published result.
        """
        return trends.region_ranking(ctx(), current_identity(), query["framework"], query["year"])
