"""Export of a compliance report: rows, CSV text (RFC 4180) or XLSX bytes. Pure, no I/O.

Columns are HEADER; one row per unit in the report's order, then a last row with `TOTAL` in the
unit column holding the region totals (required, counted and shortfall over non-exempt units,
exempt = the number of exempt units). Every row is written through
`smartcity_shared.spreadsheet.safe_row`: formula-like text is written as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

from openpyxl import Workbook
from openpyxl.styles import Font

from smartcity_shared.spreadsheet import safe_row

from .quota import ComplianceReport, UnitCompliance

HEADER = (
    "unit",
    "unit_name",
    "required",
    "counted",
    "shortfall",
    "exempt",
    "status",
    "registered",
    "initiative",
    "trial",
    "implemented",
    "discontinued",
)
TOTAL = "TOTAL"

Cell = str | int


def compliance_rows(
    report: ComplianceReport, unit_names: Mapping[str, str] | None = None
) -> list[list[Cell]]:
    """HEADER, one row per unit, then the TOTAL row. `unit_names` maps codes to names."""
    names = unit_names or {}
    rows: list[list[Cell]] = [list(HEADER)]
    rows += [_unit_row(row, names.get(row.unit, "")) for row in report.units]
    rows.append(_total_row(report))
    return [safe_row(row) for row in rows]


def _unit_row(row: UnitCompliance, name: str) -> list[Cell]:
    stages = [row.by_stage.get(s, 0) for s in HEADER[8:]]
    exempt = "yes" if row.exempt else "no"
    head: list[Cell] = [row.unit, name, row.required, row.counted]
    return [*head, row.shortfall, exempt, row.status.value, row.registered, *stages]


def _total_row(report: ComplianceReport) -> list[Cell]:
    t = report.totals
    stages = [sum(r.by_stage.get(s, 0) for r in report.units) for s in HEADER[8:]]
    registered = sum(r.registered for r in report.units)
    head: list[Cell] = [TOTAL, f"{t.units} units", t.required, t.counted, t.shortfall]
    return [*head, t.exempt_units, "", registered, *stages]


def compliance_csv(report: ComplianceReport, unit_names: Mapping[str, str] | None = None) -> str:
    """The rows as CSV text with CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(compliance_rows(report, unit_names))
    return buffer.getvalue()


def compliance_xlsx(report: ComplianceReport, unit_names: Mapping[str, str] | None = None) -> bytes:
    """An XLSX workbook: sheet `compliance` (the rows) and sheet `about` (region, year, policy)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "compliance"
    for row in compliance_rows(report, unit_names):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    about = workbook.create_sheet("about")
    for key, value in _about(report):
        about.append(safe_row([key, value]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _about(report: ComplianceReport) -> list[tuple[str, Cell]]:
    return [
        ("region", report.region),
        ("year", report.year),
        ("as_of", report.as_of.isoformat()),
        ("deadline", report.deadline.isoformat()),
        ("required_per_unit", report.required_per_unit),
        ("min_stage", report.min_stage.value),
        ("unlisted_units", ", ".join(report.unlisted_units)),
    ]
