"""Browser fixtures: the full test-profile stack (Keycloak and the portal included) and a
headless chromium per test module.

The directory entries the provider's demo people belong to (kab-batang and its OPDs) are
created through the evaluation API if missing; each test makes its own framework and cycle
(keys with a random suffix), so runs never depend on each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from smartcity_shared.devtoken import mint
from tests.browser.browser import Page, chromium
from tests.support.stack import environment, keep_running, mark_started, port_open, stack

REGION = "kab-batang"
PASSWORD = "batang-demo"  # docs/DEMO.md (dev/test profiles only)
APPS = ("evaluation-api", "innovation-api", "notification-api", "portal")


class Admin:
    """The regency's admin over the evaluation API (a dev token: test profile only)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.base = f"http://127.0.0.1:{env['EVALUATION_PORT']}"
        token = mint(env["JWT_SECRET"], "admin", REGION, "diskominfo")
        self.headers = {"Authorization": f"Bearer {token}"}

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        ok: tuple[int, ...] = (200, 201),
        if_match: int | None = None,
    ) -> Any:
        headers = {**self.headers, **({"If-Match": f'"{if_match}"'} if if_match else {})}
        r = requests.request(method, self.base + path, json=body, headers=headers, timeout=30)
        assert r.status_code in ok, f"{method} {path}: {r.status_code} {r.text[:500]}"
        return r.json() if r.content else None


def ensure_directory(admin: Admin, units: dict[str, str]) -> None:
    """kab-batang with these OPDs, each with its demo address as contact (for the mails)."""
    admin.call("POST", "/regions", {"region_id": REGION, "name": "Kabupaten Batang"}, ok=(201, 409))
    for code, name in units.items():
        contacts = {"contact_emails": [f"{code}@batangkab.go.id"]}
        body = {"code": code, "name": name, **contacts}
        created = requests.post(
            f"{admin.base}/regions/{REGION}/units", json=body, headers=admin.headers, timeout=30
        )
        if created.status_code == 409:
            admin.call("PATCH", f"/regions/{REGION}/units/{code}", contacts)
        else:
            assert created.status_code == 201, created.text


class Sink:
    """The mail sink, as tests/e2e/portal.py's mail helpers read it."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def mails(self) -> list[dict[str, Any]]:
        port = self.env["MAILSINK_HTTP_PORT"]
        url = f"http://127.0.0.1:{port}/api/messages"
        return requests.get(url, timeout=10).json()  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def portal_stack() -> Iterator[dict[str, str]]:
    env = environment()
    kafka_port = int(env["KAFKA_BOOTSTRAP_SERVERS"].rsplit(":", 1)[1])
    fresh = not port_open("127.0.0.1", kafka_port)
    stack("up", "--no-demo", *(["--fresh"] if fresh else []))
    if fresh:
        mark_started()
    yield env
    if not keep_running():
        for name in APPS:
            stack("stop", name, check=False)


@pytest.fixture(scope="session")
def admin(portal_stack: dict[str, str]) -> Admin:
    return Admin(portal_stack)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(portal_stack: dict[str, str], request: pytest.FixtureRequest) -> Iterator[Page]:
    driver = chromium()
    opened = Page(driver, f"http://127.0.0.1:{portal_stack['PORTAL_PORT']}")
    try:
        yield opened
    finally:
        if request.node.stash.get(FAILED, False):  # what the browser showed when it failed
            opened.screenshot(f"FAILED-{request.node.name}")
            print(f"FAILED at {driver.current_url}:\n{opened.text()[:3000]}")
        driver.quit()
