"""`make bench`: run every benchmark in one go and write a markdown report with plots.

Each benchmark prints its figures next to a bare baseline measured in the same run. The
report goes to bench/reports/report-<time>.md (git-ignored) with its plots beside it as
report-<time>-*.svg, and is printed as well. Quick mode (default) keeps the benchmarks short
apart from the memory soak (`--soak-seconds`, default 600; 0 leaves it out); `--full` uses
the issue sizes (10,000 notification events, longer load and more latency samples).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import plots, stackctl

REPORTS = Path(__file__).resolve().parent / "reports"


@dataclass(frozen=True)
class Suite:
    title: str
    command: list[str]
    plot: str = ""  # a `plots.BUILDERS` key: the suite writes its figures to `data`
    data: Path | None = None


def suites(full: bool, soak_seconds: float, prefix: Path) -> list[Suite]:
    def data(name: str) -> Path:
        return prefix.with_name(f"{prefix.name}-{name}.json")

    samples = "100" if full else "30"
    # Event latency before the API load: that one's POSTs leave the workers a backlog of
    # directory events, and the latency would be measured behind it.
    found = [
        Suite(
            "Scoring: 1,000 submissions x 100 questions vs summing numbers",
            ["bench.scoring", "--submissions", "1000", "--questions", "100"],
        ),
        Suite(
            "Event latency: HTTP write -> other service vs raw Kafka",
            ["bench.event_latency", "--samples", samples, "--json-out", str(data("events"))],
            "event_latency",
            data("events"),
        ),
        Suite(
            "API throughput and latency vs bare Flask/gunicorn",
            ["bench.http_api", "--seconds", "10" if full else "4", "--json-out", str(data("api"))],
            "http_api",
            data("api"),
        ),
        Suite(
            "Notifier: events -> emails in the sink vs raw smtplib",
            ["bench.notify", "--events", "10000" if full else "1000"],
        ),
    ]
    if soak_seconds > 0:
        minutes = (
            f"{soak_seconds / 60:g}-minute" if soak_seconds % 60 == 0 else f"{soak_seconds:g} s"
        )
        found.append(
            Suite(
                f"Memory over a {minutes} soak vs bare gunicorn and a bare Kafka consumer",
                [
                    "bench.soak",
                    "--seconds",
                    f"{soak_seconds:g}",
                    "--samples-out",
                    str(data("soak")),
                ],
                "soak",
                data("soak"),
            )
        )
    return found


def run_suite(suite: Suite, env: dict[str, str], prefix: Path) -> tuple[bool, list[str]]:
    """Run one benchmark; its section of the report (output, then plots linked)."""
    print(f"== {suite.title}", flush=True)
    began = time.monotonic()
    result = subprocess.run(  # stdout is the report; stderr (progress, errors) goes live
        [sys.executable, "-m", *suite.command],
        stdout=subprocess.PIPE,
        text=True,
        cwd=stackctl.ROOT,
        env=env,
    )
    output = result.stdout.strip() or f"(exit {result.returncode}; errors above, on stderr)"
    print(output, flush=True)
    lines = [f"## {suite.title}", "", "```", output, "```", ""]
    if suite.plot and suite.data:
        for caption, path in plots.build(suite.plot, suite.data, prefix):
            lines += [f"![{caption}]({path.name})", ""]
    lines += [f"({time.monotonic() - began:.0f} s)", ""]
    return result.returncode == 0, lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--soak-seconds", type=float, default=600.0, help="0: no memory soak")
    args = parser.parse_args()
    started = time.monotonic()
    stamp = f"{datetime.now(UTC):%Y%m%d-%H%M%S}"
    REPORTS.mkdir(exist_ok=True)
    prefix = REPORTS / f"report-{stamp}"
    lines = [
        f"# Benchmark report {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {'full' if args.full else 'quick'} mode. Ratios compare "
        "against a baseline measured in the same run on the same machine.",
        "",
    ]
    failed = 0
    with stackctl.scratch_stack() as stack_env:  # stops exactly what it started
        env = {**os.environ, **stack_env}
        for suite in suites(args.full, args.soak_seconds, prefix):
            ok, section = run_suite(suite, env, prefix)
            failed += not ok
            lines += section
    lines.append(f"Total time: {time.monotonic() - started:.0f} s")
    path = prefix.with_suffix(".md")
    path.write_text("\n".join(lines) + "\n")
    print(f"report written to {path.relative_to(stackctl.ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
