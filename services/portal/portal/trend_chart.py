"""Where the trend's numbers go on an inline SVG line chart: years along x, the reported scores
up y (0 to the framework's scale). Only placement; the numbers are the API's as it sent them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 320, 48, 160, 16, 36


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    points: list[tuple[float, float, float]]  # x, y, the value drawn there

    @property
    def path(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in self.points)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    series: list[Series]
    years: list[tuple[float, int]]  # x, year
    ticks: list[tuple[float, float]]  # y, value
    plot: tuple[int, int, int, int]  # left, top, right, bottom


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


def chart(points: list[dict[str, Any]], labels: dict[str, str], scale_max: Any) -> Chart:
    """The overall score and each dimension as lines (a missing value leaves a gap)."""
    values = [
        v
        for p in points
        for v in [_number(p.get("overall")), *map(_number, (p.get("dimensions") or {}).values())]
        if v is not None
    ]
    top = max([_number(scale_max) or 0.0, *values, 1.0])
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    step = (right - LEFT) / max(len(points) - 1, 1)
    xs = [LEFT + (step * i if len(points) > 1 else (right - LEFT) / 2) for i in range(len(points))]

    def y(value: float) -> float:
        return bottom - (bottom - TOP) * value / top

    def line(key: str, label: str, pick: Any) -> Series:
        drawn = [
            (x, y(v), v)
            for x, p in zip(xs, points, strict=True)
            if (v := _number(pick(p))) is not None
        ]
        return Series(key, label, drawn)

    keys = list(dict.fromkeys(k for p in points for k in (p.get("dimensions") or {})))
    series = [line("overall", "", lambda p: p.get("overall"))] + [
        line(k, labels.get(k, k), lambda p, k=k: (p.get("dimensions") or {}).get(k)) for k in keys
    ]
    ticks = [(y(top * i / 4), top * i / 4) for i in range(5)]
    years = [(x, int(p.get("year") or 0)) for x, p in zip(xs, points, strict=True)]
    return Chart(WIDTH, HEIGHT, series, years, ticks, (LEFT, TOP, right, bottom))
