"""Exports of scorecards: an XLSX workbook (summary + per-indicator sheet) and an SVG radar
chart of the dimensions (a hand-written SVG string). Access is that of the JSON scorecards."""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Font

from smartcity_shared.identity import Identity
from smartcity_shared.spreadsheet import safe_row

from .common import Doc
from .scorecards import cycle_scorecard, final_cards, framework_for, number, submission_scorecard
from .submissions import cycle_of

if TYPE_CHECKING:
    from .bootstrap import Context

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SVG = "image/svg+xml"
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c")


def add_sheet(
    book: Workbook, title: str, head: Sequence[Sequence[Any]], rows: Iterable[Sequence[Any]]
) -> None:
    """A sheet: `head` lines (labels in bold; the last one is the table header), then rows;
    every cell through `safe_row` (formula-like text written as text)."""
    sheet = book.create_sheet(title)
    for n, line in enumerate(head):
        sheet.append(safe_row(line))
        bold = sheet[sheet.max_row] if n == len(head) - 1 else sheet[sheet.max_row][:1]
        for cell in bold if line else ():
            cell.font = Font(bold=True)
    for row in rows:
        sheet.append(safe_row(row))


def workbook_bytes(book: Workbook) -> bytes:
    del book[book.sheetnames[0]]  # the empty default sheet
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cycle_workbook(c: Context, who: Identity, cycle_id: str) -> bytes:
    """Summary (headline, ranking with dimensions) and Indicators (final and self per
    participant) of a cycle."""
    card = cycle_scorecard(c, who, cycle_id)
    dims = list(card["labels"]["dimensions"].items())
    book = Workbook()
    info = [
        ("Cycle", card["name"]),
        ("Region", card["region"]),
        ("Year", card["year"]),
        ("Framework", f"{card['framework']['key']} v{card['framework']['version']}"),
        ("Overall", card["overall"]),
        ("Band", card["band"]),
        ("Change from previous year", card["delta"]),
        ("Participants scored", card["participants"]),
        (),
    ]
    header = ["Rank", "Unit", "Unit name", "Overall", "Band", "Self overall", "Difference"]
    rows = [
        [
            r["rank"],
            r["unit"],
            r["unit_name"],
            r["overall"],
            r["band"],
            r["self_overall"],
            r["difference"],
        ]
        + [r["dimensions"].get(key) for key, _ in dims]
        for r in card["ranking"]
    ]
    add_sheet(book, "Summary", [*info, header + [name for _, name in dims]], rows)
    head, indicator_rows = _indicator_table(c, cycle_of(c, who, cycle_id))
    add_sheet(book, "Indicators", [head], indicator_rows)
    return workbook_bytes(book)


def _indicator_table(c: Context, cycle: Doc) -> tuple[list[str], list[list[Any]]]:
    """One row per indicator of the cycle's framework: final, then self, per participant."""
    framework = framework_for(c, cycle)
    cards = final_cards(c, cycle)
    units = sorted(cards)
    scale = framework.scale_max
    head = ["Dimension", "Indicator", "Name", "Tags"]
    head += [f"{u} final" for u in units] + [f"{u} self" for u in units]
    rows = []
    for dimension, indicator in framework.indicators():
        tags = ", ".join(f"{k}={v}" for k, v in indicator.tags.items())
        finals = [number(cards[u][1].final.indicators.get(indicator.key), scale) for u in units]
        selfs = [
            number(cards[u][1].self_assessed.indicators.get(indicator.key), scale) for u in units
        ]
        rows.append([dimension.key, indicator.key, indicator.name, tags, *finals, *selfs])
    return head, rows


def submission_workbook(c: Context, who: Identity, cycle_id: str, code: str) -> bytes:
    """Summary (overall and dimensions: self, final, difference) and Indicators of one
    participant."""
    card = submission_scorecard(c, who, cycle_id, code)
    names = card["labels"]
    self_set, final, diff = card["self"], card["final"], card["difference"]
    info = [
        ("Unit", f"{card['unit_name']} ({card['unit']})"),
        ("Cycle", card["cycle_id"]),
        ("Year", card["year"]),
        ("State", card["state"]),
        ("Overall (final)", final["overall"]),
        ("Band (final)", final["band"]),
        ("Overall (self)", self_set["overall"]),
        ("Difference", diff["overall"]),
    ]
    dims = [
        [
            key,
            name,
            self_set["dimensions"].get(key),
            final["dimensions"].get(key),
            diff["dimensions"].get(key),
        ]
        for key, name in names["dimensions"].items()
    ]
    head = ["Dimension", "Name", "Self", "Final", "Difference"]
    book = Workbook()
    add_sheet(book, "Summary", [*info, (), head], dims)
    rows = [
        [
            key,
            name,
            self_set["indicators"].get(key),
            final["indicators"].get(key),
            diff["indicators"].get(key),
        ]
        for key, name in names["indicators"].items()
    ]
    add_sheet(book, "Indicators", [["Indicator", "Name", "Self", "Final", "Difference"]], rows)
    return workbook_bytes(book)


def radar_svg(
    title: str, axes: Sequence[tuple[str, str]], series: Sequence[tuple[str, Doc]], scale_max: float
) -> str:
    """A radar chart: one axis per dimension (key, label), one polygon per series (name,
    {key: reported value}); missing values are drawn at the centre."""
    size, centre, radius = 480, 240, 160
    count = max(len(axes), 1)

    def point(i: int, fraction: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / count
        return centre + radius * fraction * math.cos(angle), centre + radius * fraction * math.sin(
            angle
        )

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<text x="{centre}" y="20" text-anchor="middle" font-size="14">{escape(title)}</text>',
    ]
    for ring in (0.2, 0.4, 0.6, 0.8, 1.0):
        ring_points = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(count))
        )
        parts.append(f'<polygon points="{ring_points}" fill="none" stroke="#ccc"/>')
    for i, (_, label) in enumerate(axes):
        x, y = point(i, 1.0)
        lx, ly = point(i, 1.18)
        parts.append(f'<line x1="{centre}" y1="{centre}" x2="{x:.1f}" y2="{y:.1f}" stroke="#999"/>')
        parts.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="middle">{escape(label)}</text>')
    for n, (name, values) in enumerate(series):
        colour = COLOURS[n % len(COLOURS)]
        shares = [min(1.0, max(0.0, (values.get(key) or 0) / scale_max)) for key, _ in axes]
        shape = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, s) for i, s in enumerate(shares)))
        parts.append(
            f'<polygon points="{shape}" fill="{colour}" fill-opacity="0.25" stroke="{colour}">'
            f"<title>{escape(name)}</title></polygon>"
        )
        parts.append(f'<text x="12" y="{size - 12 - 16 * n}" fill="{colour}">{escape(name)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def cycle_radar(c: Context, who: Identity, cycle_id: str) -> str:
    card = cycle_scorecard(c, who, cycle_id)
    axes = list(card["labels"]["dimensions"].items())
    title = f"{card['name']}: {card['overall']} ({card['band']})"
    return radar_svg(title, axes, [("Aggregate (final)", card["dimensions"])], card["scale_max"])


def submission_radar(c: Context, who: Identity, cycle_id: str, code: str) -> str:
    card = submission_scorecard(c, who, cycle_id, code)
    axes = list(card["labels"]["dimensions"].items())
    series = [
        ("Self-assessed", card["self"]["dimensions"]),
        ("Verified", card["final"]["dimensions"]),
    ]
    title = f"{card['unit_name']} {card['year']}: {card['final']['overall']}"
    return radar_svg(title, axes, series, card["scale_max"])
