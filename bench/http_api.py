"""API throughput and latency of main read and write endpoints against bare Flask/gunicorn.

`python -m bench.http_api [--seconds 5] [--threads 8]`: starts the scratch stack's infra and
evaluation API (test profile) if needed, a bare Flask app on the same gunicorn settings, then
runs the same closed-loop load against both and prints each ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import requests

from smartcity_shared.devtoken import mint

from . import load, stackctl


def seed(base: str, headers: dict[str, str], region: str) -> None:
    r = requests.post(
        f"{base}/regions", json={"region_id": region, "name": "Bench"}, headers=headers, timeout=10
    )
    assert r.status_code in (201, 409), r.text
    for n in range(20):
        requests.post(
            f"{base}/regions/{region}/units",
            json={"code": f"opd-{n}", "name": f"OPD {n}"},
            headers=headers,
            timeout=10,
        )


def scorecard_url(base: str, env: dict[str, str]) -> tuple[str, dict[str, str]]:
    """Load the Batang demo (idempotent) and return the 2019 cycle scorecard URL + token."""
    subprocess.run(
        [sys.executable, "-m", "evaluation.demo"],
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
        cwd=stackctl.ROOT,
    )
    headers = {"Authorization": f"Bearer {mint(env['JWT_SECRET'], 'admin', 'kab-batang')}"}
    cycles = requests.get(f"{base}/regions/kab-batang/cycles", headers=headers, timeout=10).json()
    cycle = next(c for c in cycles if c["year"] == 2019)
    return f"{base}/cycles/{cycle['id']}/scorecard", headers


def main() -> list[tuple[str, load.Result, load.Result]]:
    """Run against the scratch stack; stop exactly what this run started."""
    with stackctl.scratch_stack() as env:
        return _run(env)


def _run(env: dict[str, str]) -> list[tuple[str, load.Result, load.Result]]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--json-out", type=Path, help="also write the figures here (JSON)")
    args, _ = parser.parse_known_args()
    base = f"http://127.0.0.1:{env['EVALUATION_PORT']}"
    region = f"bench-{uuid.uuid4().hex[:6]}"
    headers = {"Authorization": f"Bearer {mint(env['JWT_SECRET'], 'admin', region)}"}
    seed(base, headers, region)
    card_url, card_headers = scorecard_url(base, env)
    rows = []
    with stackctl.bare_gunicorn() as port:
        bare = f"http://127.0.0.1:{port}/item"
        cases: list[tuple[str, str, str, load.Body | None]] = [
            ("GET one OPD", "GET", f"{base}/regions/{region}/units/opd-1", None),
            ("GET list of 20 OPDs", "GET", f"{base}/regions/{region}/units", None),
            (
                "POST new OPD (store + outbox)",
                "POST",
                f"{base}/regions/{region}/units",
                lambda n: {"code": f"u{uuid.uuid4().hex[:10]}", "name": f"Unit {n}"},
            ),
            ("GET cycle scorecard (2019)", "GET", card_url, None),
        ]
        for label, method, url, body in cases:
            auth = card_headers if url == card_url else headers
            baseline = load.run(bare, method, body=body, threads=args.threads, seconds=args.seconds)
            real = load.run(
                url, method, headers=auth, body=body, threads=args.threads, seconds=args.seconds
            )
            rows.append((label, real, baseline))
    print_table(rows)
    if args.json_out:
        args.json_out.write_text(json.dumps([as_dict(*row) for row in rows], indent=1))
    return rows


def as_dict(label: str, real: load.Result, bare: load.Result) -> dict[str, object]:
    return {
        "endpoint": label,
        **{f"{key}": getattr(real, key) for key in ("rps", "p50_ms", "p99_ms", "errors")},
        **{f"bare_{key}": getattr(bare, key) for key in ("rps", "p50_ms", "p99_ms")},
    }


def print_table(rows: list[tuple[str, load.Result, load.Result]]) -> None:
    head = ("endpoint", "req/s", "bare", "ratio", "p50 ms", "bare", "p99 ms", "bare", "err")
    print("{:<32}{:>9}{:>9}{:>7}{:>8}{:>7}{:>8}{:>7}{:>5}".format(*head))
    for label, real, bare in rows:
        ratio = real.rps / bare.rps if bare.rps else 0
        print(
            f"{label:<32}{real.rps:>9.0f}{bare.rps:>9.0f}{ratio:>7.2f}{real.p50_ms:>8.1f}"
            f"{bare.p50_ms:>7.1f}{real.p99_ms:>8.1f}{bare.p99_ms:>7.1f}{real.errors:>5}"
        )


if __name__ == "__main__":
    main()
