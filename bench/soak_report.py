"""The soak's figures from its RSS samples: per process and per group against its baseline."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .load_paced import Stats

Sample = dict[str, Any]  # {"t": seconds, "process": label, "rss_mb": MB}
BASELINE = {"api": "bare-gunicorn", "worker": "bare-consumer"}


def series(samples: list[Sample], group: str | None = None) -> dict[str, list[tuple[float, float]]]:
    """(t, MB) per process label; with `group`, the sum over a root and its children as one."""
    out: dict[str, dict[float, float]] = defaultdict(lambda: defaultdict(float))
    for s in samples:
        label = s["process"]
        if group is not None:
            label = label.split("/")[0]
            if label != group:
                continue
        out[label][s["t"]] += s["rss_mb"]
    return {label: sorted(points.items()) for label, points in out.items()}


def figures(points: list[tuple[float, float]], warmup: float) -> dict[str, float]:
    after = [mb for t, mb in points if t >= warmup] or [points[0][1]]
    first, start, end = points[0][1], after[0], points[-1][1]
    return {
        "first": first,
        "start": start,
        "end": end,
        "max": max(mb for _, mb in points),
        "growth": end - start,
        "growth_pct": (end - start) / start * 100 if start else 0.0,
    }


def _row(label: str, f: dict[str, float]) -> str:
    return (
        f"{label:<34}{f['first']:>8.1f}{f['start']:>8.1f}{f['end']:>8.1f}{f['max']:>8.1f}"
        f"{f['growth']:>+9.1f}{f['growth_pct']:>+9.1f}"
    )


def comparisons(
    samples: list[Sample], warmup: float
) -> list[tuple[str, str, dict[str, float], dict[str, float]]]:
    """(group, baseline, figures, baseline figures) for each API (master + workers) and worker."""
    roots = sorted({s["process"].split("/")[0] for s in samples} - set(BASELINE.values()))
    rows = []
    for root in roots:
        base = BASELINE["api" if root.endswith("-api") else "worker"]
        mine = series(samples, root).get(root)
        theirs = series(samples, base).get(base)
        if mine and theirs:
            rows.append((root, base, figures(mine, warmup), figures(theirs, warmup)))
    return rows


def report(samples: list[Sample], warmup: float, stats: list[Stats], seconds: float) -> str:
    """The soak's text report: load achieved, RSS per process, groups against baselines."""
    lines = [
        f"RSS over a {seconds:.0f} s soak; start = first sample after {warmup:.0f} s warm-up (MB)",
        f"{'process':<34}{'first':>8}{'start':>8}{'end':>8}{'max':>8}{'growth':>9}{'growth%':>9}",
    ]
    for label, points in sorted(series(samples).items()):
        lines.append(_row(label, figures(points, warmup)))
    lines += ["", "each API (master + workers) and worker against its baseline, same run:"]
    for root, base, f, b in comparisons(samples, warmup):
        ratio = f["end"] / b["end"] if b["end"] else 0.0
        lines.append(
            f"{root:<22} end {f['end']:>6.1f} MB = {ratio:>4.2f}x {base} ({b['end']:.1f} MB); "
            f"growth {f['growth']:+.1f} MB ({f['growth_pct']:+.1f}%) vs {b['growth']:+.1f} MB"
        )
    lines.append("")
    for name, s in zip(("services", "bare app"), stats, strict=False):
        lines.append(
            f"load on {name}: {s.requests} requests, {s.rps:.1f} req/s, {sum(s.errors)} errors, "
            f"p50 {s.p50_ms:.1f} ms, p99 {s.percentile_ms(0.99):.1f} ms"
        )
    return "\n".join(lines)
