"""A region's trend across framework versions as an XLSX workbook.

Summary: overall, band, framework version and scale, then one row per dimension by stable key;
Indicators: one row per indicator of any version. One column per year, each value reported on
that year's own scale (as it was published). A key that only some years' versions have is
marked (`new 2020`, `dropped 2020`) and keeps its value in the years it had one, so an export
across versions loses no data. Who may read it is who may read the JSON trend.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook

from smartcity_shared.identity import Identity

from .common import require_visible
from .domain import presence
from .exports import add_sheet, workbook_bytes
from .scorecards import number
from .trends import TrendYear, comparable_years

if TYPE_CHECKING:
    from .bootstrap import Context


def trend_workbook(
    c: Context, who: Identity, region: str, framework_key: str, unit: str | None
) -> bytes:
    """Summary and Indicators sheets of the trend (the cycle aggregate, or `unit`'s own)."""
    require_visible(who, region)
    years = comparable_years(c, who, region, framework_key, unit)
    columns = [year.cycle["year"] for year in years]
    book = Workbook()
    info = [
        ("Region", region),
        ("Framework", framework_key),
        ("Participant", unit or "all (cycle aggregate)"),
        (),
    ]
    add_sheet(book, "Summary", [*info, ["Key", "Name", "Status", *columns]], _summary(years))
    head = ["Dimension", "Indicator", "Name", "Status", *columns]
    add_sheet(book, "Indicators", [head], _indicators(years))
    return workbook_bytes(book)


def _values(years: list[TrendYear], scores: Iterable[Fraction | None]) -> list[float | None]:
    return [number(s, year.framework.scale_max) for year, s in zip(years, scores, strict=True)]


def _summary(years: list[TrendYear]) -> list[list[Any]]:
    rows: list[list[Any]] = [
        ["overall", "Overall", "", *_values(years, (y.overall for y in years))],
        ["band", "Band", "", *(y.band for y in years)],
        ["framework_version", "Framework version", "", *(y.framework.version for y in years)],
        ["scale_max", "Scale", "", *(number(Fraction(1), y.framework.scale_max) for y in years)],
    ]
    names = {d.key: d.name for y in years for d in y.framework.dimensions}  # the latest name
    notes = presence([(y.cycle["year"], y.framework.dimension_keys) for y in years])
    for key, note in notes.items():
        values = _values(years, (y.dimensions.get(key) for y in years))
        rows.append([key, names[key], note, *values])
    return rows


def _indicators(years: list[TrendYear]) -> list[list[Any]]:
    found: dict[str, tuple[str, str]] = {}  # indicator key -> (dimension key, name), latest
    for year in years:
        for dimension, indicator in year.framework.indicators():
            found[indicator.key] = (dimension.key, indicator.name)
    notes = presence([(y.cycle["year"], y.framework.indicator_keys) for y in years])
    rows = []
    for key, note in notes.items():
        dimension_key, name = found[key]
        values = _values(years, (y.indicators.get(key) for y in years))
        rows.append([dimension_key, key, name, note, *values])
    return rows
