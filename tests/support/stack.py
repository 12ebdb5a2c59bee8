"""Drive the test profile of the local stack (deploy/local/stack.py) from tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[2]
STACK = ROOT / "deploy" / "local" / "stack.py"
T = TypeVar("T")


def stack(
    *args: str, check: bool = True, profile: str = "test"
) -> subprocess.CompletedProcess[str]:
    """Run `stack.py --profile PROFILE ARGS` (output captured; shown when it fails)."""
    result = subprocess.run(
        [sys.executable, str(STACK), "--profile", profile, *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=600,
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"stack {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def environment(profile: str = "test") -> dict[str, str]:
    """A profile's settings (ports, URIs, secrets) as environment variables."""
    env: dict[str, str] = {}
    for line in stack("env", profile=profile).stdout.splitlines():
        if line.startswith("export ") and "=" in line:
            key, _, value = line[len("export ") :].partition("=")
            env[key] = value.strip().strip("'\"")
    return env


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def eventually(
    check: Callable[[], T], timeout: float = 30.0, interval: float = 0.1, message: str = "condition"
) -> T:
    """Poll `check` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"{message} not reached within {timeout} s (last: {last!r})")


def keep_running() -> bool:
    """KEEP_STACK=1 leaves the test infrastructure running after the session."""
    return os.environ.get("KEEP_STACK") == "1"


_started = [False]


def mark_started() -> None:
    """This test session brought the test stack up; `stop_if_started` takes it down again."""
    _started[0] = True


def stop_if_started() -> None:
    if _started[0] and not keep_running():
        stack("down", check=False)
        _started[0] = False
