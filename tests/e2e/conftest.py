"""E2E fixtures: the whole test-profile stack as `make up` runs it (gunicorn APIs, workers,
Kafka, the store, the mail sink), driven over HTTP like an OPD portal.

Started fresh for the e2e package and its APIs and workers stopped after it (the
infrastructure stays for the integration suite, which the session stops at its end).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests

from smartcity_shared.devtoken import mint
from tests.support.stack import environment, keep_running, mark_started, port_open, stack

APPS = (
    "evaluation-api",
    "innovation-api",
    "notification-api",
    "evaluation-worker",
    "innovation-worker",
    "notification-worker",
    "accounts-worker",
)


@dataclass(frozen=True)
class Stack:
    env: dict[str, str]

    def url(self, service: str, path: str = "") -> str:
        return f"http://127.0.0.1:{self.env[f'{service.upper()}_PORT']}{path}"

    def token(
        self,
        role: str,
        region: str = "kab-batang",
        unit: str = "",
        email: str = "",
        catalogue: bool = False,
    ) -> str:
        return mint(self.env["JWT_SECRET"], role, region, unit, email=email, catalogue=catalogue)

    def headers(
        self,
        role: str,
        region: str = "kab-batang",
        unit: str = "",
        email: str = "",
        catalogue: bool = False,
    ) -> dict[str, str]:
        token = self.token(role, region, unit, email, catalogue)
        return {"Authorization": f"Bearer {token}"}

    def mails(self) -> list[dict]:  # type: ignore[type-arg]
        port = self.env["MAILSINK_HTTP_PORT"]
        return requests.get(f"http://127.0.0.1:{port}/api/messages", timeout=10).json()  # type: ignore[no-any-return]


@pytest.fixture(scope="package")
def running() -> Iterator[Stack]:
    env = environment()
    kafka_port = int(env["KAFKA_BOOTSTRAP_SERVERS"].rsplit(":", 1)[1])
    fresh = not port_open("127.0.0.1", kafka_port)
    stack("up", "--no-demo", *(["--fresh"] if fresh else []))
    if fresh:
        mark_started()
    yield Stack(env)
    if not keep_running():
        for name in APPS:
            stack("stop", name, check=False)
