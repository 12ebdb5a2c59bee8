"""The restore drill (docs/OPERATIONS.md): dump the services' databases while the platform
runs, wipe them, restore, and every cycle, recommendation, risk, scorecard, innovation and
delivery reads back through the APIs exactly as before. The workers are stopped around the
drill so nothing changes between the reads; they are started again after it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from pymongo import MongoClient

from tests.e2e import hardening_world as hw
from tests.support.stack import eventually, stack

DATABASES = ("smartcity_evaluation", "smartcity_innovation", "smartcity_notification")
WORKERS = ("evaluation-worker", "innovation-worker", "notification-worker", "accounts-worker")


def reads(w: hw.World) -> dict[str, Any]:
    r, admin, inno = w.region, w.admin(), w.admin("innovation")
    notify = w.admin("notification")
    return {
        "cycles": admin.get(f"/regions/{r}/cycles"),
        "scorecard": admin.get(f"/cycles/{w.ids['CY0']}/scorecard"),
        "recommendations": admin.get(f"/regions/{r}/recommendations"),
        "risks": admin.get(f"/regions/{r}/risks"),
        "innovations": inno.get(f"/regions/{r}/innovations"),
        "innovation": inno.get(f"/regions/{r}/innovations/{w.ids['INV']}"),
        "deliveries": notify.get(f"/deliveries?region={r}&limit=100"),
    }


def backup(env: dict[str, str], *args: str) -> str:
    argv = [sys.executable, "-m", "smartcity_shared.backup", *args]
    done = subprocess.run(
        argv, env={**os.environ, **env}, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_wiped_store_restored_from_its_dump_reads_back_identical(
    running: Any, tmp_path: Path
) -> None:
    w = hw.build(running)
    notify = w.admin("notification")
    eventually(
        lambda: notify.get(f"/deliveries?region={w.region}&status=sent")["total"] >= 2,
        hw.EVENTS,
        message="the recommendation's and the risk's mails sent",
    )
    for worker in WORKERS:
        stack("stop", worker)
    try:
        before = reads(w)
        backup(running.env, "dump", "--out", str(tmp_path), *(f"--db={d}" for d in DATABASES))
        client: MongoClient[dict[str, Any]] = MongoClient(running.env["MONGO_URI"])
        for name in DATABASES:
            client.drop_database(name)
        wiped = w.admin().call("GET", f"/regions/{w.region}/cycles")
        assert wiped.status_code == 404 or wiped.json() != before["cycles"]
        backup(running.env, "restore", *sorted(str(p) for p in tmp_path.glob("*.jsonl.gz")))
        assert reads(w) == before
        assert before["deliveries"]["total"] >= 2 and before["innovations"]
    finally:
        stack("up", "--no-demo")
