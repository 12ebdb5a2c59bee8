"""A long install step (the FerretDB build, Maven, pip) says it is still running while it
runs, instead of nothing for a minute."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PROBE = """
import sys
sys.path.insert(0, "deploy/local")
from stacklib.install import run_step
run_step("probe", [sys.executable, "-c", "import time; time.sleep(1.2)"], "no hint")
"""


def test_a_long_install_step_reports_progress_while_it_runs() -> None:
    env = {**os.environ, "INSTALL_TICK_S": "0.3"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True, timeout=60,
    )  # fmt: skip
    ticks = [line for line in result.stdout.splitlines() if "still running" in line]
    assert len(ticks) >= 2 and ticks[0].startswith("probe")
