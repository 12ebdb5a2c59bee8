"""Memory over a soak: `python -m bench.soak [--seconds 600] [--rate 10] [--interval 5]
[--samples-out FILE]`.

Against the scratch (test-profile) stack with its APIs and workers: a steady mixed load of
`--rate` requests/s on the three APIs (reads, and writes that publish events: high and
extreme risks that the notification worker mails to an OPD and Diskominfo, innovations it
consumes), and in the same run the same rate and mix of GET/POST on the bare Flask app on the
same gunicorn settings, beside a bare Kafka consumer of the four topics. Every `--interval`
seconds it reads VmRSS of each gunicorn master and worker, each worker process and the
baselines. Prints RSS at the start (after a warm-up), end and max and the growth per
process, each API and worker against its baseline, and the mails the writes caused.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

from smartcity_shared.devtoken import mint

from . import load_paced, stackctl
from .load_paced import Op
from .procs import Sampler, pid_files
from .soak_report import report

APPS = (
    "evaluation-api",
    "innovation-api",
    "notification-api",
    "evaluation-worker",
    "innovation-worker",
    "notification-worker",
)
UNITS = 10
CYCLE = 10  # requests in one cycle of `stack_ops`: each cycle's writes go to the next OPD


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", "--soak-seconds", type=float, default=600.0, dest="seconds")
    p.add_argument("--drain", type=float, default=600.0, help="seconds to wait for the mails")
    p.add_argument("--rate", type=float, default=10.0, help="requests/s on each target")
    p.add_argument("--interval", type=float, default=5.0, help="seconds between RSS samples")
    p.add_argument("--threads", type=int, default=8, help="most requests in flight per target")
    p.add_argument("--samples-out", type=Path, help="write the RSS samples here (JSON)")
    return p.parse_known_args()[0]


def seed(env: dict[str, str], region: str, admin_email: str, sfx: str) -> dict[str, str]:
    """The soak's region with OPDs that have contact addresses; returns admin headers."""
    headers = {"Authorization": f"Bearer {mint(env['JWT_SECRET'], 'admin', region)}"}
    base = f"http://127.0.0.1:{env['EVALUATION_PORT']}/regions"
    body = {"region_id": region, "name": "Soak", "admin_emails": [admin_email]}
    requests.post(base, json=body, headers=headers, timeout=30).raise_for_status()
    for n in range(UNITS):
        unit = {"code": f"opd{n}", "name": f"Dinas {n}", "contact_emails": [f"opd{n}-{sfx}@x.id"]}
        requests.post(f"{base}/{region}/units", json=unit, headers=headers, timeout=30)
    known = f"http://127.0.0.1:{env['NOTIFICATION_PORT']}/preferences/opd{UNITS - 1}-{sfx}@x.id"
    deadline = time.monotonic() + 300  # an event that overtakes its OPD would mail only admins
    while requests.get(known, headers=headers, timeout=30).status_code != 200:
        if time.monotonic() > deadline:
            raise SystemExit("the notification service did not learn the soak's OPDs in 300 s")
        time.sleep(1.0)
    return headers


def stack_ops(env: dict[str, str], region: str, headers: dict[str, str]) -> list[Op]:
    """One cycle of the mixed load: 3 writes (each publishes an event), 7 reads."""
    ev, inn, no = (
        f"http://127.0.0.1:{env[f'{s}_PORT']}" for s in ("EVALUATION", "INNOVATION", "NOTIFICATION")
    )
    year = time.gmtime().tm_year

    def risk(likelihood: int) -> load_paced.Body:
        return lambda n: {
            "unit": f"opd{n // CYCLE % UNITS}",
            "perspective": "sustainability",
            "title": f"Soak risk {n}",
            "likelihood": likelihood,
            "impact": 4,
        }

    def innovation(n: int) -> dict[str, Any]:
        return {
            "name": f"Soak innovation {n}",
            "owner_unit": f"opd{n // CYCLE % UNITS}",
            "year": year,
            "initiator": "opd",
            "type": "digital",
            "form": "public_service",
            "pillar": "governance",
        }

    return [
        Op("POST", f"{ev}/regions/{region}/risks", headers, risk(5)),  # extreme: 2 mails
        Op("GET", f"{ev}/regions/{region}/units", headers),
        Op("GET", f"{inn}/regions/{region}/units", headers),
        Op("POST", f"{inn}/regions/{region}/innovations", headers, innovation),
        Op("GET", f"{ev}/regions/{region}/risks", headers),
        Op("GET", f"{no}/deliveries?region={region}&limit=20", headers),
        Op("GET", f"{ev}/regions/{region}/units/opd1", headers),
        Op("GET", f"{inn}/regions/{region}/innovations?limit=20", headers),
        Op("POST", f"{ev}/regions/{region}/risks", headers, risk(4)),  # high: 2 mails
        Op("GET", f"{no}/deliveries/stats?region={region}", headers),
    ]


def bare_ops(port: int, like: list[Op]) -> list[Op]:
    """The same cycle of methods against the bare app's one endpoint."""
    url = f"http://127.0.0.1:{port}/item"
    return [
        Op(op.method, url, {}, (lambda n: {"n": n}) if op.method == "POST" else None) for op in like
    ]


@contextmanager
def bare_consumer(env: dict[str, str]) -> Iterator[int]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.bare_worker"],
        cwd=stackctl.ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
    )
    try:
        yield proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def risk_mails(env: dict[str, str], sfx: str) -> int:
    """Mails in the sink about a soak risk to one of the soak's addresses."""
    index = Path(env["MAILSINK_DIR"]) / "index.jsonl"
    count = 0
    for line in index.read_text(encoding="utf-8").splitlines() if index.is_file() else []:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        mine = any(sfx in r for r in entry.get("rcpt_tos", []))
        count += mine and "Soak risk" in entry.get("subject", "")
    return count


#: How often the soak says how far it is (on stderr; stdout is the report).
PROGRESS_S = 30.0


def _progress(text: str) -> None:
    print(f"soak: {text}", file=sys.stderr, flush=True)


def main() -> None:
    """Run against the scratch stack; stop exactly what this run started."""
    with stackctl.scratch_stack() as env:
        _run(env)


def _run(env: dict[str, str]) -> None:
    args = parse()
    sfx = uuid.uuid4().hex[:6]
    region = f"soak-{sfx}"
    headers = seed(env, region, f"diskominfo-{sfx}@x.id", sfx)
    ops = stack_ops(env, region, headers)
    assert len(ops) == CYCLE
    roots = pid_files(Path(env["STACK_DIR"]), APPS)
    with stackctl.bare_server() as (port, bare_pid), bare_consumer(env) as consumer_pid:
        sampler = Sampler({**roots, "bare-gunicorn": bare_pid, "bare-consumer": consumer_pid})
        stop = threading.Event()
        runs = [
            load_paced.start(ops, args.rate, stop, args.threads),
            load_paced.start(bare_ops(port, ops), args.rate, stop, args.threads),
        ]
        began = time.monotonic()
        deadline, shown = began + args.seconds, began
        while time.monotonic() < deadline:
            sampler.sample()
            if time.monotonic() - shown >= PROGRESS_S:
                shown = time.monotonic()
                _progress(f"{shown - began:.0f} of {args.seconds:.0f} s under load")
            time.sleep(min(args.interval, max(0.0, deadline - time.monotonic())))
        stop.set()
        stats = [run.join() for run in runs]
        sampler.sample()
    writes = stats[0].writes_ok(ops, "/risks")
    stopped = time.monotonic()
    at_stop = risk_mails(env, sfx)
    _progress(f"load stopped; waiting up to {args.drain:.0f} s for {2 * writes} risk mails")
    while risk_mails(env, sfx) < 2 * writes and time.monotonic() < stopped + args.drain:
        time.sleep(1.0)
    warmup = min(60.0, args.seconds / 10)
    print(report(sampler.samples, warmup, stats, args.seconds))
    failed = [
        f"{op.method} {op.url.split('/', 3)[-1]}: {n}"
        for op, n in zip(ops, stats[0].errors, strict=True)
        if n
    ]
    print("failed requests (timeout or not 200/201) by endpoint: " + ("; ".join(failed) or "none"))
    print(
        f"risk writes {writes}, their mails in the sink {at_stop} of {2 * writes} when the load "
        f"stopped, {risk_mails(env, sfx)} after {time.monotonic() - stopped:.0f} s of draining "
        f"(at most {args.drain:.0f} s)"
    )
    if args.samples_out:
        data = {"warmup_s": warmup, "seconds": args.seconds, "samples": sampler.samples}
        args.samples_out.write_text(json.dumps(data))


if __name__ == "__main__":
    main()
