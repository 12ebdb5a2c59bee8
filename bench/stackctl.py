"""Bring up the scratch (test-profile) stack for benchmarks, and a bare gunicorn baseline."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STACK = [sys.executable, str(ROOT / "deploy" / "local" / "stack.py"), "--profile", "test"]
VENV_BIN = Path(sys.executable).parent


def stack(*args: str) -> str:
    result = subprocess.run(
        [*STACK, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    if result.returncode != 0:
        raise SystemExit(f"stack {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def running() -> list[str]:
    """The stack components alive now, infrastructure first (as `stack.py status` lists)."""
    alive = []
    for line in stack("status").splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 3 and parts[2] == "yes":
            alive.append(parts[0])
    return alive


@contextmanager
def scratch_stack() -> Iterator[dict[str, str]]:
    """The test-profile stack for a benchmark, yielding its environment. Stops exactly what
    it started on the way out: components that were already running (another run's, or
    `make test`'s with KEEP_STACK=1) are left as they were."""
    before = set(running())
    stack("up", "--no-demo")
    started = [name for name in running() if name not in before]
    try:
        yield environment()
    finally:
        for name in reversed(started):  # workers and APIs before the infrastructure
            stack("stop", name)


def environment() -> dict[str, str]:
    env: dict[str, str] = {}
    for line in stack("env").splitlines():
        if line.startswith("export ") and "=" in line:
            key, _, value = line[len("export ") :].partition("=")
            env[key] = value.strip().strip("'\"")
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(port: int, path: str, timeout: float = 30.0) -> None:
    import http.client

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"nothing answered on port {port}{path} within {timeout} s")


@contextmanager
def bare_gunicorn() -> Iterator[int]:
    """The baseline app on the same gunicorn worker/thread settings as the services; yields
    its port."""
    with bare_server() as (port, _):
        yield port


@contextmanager
def bare_server() -> Iterator[tuple[int, int]]:
    """`bare_gunicorn`, yielding (port, pid of the gunicorn master)."""
    port = free_port()
    workers = os.environ.get("GUNICORN_WORKERS", "2")
    threads = os.environ.get("GUNICORN_THREADS", "4")
    proc = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            workers,
            "--threads",
            threads,
            "bench.bare_app:app",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_http(port, "/item")
        yield port, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=15)
