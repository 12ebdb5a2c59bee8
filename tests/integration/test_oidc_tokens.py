"""The APIs accept RS256 tokens of the configured issuer (the real Keycloak of the test
stack, keys through its JWKS) and refuse other issuers, other audiences and, outside the
dev/test profiles, the HS256 development tokens."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import jwt
import pytest
import requests
from flask.testing import FlaskClient

from evaluation import bootstrap
from evaluation.app import create_app
from smartcity_shared.devtoken import mint
from smartcity_shared.settings import Settings
from tests.support.oidc import access_token, ensure_keycloak
from tests.support.stack import eventually

ADMIN = "admin.smartcity@batangkab.go.id"


@pytest.fixture(scope="module")
def keycloak(stack_env: dict[str, str]) -> dict[str, str]:
    ensure_keycloak()
    return stack_env


def api(settings: Settings) -> FlaskClient:
    return create_app(settings, bootstrap.build(settings)).test_client()


def post_region(client: FlaskClient, token: str) -> Any:
    return client.post(
        "/regions",
        json={"region_id": "kab-batang", "name": "Kabupaten Batang"},
        headers={"Authorization": f"Bearer {token}"},
    )


def test_a_keycloak_token_is_accepted_with_its_role_and_region(
    keycloak: dict[str, str], make_settings: Callable[[str], Settings]
) -> None:
    client = api(make_settings("evaluation"))
    token = access_token(keycloak, ADMIN)
    assert post_region(client, token).status_code == 201
    units = client.get("/regions/kab-batang/units", headers={"Authorization": f"Bearer {token}"})
    assert units.status_code == 200, units.get_json()
    viewer = access_token(keycloak, "publik@batangkab.go.id")
    refused = client.post(
        "/regions/kab-batang/units",
        json={"code": "dinkes", "name": "Dinas Kesehatan"},
        headers={"Authorization": f"Bearer {viewer}"},
    )
    assert refused.status_code == 403, refused.get_json()


@pytest.mark.parametrize(
    "change",
    [
        {"oidc_audience": "another-api"},
        {"oidc_issuer_realm": "master"},
    ],
    ids=["another audience", "another issuer"],
)
def test_a_keycloak_token_for_another_audience_or_issuer_is_401(
    keycloak: dict[str, str], make_settings: Callable[[str], Settings], change: dict[str, str]
) -> None:
    settings = make_settings("evaluation")
    if "oidc_issuer_realm" in change:
        other = settings.oidc_issuer.rsplit("/", 1)[0] + "/" + change["oidc_issuer_realm"]
        settings = settings.with_(oidc_issuer=other)
    else:
        settings = settings.with_(**change)
    response = post_region(api(settings), access_token(keycloak, ADMIN))
    assert response.status_code == 401, response.get_json()
    assert response.mimetype == "application/problem+json"


def test_development_tokens_are_refused_in_production_but_keycloak_tokens_pass(
    keycloak: dict[str, str], make_settings: Callable[[str], Settings]
) -> None:
    settings = make_settings("evaluation").with_(profile="production")
    client = api(settings)
    dev_token = mint(settings.jwt_secret, "admin", "kab-batang")
    assert post_region(client, dev_token).status_code == 401
    assert post_region(client, access_token(keycloak, ADMIN)).status_code == 201


def master_admin(env: dict[str, str]) -> dict[str, str]:
    """The local Keycloak's bootstrap administrator (admin/admin, deploy/local only)."""
    base = env["OIDC_ISSUER"].rsplit("/realms/", 1)[0]
    answer = requests.post(
        f"{base}/realms/master/protocol/openid-connect/token",
        data={"grant_type": "password", "client_id": "admin-cli"}
        | {"username": "admin", "password": "admin"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_a_token_signed_by_a_rotated_in_key_is_accepted_without_a_restart(
    keycloak: dict[str, str], make_settings: Callable[[str], Settings]
) -> None:
    client = api(make_settings("evaluation"))
    before = access_token(keycloak, ADMIN)
    assert post_region(client, before).status_code == 201  # the key set is now cached
    admin_api = keycloak["OIDC_ISSUER"].replace("/realms/", "/admin/realms/")
    headers = master_admin(keycloak)
    realm_id = requests.get(admin_api, headers=headers, timeout=30).json()["id"]
    name = f"rotated-{uuid.uuid4().hex[:6]}"
    made = requests.post(
        f"{admin_api}/components",
        json={
            "name": name,
            "providerId": "rsa-generated",
            "providerType": "org.keycloak.keys.KeyProvider",
            "parentId": realm_id,
            "config": {"priority": ["1000"], "keySize": ["2048"], "algorithm": ["RS256"]},
        },
        headers=headers,
        timeout=30,
    )
    assert made.status_code == 201, made.text
    try:
        after = access_token(keycloak, ADMIN)
        assert jwt.get_unverified_header(after)["kid"] != jwt.get_unverified_header(before)["kid"]
        signed = {"Authorization": f"Bearer {after}"}
        # The unknown kid makes the API fetch the key set again; PyJWKClient allows one such
        # fetch per 30 s (a flood of forged kids cannot hammer the provider).
        eventually(
            lambda: client.get("/regions/kab-batang/units", headers=signed).status_code == 200,
            timeout=90,
            interval=2,
            message="token of the rotated-in key accepted",
        )
    finally:
        requests.delete(made.headers["Location"], headers=headers, timeout=30)
