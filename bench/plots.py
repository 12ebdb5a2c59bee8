"""The report's plots: SVG files written next to it from the figures the benchmarks left as
JSON. Each function returns (caption, file) pairs for the markdown to link."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import svg
from .soak_report import BASELINE, comparisons, series

Plot = tuple[str, Path]


def _write(path: Path, text: str, caption: str) -> Plot:
    path.write_text(text, encoding="utf-8")
    return caption, path


def soak(data: dict[str, Any], prefix: Path) -> list[Plot]:
    """RSS over time (APIs as master + workers; workers), end RSS against the baselines."""
    samples, warmup = data["samples"], float(data["warmup_s"])
    roots = sorted({s["process"].split("/")[0] for s in samples})

    def over_time(keep: str, base: str) -> dict[str, svg.Points]:
        chosen = [r for r in roots if r.endswith(keep)] + [base]
        lines = {r: series(samples, r).get(r, []) for r in chosen}
        return {r: [(t / 60, mb) for t, mb in points] for r, points in lines.items() if points}

    plots = [
        _write(
            prefix.with_name(f"{prefix.name}-soak-rss-apis.svg"),
            svg.line_chart(
                over_time("-api", BASELINE["api"]),
                "RSS of each API (gunicorn master + workers) during the soak",
                "minutes",
                "MB",
            ),
            "RSS over time: APIs (master + workers) and the bare gunicorn app",
        ),
        _write(
            prefix.with_name(f"{prefix.name}-soak-rss-workers.svg"),
            svg.line_chart(
                over_time("-worker", BASELINE["worker"]),
                "RSS of each worker during the soak",
                "minutes",
                "MB",
            ),
            "RSS over time: workers and the bare Kafka consumer",
        ),
    ]
    rows = comparisons(samples, warmup)
    if rows:
        chart = svg.bar_chart(
            [r[0] for r in rows],
            {
                "start (after warm-up)": [r[2]["start"] for r in rows],
                "end": [r[2]["end"] for r in rows],
                "baseline end": [r[3]["end"] for r in rows],
            },
            "RSS at the start and end of the soak against the baseline",
            "MB",
        )
        plots.append(
            _write(
                prefix.with_name(f"{prefix.name}-soak-rss-bars.svg"),
                chart,
                "RSS start/end per API and worker against its bare baseline",
            )
        )
    return plots


def http_api(rows: list[dict[str, Any]], prefix: Path) -> list[Plot]:
    """Throughput and latency percentiles of each endpoint against the bare app, as ratios
    that all read "times the bare app's cost" (throughput inverted), and latencies in ms."""
    labels = [str(r["endpoint"]).split(" (")[0][:24] for r in rows]

    def ratio(a: float, b: float) -> float:
        return a / b if b else 0.0

    ratios = svg.bar_chart(
        labels,
        {
            "bare req/s ÷ req/s": [ratio(r["bare_rps"], r["rps"]) for r in rows],
            "p50 ÷ bare p50": [ratio(r["p50_ms"], r["bare_p50_ms"]) for r in rows],
            "p99 ÷ bare p99": [ratio(r["p99_ms"], r["bare_p99_ms"]) for r in rows],
        },
        "API against bare Flask/gunicorn, same run (x the bare cost)",
        "x bare",
    )
    latency = svg.bar_chart(
        labels,
        {
            "p50 ms": [r["p50_ms"] for r in rows],
            "p99 ms": [r["p99_ms"] for r in rows],
            "bare p50 ms": [r["bare_p50_ms"] for r in rows],
            "bare p99 ms": [r["bare_p99_ms"] for r in rows],
        },
        "API latency percentiles",
        "ms",
    )
    return [
        _write(
            prefix.with_name(f"{prefix.name}-api-ratios.svg"),
            ratios,
            "API throughput and latency as multiples of the bare app's",
        ),
        _write(
            prefix.with_name(f"{prefix.name}-api-latency.svg"),
            latency,
            "API latency percentiles (ms) against the bare app",
        ),
    ]


def event_latency(figures: dict[str, dict[str, float]], prefix: Path) -> list[Plot]:
    chart = svg.bar_chart(
        ["p50", "p99"],
        {
            "raw Kafka produce -> consume": [figures["raw_kafka"][k] for k in ("p50_ms", "p99_ms")],
            "HTTP -> outbox -> Kafka -> service": [
                figures["services"][k] for k in ("p50_ms", "p99_ms")
            ],
        },
        "Event latency against raw Kafka",
        "ms",
    )
    path = prefix.with_name(f"{prefix.name}-event-latency.svg")
    return [_write(path, chart, "Event latency percentiles against raw Kafka")]


BUILDERS = {"soak": soak, "http_api": http_api, "event_latency": event_latency}


def build(kind: str, data_file: Path, prefix: Path) -> list[Plot]:
    """The plots of one benchmark from its JSON file (none if the file is missing)."""
    if not data_file.is_file():
        return []
    return BUILDERS[kind](json.loads(data_file.read_text()), prefix)  # type: ignore[operator]
