"""Extra replicas of the stack's workers (`python -m <svc>.worker`) beside the ones the stack
runs, with the stack's environment, and what their consumer groups look like in Kafka."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kafka.admin import KafkaAdminClient

from tests.support.stack import ROOT


@contextmanager
def extra_workers(env: dict[str, str], services: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """One more worker process per service, stopped (SIGTERM, then SIGKILL) when the block
    ends, however it ends. Output goes to `<STACK_DIR>/logs/<svc>-worker-replica.log`."""
    logs = Path(env.get("STACK_DIR") or ROOT / ".cache" / "run" / "test") / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    child = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
    child.pop("WORKER_METRICS_PORT", None)  # the stack's replica may hold that port
    procs: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for svc in services:
            with open(logs / f"{svc}-worker-replica.log", "ab") as out:
                procs[svc] = subprocess.Popen(
                    [sys.executable, "-m", f"{svc}.worker"],
                    cwd=ROOT,
                    env=child,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        yield procs
    finally:
        for proc in procs.values():
            proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def group_members(bootstrap: str, group: str) -> list[list[tuple[str, int]]]:
    """Per member of consumer `group` in a stable state, its assigned (topic, partition)s;
    empty while the group rebalances."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        described = admin.describe_groups([group])[group]
    finally:
        admin.close()
    if described.get("group_state") != "Stable":
        return []
    return [
        [
            (topic["topic"], p)
            for topic in (m.get("member_assignment") or {}).get("assigned_partitions", [])
            for p in topic["partitions"]
        ]
        for m in described["members"]
    ]
