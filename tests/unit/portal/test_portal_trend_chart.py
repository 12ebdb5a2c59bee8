"""The trend chart places the API's numbers: years left to right, scores up to the scale; a
year without a value leaves a gap rather than a zero."""

from __future__ import annotations

from portal.trend_chart import chart

POINTS = [
    {"year": 2024, "overall": 2.5, "dimensions": {"tk": 2.0}},
    {"year": 2025, "overall": None, "dimensions": {"tk": 5.0, "inf": 1.0}},
    {"year": 2026, "overall": 5.0, "dimensions": {"tk": 0.0}},
]


def test_scores_are_placed_on_the_frameworks_scale_and_missing_years_are_gaps() -> None:
    drawn = chart(POINTS, {"tk": "Tata kelola"}, 5)
    left, top, right, bottom = drawn.plot
    overall, tk, inf = drawn.series
    assert [s.key for s in drawn.series] == ["overall", "tk", "inf"]
    assert (overall.label, tk.label, inf.label) == ("", "Tata kelola", "inf")
    assert [v for _, _, v in overall.points] == [2.5, 5.0]  # 2025 has no overall: a gap
    assert [x for x, _ in drawn.years] == [left, (left + right) / 2, right]
    assert [year for _, year in drawn.years] == [2024, 2025, 2026]
    assert overall.points[1][1] == top and tk.points[2][1] == bottom
    assert overall.points[0][1] == (top + bottom) / 2
    assert inf.points == [((left + right) / 2, bottom - (bottom - top) / 5, 1.0)]


def test_values_above_the_scale_stay_inside_and_one_year_is_centred() -> None:
    drawn = chart([{"year": 2026, "overall": 80, "dimensions": {}}], {}, 5)
    left, top, right, _ = drawn.plot
    [(x, y, value)] = drawn.series[0].points
    assert (x, y, value) == ((left + right) / 2, top, 80)
    assert drawn.ticks[-1] == (top, 80)
