"""`python -m notification.demo`: demo settings for Kabupaten Batang through the HTTP API.

Seeds the shipped recipient rules for `kab-batang` (plus one demo rule: published scorecards
also go to the assessors) and a few preferences (Bappeda reads a 07:00 daily digest and
skips general information; Diskominfo reads English). Talks to
`http://127.0.0.1:${NOTIFICATION_PORT:-8003}` with tokens minted from `JWT_SECRET`; waits for
the API (polling with a deadline); idempotent (a 409 for an existing rule is fine).
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request
from typing import Any

from smartcity_shared.devtoken import mint

REGION = "kab-batang"
DEMO_RULES: list[dict[str, Any]] = [
    {
        "id": "scorecard-to-assessors",
        "event_type": "smartcity.scorecard.published",
        "audiences": ["assessors"],
        "template": "scorecard_published",
        "category": "info",
    }
]
PREFERENCES: list[tuple[str, str, dict[str, Any]]] = [
    ("bappeda", "bappeda@batangkab.go.id", {"digest_hour": 7, "opt_out": ["info"]}),
    ("", "diskominfo@batangkab.go.id", {"language": "en"}),
]


class Api:
    def __init__(self, base_url: str, secret: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.secret = secret

    def token(self, role: str = "admin", unit: str = "", email: str = "") -> str:
        return mint(self.secret, role, REGION, unit, email=email, ttl_s=600)

    def call(self, method: str, path: str, body: Any = None, token: str = "") -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def wait_until_up(self, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                if self.call("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"notification API at {self.base_url} did not come up")
            time.sleep(0.5)


def load(api: Api) -> None:
    admin = api.token()
    status, body = api.call("POST", f"/regions/{REGION}/rules/defaults", token=admin)
    _check(status, body, "default rules")
    print(f"notification demo: default rules restored: {body['added'] or 'none missing'}")
    for rule in DEMO_RULES:
        status, body = api.call("POST", f"/regions/{REGION}/rules", rule, admin)
        _check(status, body, f"rule {rule['id']}", ok=(201, 409))
    for unit, email, preference in PREFERENCES:
        own = api.token("opd" if unit else "admin", unit, email)  # each person sets their own
        status, body = api.call("PUT", f"/preferences/{email}", preference, own)
        _check(status, body, f"preference of {email}")
    print(f"notification demo: {len(DEMO_RULES)} demo rule(s), {len(PREFERENCES)} preferences")


def _check(status: int, body: Any, what: str, ok: tuple[int, ...] = (200, 201)) -> None:
    if status not in ok:
        raise SystemExit(f"notification demo: {what} failed: {status} {body}")


def main() -> int:
    port = os.environ.get("NOTIFICATION_PORT", "8003")
    secret = os.environ.get("JWT_SECRET", "dev-only-secret-change-me-in-production-0123456789")
    api = Api(f"http://127.0.0.1:{port}", secret)
    api.wait_until_up()
    load(api)
    return 0


if __name__ == "__main__":
    sys.exit(main())
