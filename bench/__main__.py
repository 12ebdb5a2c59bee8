"""`make bench`: run every benchmark in one go and write a markdown report.

Each benchmark prints its figures next to a bare baseline measured in the same run. The
report goes to bench/reports/report-<time>.md (git-ignored) and is printed as well.
Quick mode (default) keeps the whole run to a few minutes; `--full` uses the issue sizes
(10,000 notification events, 1,000 x 100 scoring, longer load).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from . import stackctl

REPORTS = Path(__file__).resolve().parent / "reports"


def suites(full: bool) -> list[tuple[str, list[str]]]:
    return [
        (
            "Scoring: 1,000 submissions x 100 questions vs summing numbers",
            ["bench.scoring", "--submissions", "1000", "--questions", "100"],
        ),
        (
            "API throughput and latency vs bare Flask/gunicorn",
            ["bench.http_api", "--seconds", "10" if full else "4"],
        ),
        (
            "Event latency: HTTP write -> other service vs raw Kafka",
            ["bench.event_latency", "--samples", "100" if full else "30"],
        ),
        (
            "Notifier: events -> emails in the sink vs raw smtplib",
            ["bench.notify", "--events", "10000" if full else "1000"],
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    started = time.monotonic()
    lines = [
        f"# Benchmark report {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, "
        f"{'full' if args.full else 'quick'} mode. Ratios compare against a baseline "
        "measured in the same run on the same machine.",
        "",
    ]
    stackctl.stack("up", "--no-demo")
    env = {**os.environ, **stackctl.environment()}
    failed = 0
    for title, command in suites(args.full):
        print(f"== {title}", flush=True)
        result = subprocess.run(
            [sys.executable, "-m", *command],
            capture_output=True,
            text=True,
            cwd=stackctl.ROOT,
            env=env,
        )
        output = result.stdout.strip() or result.stderr.strip()[-2000:]
        print(output, flush=True)
        failed += result.returncode != 0
        lines += [f"## {title}", "", "```", output, "```", ""]
    lines.append(f"Total time: {time.monotonic() - started:.0f} s")
    REPORTS.mkdir(exist_ok=True)
    path = REPORTS / f"report-{datetime.now(UTC):%Y%m%d-%H%M%S}.md"
    path.write_text("\n".join(lines) + "\n")
    print(f"report written to {path.relative_to(stackctl.ROOT)}")
    stackctl.stack("down")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
