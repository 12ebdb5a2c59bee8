"""Tokens from the test stack's real Keycloak (the password grant of the local-only
`smartcity-cli` client), and starting Keycloak when a test needs it."""

from __future__ import annotations

import requests

from tests.support.stack import stack

DEMO_PASSWORD = "batang-demo"  # deploy/local/stacklib/keycloak.py, docs/DEMO.md


def ensure_keycloak() -> None:
    """Keycloak is not part of `up --infra-only`; start it (no-op when it runs)."""
    stack("start", "keycloak")


def password_grant(
    env: dict[str, str], username: str, password: str = DEMO_PASSWORD
) -> requests.Response:
    return requests.post(
        f"{env['OIDC_ISSUER']}/protocol/openid-connect/token",
        data={
            "grant_type": "password",
            "client_id": "smartcity-cli",
            "username": username,
            "password": password,
            "scope": "openid",
        },
        timeout=30,
    )


def access_token(env: dict[str, str], username: str, password: str = DEMO_PASSWORD) -> str:
    response = password_grant(env, username, password)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])
