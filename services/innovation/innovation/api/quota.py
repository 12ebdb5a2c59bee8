"""Quota policy per region and year (admins set it) and the compliance report, as JSON, CSV or
XLSX (`?format=csv|xlsx`, or the `.csv` / `.xlsx` paths). Reads: every role of the region."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from smartcity_shared.errors import ValidationProblem
from smartcity_shared.http.auth import requires
from smartcity_shared.http.responses import file_doc

from .. import compliance as uc
from .. import views
from ..domain.export import compliance_csv, compliance_xlsx
from . import examples as ex
from .common import cid, ctx, if_match, respond, who
from .schemas import FormatQuery, PolicyIn, PolicyOut

blp = Blueprint(
    "quota",
    __name__,
    url_prefix="/regions/<region>/quota",
    description="Innovation quota per region and year, and the OPDs' compliance",
)
Doc = dict[str, Any]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise ValidationProblem({"year": ["Must be between 2000 and 2100."]})
    return year


@blp.route("/<int:year>")
class Policy(MethodView):
    @requires()
    @blp.response(200, PolicyOut, example=ex.POLICY_OUT)
    def get(self, region: str, year: int) -> Any:
        """The policy set for the year, or the default (`is_default`: 3 per OPD, trial).

        Any role of the region: how many innovations each OPD needs, from which stage they
        count, which OPDs are exempt and the deadline.
        """
        return respond(uc.policy_view(ctx(), who(), region, _year(year)), views.policy)

    @requires("admin")
    @blp.arguments(PolicyIn, example=ex.POLICY)
    @blp.response(200, PolicyOut, example=ex.POLICY_OUT)
    def put(self, body: Doc, region: str, year: int) -> Any:
        """Set the policy (absent fields take the defaults); emits `quota.policy_set`.

        The region's admin only. Replaces the year's policy as a whole; accepts `If-Match`.
        """
        uc.set_policy(ctx(), who(), region, _year(year), body, if_match(), cid())
        return respond(uc.policy_view(ctx(), who(), region, year), views.policy)


def _export(region: str, year: int, fmt: str) -> Any:
    report, names = uc.report(ctx(), who(), region, _year(year))
    filename = f"compliance-{region}-{year}"
    if fmt == "csv":
        return Response(
            compliance_csv(report, names),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
        )
    if fmt == "xlsx":
        return Response(
            compliance_xlsx(report, names),
            mimetype=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{filename}.xlsx"'},
        )
    return views.compliance_report(report, names)


@blp.route("/<int:year>/compliance")
class Compliance(MethodView):
    @requires()
    @blp.arguments(FormatQuery, location="query")
    @blp.response(200)
    def get(self, query: Doc, region: str, year: int) -> Any:
        """Quota compliance of the year per OPD.

        Any role of the region. Every active OPD (also those with no innovation): counted,
        required, shortfall, status on the region's today; region totals. `?format=csv` or
        `xlsx` downloads the same table.
        """
        return _export(region, year, query["format"])


@blp.route("/<int:year>/compliance.csv")
class ComplianceCsv(MethodView):
    @requires()
    @blp.doc(**file_doc("text/csv", description="The compliance report as CSV"))
    def get(self, region: str, year: int) -> Any:
        """The year's quota compliance per OPD as CSV.

        Any role of the region; the same rows as the JSON report.
        """
        return _export(region, year, "csv")


@blp.route("/<int:year>/compliance.xlsx")
class ComplianceXlsx(MethodView):
    @requires()
    @blp.doc(**file_doc(XLSX, description="The compliance report as a workbook"))
    def get(self, region: str, year: int) -> Any:
        """The year's quota compliance per OPD as an Excel workbook.

        Any role of the region; the same rows as the JSON report.
        """
        return _export(region, year, "xlsx")
