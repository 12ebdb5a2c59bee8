"""Two small chart kinds as standalone SVG text (no plotting library): lines over time and
grouped bars. Enough for the benchmark report; axes start at zero, ticks are "nice" numbers.
"""

from __future__ import annotations

import math
from html import escape

WIDTH, HEIGHT = 760, 380
LEFT, RIGHT, TOP, BOTTOM = 70, 190, 40, 60  # plot margins; the legend sits on the right
COLOURS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
Points = list[tuple[float, float]]


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """0 and round steps (1, 2 or 5 x 10^k) up to at least `top`."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]


def _frame(title: str, xlabel: str, ylabel: str, yticks: list[float]) -> list[str]:
    h = HEIGHT - TOP - BOTTOM
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{WIDTH / 2}" y="22" text-anchor="middle" font-size="15">{escape(title)}</text>',
        f'<text x="{LEFT + (WIDTH - LEFT - RIGHT) / 2}" y="{HEIGHT - 12}" '
        f'text-anchor="middle">{escape(xlabel)}</text>',
        f'<text x="16" y="{TOP + h / 2}" text-anchor="middle" '
        f'transform="rotate(-90 16 {TOP + h / 2})">{escape(ylabel)}</text>',
    ]
    for tick in yticks:
        y = TOP + h - h * tick / yticks[-1]
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
        )
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>')
    return out


def _legend(names: list[str]) -> list[str]:
    out = []
    for i, name in enumerate(names):
        y = TOP + 10 + i * 18
        colour = COLOURS[i % len(COLOURS)]
        out.append(
            f'<rect x="{WIDTH - RIGHT + 12}" y="{y - 9}" width="12" height="12" fill="{colour}"/>'
        )
        out.append(f'<text x="{WIDTH - RIGHT + 30}" y="{y + 1}">{escape(name)}</text>')
    return out


def line_chart(series: dict[str, Points], title: str, xlabel: str, ylabel: str) -> str:
    """One polyline per series of (x, y) points."""
    xs = [x for points in series.values() for x, _ in points] or [0.0]
    ys = [y for points in series.values() for _, y in points] or [0.0]
    xticks, yticks = nice_ticks(max(xs), 6), nice_ticks(max(ys) * 1.05)
    w, h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def at(x: float, y: float) -> str:
        return f"{LEFT + w * x / xticks[-1]:.1f},{TOP + h - h * y / yticks[-1]:.1f}"

    out = _frame(title, xlabel, ylabel, yticks)
    for tick in xticks:
        x = LEFT + w * tick / xticks[-1]
        out.append(f'<text x="{x:.1f}" y="{TOP + h + 18}" text-anchor="middle">{tick:g}</text>')
    for i, points in enumerate(series.values()):
        colour = COLOURS[i % len(COLOURS)]
        path = " ".join(at(x, y) for x, y in points)
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
    out += _legend(list(series))
    return "\n".join([*out, "</svg>"]) + "\n"


def bar_chart(groups: list[str], series: dict[str, list[float]], title: str, ylabel: str) -> str:
    """Per group (x axis) one bar per series, side by side, with its value on top."""
    values = [v for vs in series.values() for v in vs] or [0.0]
    yticks = nice_ticks(max(values) * 1.1)
    w, h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = w / max(1, len(groups))
    bar = slot * 0.8 / max(1, len(series))
    out = _frame(title, "", ylabel, yticks)
    for g, group in enumerate(groups):
        x0 = LEFT + g * slot + slot * 0.1
        out.append(
            f'<text x="{LEFT + (g + 0.5) * slot:.1f}" y="{TOP + h + 18}" '
            f'text-anchor="middle" font-size="11">{escape(group)}</text>'
        )
        for i, vs in enumerate(series.values()):
            value = vs[g]
            bh = h * value / yticks[-1]
            x, y = x0 + i * bar, TOP + h - bh
            colour = COLOURS[i % len(COLOURS)]
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" height="{bh:.1f}" '
                f'fill="{colour}"/>'
            )
            out.append(
                f'<text x="{x + bar / 2 - 1:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                f'font-size="10">{value:.3g}</text>'
            )
    out += _legend(list(series))
    return "\n".join([*out, "</svg>"]) + "\n"
