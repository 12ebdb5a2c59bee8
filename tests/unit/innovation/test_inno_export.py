"""Export of a compliance report as rows, CSV and XLSX."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from innovation.domain.export import (
    HEADER,
    compliance_csv,
    compliance_rows,
    compliance_xlsx,
)
from innovation.domain.quota import ComplianceReport, QuotaPolicy, compliance
from innovation.domain.vocab import Stage
from tests.unit.innovation.inno_factories import REGION, make_innovation

NAMES = {"dinkes": "Dinas Kesehatan", "dpupr": '=HYPERLINK("http://evil")'}


def report() -> ComplianceReport:
    policy = QuotaPolicy(REGION, 2020, exempt_units=frozenset({"setwan"}))
    innovations = [
        make_innovation("a", unit="dinkes", stage=Stage.TRIAL),
        make_innovation("b", unit="dinkes", stage=Stage.INITIATIVE),
    ]
    return compliance(policy, ["dinkes", "dpupr", "setwan"], innovations, date(2020, 6, 30))


def test_rows_have_a_header_one_line_per_unit_and_totals() -> None:
    rows = compliance_rows(report(), NAMES)
    assert rows[0] == list(HEADER)
    assert rows[1] == ["dinkes", "Dinas Kesehatan", 3, 1, 2, "no", "on_track", 2, 1, 1, 0, 0]
    assert rows[2][:7] == ["dpupr", '\'=HYPERLINK("http://evil")', 3, 0, 3, "no", "at_risk"]
    assert rows[3][:7] == ["setwan", "", 0, 0, 0, "yes", "exempt"]
    assert rows[4] == ["TOTAL", "3 units", 6, 1, 5, 1, "", 2, 1, 1, 0, 0]


def test_csv_round_trips() -> None:
    text = compliance_csv(report(), NAMES)
    assert text.endswith("\r\n")
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed == [[str(cell) for cell in row] for row in compliance_rows(report(), NAMES)]


def test_xlsx_holds_the_rows_and_the_policy() -> None:
    workbook = load_workbook(io.BytesIO(compliance_xlsx(report(), NAMES)))
    sheet = workbook["compliance"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values == [
        [c if c != "" else None for c in row] for row in compliance_rows(report(), NAMES)
    ]
    assert sheet["B3"].data_type == "s"  # the formula-like name stays text
    about = dict(workbook["about"].iter_rows(values_only=True))
    assert about["min_stage"] == "trial" and about["deadline"] == "2020-12-31"
