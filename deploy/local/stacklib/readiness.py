"""Waiting for a started process to become ready, with a deadline, noticing if it dies."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable

from .config import VENV_PY
from .procs import port_open

Proc = subprocess.Popen[bytes]


class NotReadyError(Exception):
    """The component did not become ready; the message says how it failed."""


# Probes run in the venv (kafka-python, pymongo); each retries for argv[2] seconds itself.
KAFKA_PROBE = """
import sys, time
from kafka import KafkaAdminClient
end = time.monotonic() + float(sys.argv[2])
while True:
    try:
        admin = KafkaAdminClient(bootstrap_servers=sys.argv[1], request_timeout_ms=3000)
        try:
            admin.list_topics()
        finally:
            admin.close()
        break
    except Exception as exc:
        if time.monotonic() > end:
            sys.exit(f"kafka not ready: {exc!r}")
        time.sleep(0.3)
"""
STORE_PROBE = """
import sys, pymongo
client = pymongo.MongoClient(sys.argv[1], serverSelectionTimeoutMS=int(float(sys.argv[2]) * 1000))
client.admin.command("ping")
"""


def wait(proc: Proc, timeout: float, check: Callable[[], bool], what: str) -> None:
    """Poll `check` until true; NotReadyError if the process exits or `timeout` s pass."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise NotReadyError(f"exited with code {proc.returncode} while waiting for {what}")
        if check():
            return
        if time.monotonic() > deadline:
            raise NotReadyError(f"not ready after {timeout:.0f} s: {what}")
        time.sleep(0.1)


def wait_port(proc: Proc, timeout: float, port: int) -> None:
    wait(proc, timeout, lambda: port_open("127.0.0.1", port), f"port {port}")


def wait_probe(proc: Proc, timeout: float, script: str, target: str, what: str) -> None:
    """Run a venv Python probe script against `target` until it exits 0."""
    last = [""]

    def check() -> bool:
        run = subprocess.run(
            [str(VENV_PY), "-c", script, target, "5"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        last[0] = (run.stderr or run.stdout).strip()[-400:]
        return run.returncode == 0

    try:
        wait(proc, timeout, check, what)
    except NotReadyError as exc:
        raise NotReadyError(f"{exc}\n    last probe output: {last[0] or '-'}") from None


def wait_http_ok(proc: Proc, timeout: float, url: str) -> None:
    """Wait until GET `url` answers 200; the error names the last answer."""
    last = ["no answer"]

    def check() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                return bool(resp.status == 200)
        except urllib.error.HTTPError as exc:
            last[0] = f"HTTP {exc.code}: {exc.read()[:300].decode(errors='replace')}"
        except OSError as exc:
            last[0] = str(exc)
        return False

    try:
        wait(proc, timeout, check, f"GET {url} -> 200")
    except NotReadyError as exc:
        raise NotReadyError(f"{exc} (last answer: {last[0]})") from None


def stays_alive(proc: Proc, since: float, seconds: float) -> None:
    """NotReadyError if the process exits within `seconds` of `since` (its launch time)."""
    while time.monotonic() < since + seconds:
        if proc.poll() is not None:
            raise NotReadyError(f"exited with code {proc.returncode} within {seconds:.0f} s")
        time.sleep(0.1)
