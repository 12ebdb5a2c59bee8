"""Outside the dev/test profiles an API and a worker refuse to start without a proper
JWT_SECRET (missing, shorter than 32 bytes, or a known placeholder such as the k8s Secret's
`change-me`): the real gunicorn and worker processes, against the test profile's store and
Kafka, exit with a message naming JWT_SECRET; with a strong secret the API serves."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.support.stack import eventually

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
WEAK = {
    "missing": None,
    "short": "0123456789abcdef",
    "k8s placeholder": "change-me",
    "development default": "dev-only-secret-change-me-in-production-0123456789",
}


def _env(stack_env: dict[str, str], secret: str | None) -> dict[str, str]:
    env = {**os.environ, **stack_env, "MONGO_DB": "startup_secret_check"}
    env.pop("STACK_PROFILE", None)  # a deployment: no local-stack profile
    env.pop("JWT_SECRET", None)
    if secret is not None:
        env["JWT_SECRET"] = secret
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _gunicorn(env: dict[str, str], port: int) -> subprocess.Popen[str]:
    command = [GUNICORN, "--bind", f"127.0.0.1:{port}", "evaluation.wsgi:app"]
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


@pytest.mark.parametrize("case", list(WEAK))
def test_an_api_and_a_worker_refuse_a_weak_secret(stack_env: dict[str, str], case: str) -> None:
    env = _env(stack_env, WEAK[case])
    api = _gunicorn(env, _free_port())
    out, _ = api.communicate(timeout=120)
    assert api.returncode != 0, out[-2000:]
    assert "JWT_SECRET" in out and "refusing to start" in out, out[-2000:]
    worker = subprocess.run(
        [sys.executable, "-m", "innovation.worker"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode != 0
    assert "refusing to start" in worker.stderr, worker.stderr[-2000:]


def test_an_api_with_a_strong_secret_serves(stack_env: dict[str, str]) -> None:
    port = _free_port()
    api = _gunicorn(_env(stack_env, "7d" * 32), port)
    try:
        url = f"http://127.0.0.1:{port}/healthz"

        def up() -> bool:
            assert api.poll() is None, api.stdout.read() if api.stdout else ""
            try:
                return requests.get(url, timeout=2).status_code == 200
            except (requests.ConnectionError, requests.Timeout):
                # not listening yet; on a port of the ephemeral range a connect before the
                # server binds can even reach itself (TCP self-connect) and time out reading
                return False

        eventually(up, 60, interval=0.3, message="the API with a strong secret serving")
    finally:
        api.terminate()
        api.wait(timeout=30)
