"""Sign-in on the running stack: the gunicorn APIs accept the stack's Keycloak tokens, and a
person an admin adds over HTTP gets an account and a set-password mail from the accounts
worker process (read back from the mail sink); removed, the person cannot sign in."""

from __future__ import annotations

import re
import uuid
from typing import Any

import requests

from tests.support.oidc import access_token, ensure_keycloak, password_grant
from tests.support.stack import eventually

SERVICES = ("evaluation", "innovation", "notification")


def test_a_keycloak_token_is_accepted_by_every_api(running: Any) -> None:
    ensure_keycloak()
    token = access_token(running.env, "admin.smartcity@batangkab.go.id")
    for service in SERVICES:
        spec = requests.get(running.url(service, "/openapi.json"), timeout=10).json()
        path = next(p for p in spec["paths"] if "get" in spec["paths"][p] and "{" in p)
        concrete = re.sub(r"\{[^}]+\}", "kab-batang", path)
        signed = {"Authorization": f"Bearer {token}"}
        answer = requests.get(running.url(service, concrete), headers=signed, timeout=10)
        assert answer.status_code != 401, (service, concrete, answer.text)
        assert requests.get(running.url(service, concrete), timeout=10).status_code == 401
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    refused = requests.get(
        running.url("evaluation", "/regions"),
        headers={"Authorization": f"Bearer {forged}"},
        timeout=10,
    )
    assert refused.status_code == 401


def test_a_person_added_over_http_is_invited_and_locked_out_when_removed(running: Any) -> None:
    ensure_keycloak()
    admin = running.headers("admin")
    evaluation = running.url("evaluation")
    requests.post(
        f"{evaluation}/regions",
        json={"region_id": "kab-batang", "name": "Kabupaten Batang"},
        headers=admin,
        timeout=10,
    )
    email = f"e2e.{uuid.uuid4().hex[:8]}@batangkab.go.id"
    created = requests.post(
        f"{evaluation}/regions/kab-batang/people",
        json={"name": "Publik E2E", "email": email, "role": "viewer"},
        headers=admin,
        timeout=10,
    )
    assert created.status_code == 201, created.text

    def invitation() -> list[dict[str, Any]]:
        return [m for m in running.mails() if email in m["to"]]

    [mail] = eventually(invitation, timeout=90, message="set-password mail")
    assert mail["subject"]
    person = created.json()
    removed = requests.patch(
        f"{evaluation}/regions/kab-batang/people/{person['id']}",
        json={"active": False},
        headers={**admin, "If-Match": created.headers["ETag"]},
        timeout=10,
    )
    assert removed.status_code == 200, removed.text
    # No password was ever set; a disabled account answers "disabled" rather than "invalid".
    eventually(
        lambda: "disabled" in password_grant(running.env, email, "x").text.lower(),
        timeout=90,
        message="account disabled",
    )
