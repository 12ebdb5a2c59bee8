"""What the e2e stories share: an OPD portal's HTTP client and reading mail back from the sink.

`Portal` calls one service as one signed-in user and checks each answer's status, so a story
reads like the clicks it stands for. `wait_mail` polls the shared mail sink (never cleared:
other suites use it too) for a message to one address whose subject holds every given part.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import requests

from tests.support.stack import eventually

PROBLEM = "application/problem+json"
UNAVAILABLE_S = 60.0
Json = Any


def suffix() -> str:
    """Six hex digits that keep this run's regions, e-mails and keys apart from others'."""
    return uuid.uuid4().hex[:6]


class Portal:
    """One user (role, region, unit) talking to one service."""

    def __init__(
        self,
        running: Any,
        service: str,
        role: str,
        region: str,
        unit: str = "",
        email: str = "",
        catalogue: bool = False,
    ) -> None:
        self.base = running.url(service)
        self.headers = running.headers(role, region, unit, email, catalogue)
        self.who = f"{role}@{region}/{unit or '-'}"

    def call(
        self, method: str, path: str, body: Json = None, expect: int | None = None, **kw: Any
    ) -> requests.Response:
        headers = {**self.headers, **kw.pop("headers", {})}
        # The test stack is shared: another suite may be restarting an API or the store. A
        # refused connection or a 503 means the request was not processed, so try again.
        deadline = time.monotonic() + UNAVAILABLE_S
        while True:
            try:
                r = requests.request(
                    method, self.base + path, json=body, headers=headers, timeout=30, **kw
                )
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
            else:
                if r.status_code != 503 or time.monotonic() > deadline:
                    break
            time.sleep(0.5)
        if expect is not None:
            assert r.status_code == expect, (
                f"{self.who} {method} {path}: expected {expect}, got {r.status_code}: "
                f"{r.text[:1500]}"
            )
        return r

    def get(self, path: str, expect: int = 200, **kw: Any) -> Json:
        return self.call("GET", path, expect=expect, **kw).json()

    def post(self, path: str, body: Json = None, expect: int = 200) -> Json:
        return self.call("POST", path, {} if body is None else body, expect=expect).json()

    def patch(self, path: str, body: Json, expect: int = 200) -> Json:
        return self.call("PATCH", path, body, expect=expect).json()

    def put(self, path: str, body: Json, expect: int = 200) -> Json:
        return self.call("PUT", path, body, expect=expect).json()


def problem(r: requests.Response, status: int) -> dict[str, Any]:
    """The problem+json body of `r`, which must have `status`."""
    assert r.status_code == status, f"expected {status}, got {r.status_code}: {r.text[:800]}"
    assert r.headers["Content-Type"].startswith(PROBLEM), r.headers["Content-Type"]
    body = r.json()
    assert body["status"] == status and body["title"] and body["type"], body
    return body  # type: ignore[no-any-return]


Expectation = tuple[str, ...]  # (address, subject part, subject part, ...)


def sink_index(running: Any) -> list[dict[str, Any]]:
    """Who got which subject: the sink's index file (cheap to read, one JSON line per message)
    when it is on this machine, else the sink's full list over HTTP (which parses every stored
    message on each call, seconds once a shared sink holds hundreds)."""
    index = Path(running.env.get("MAILSINK_DIR", "")) / "index.jsonl"
    if index.is_file():
        entries = []
        for line in index.read_text(encoding="utf-8").splitlines():
            try:
                entries.append(json.loads(line))
            except ValueError:
                pass  # a line the sink is still writing
        return entries
    return running.mails()  # type: ignore[no-any-return]


def _read(running: Any, entry: dict[str, Any]) -> dict[str, Any]:
    """The whole message (id, from, to, subject, text, html, headers) from the sink's API."""
    if "text" in entry:
        return entry
    port = running.env["MAILSINK_HTTP_PORT"]
    url = f"http://127.0.0.1:{port}/api/messages/{entry['id']}"
    return requests.get(url, timeout=10).json()  # type: ignore[no-any-return]


def recipients(entry: dict[str, Any]) -> list[str]:
    """The envelope recipients of one sink entry (index line or API message)."""
    return list(entry.get("to") or entry.get("rcpt_tos") or [])


def _matches(entry: dict[str, Any], address: str, parts: tuple[str, ...]) -> bool:
    return address in recipients(entry) and all(part in entry["subject"] for part in parts)


def mails_to(running: Any, address: str, *parts: str) -> list[dict[str, Any]]:
    """Messages in the sink to `address` whose subject contains every one of `parts`."""
    return [_read(running, e) for e in sink_index(running) if _matches(e, address, parts)]


def wait_mails(running: Any, *expected: Expectation, timeout: float = 90) -> list[dict[str, Any]]:
    """For each `(address, *subject parts)` the first matching message (read back from the
    sink), polling once a second for all of them until `timeout` seconds have passed."""
    state: dict[str, Any] = {}

    def found() -> list[dict[str, Any]] | None:
        index = sink_index(running)
        first = [next((m for m in index if _matches(m, e[0], e[1:])), None) for e in expected]
        state["missing"] = [e for e, m in zip(expected, first, strict=True) if m is None]
        return None if state["missing"] else first  # type: ignore[return-value]

    try:
        entries = eventually(found, timeout, interval=1.0, message="the expected mails")
    except AssertionError:
        raise AssertionError(f"no mail within {timeout} s for {state['missing']}") from None
    return [_read(running, entry) for entry in entries or []]


def wait_mail(running: Any, address: str, *parts: str, timeout: float = 90) -> dict[str, Any]:
    """The first message to `address` whose subject holds every one of `parts`."""
    return wait_mails(running, (address, *parts), timeout=timeout)[0]
