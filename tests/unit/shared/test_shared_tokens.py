"""Which bearer tokens the APIs accept: RS256 of the configured issuer and audience (keys from
a key source; here a fixed key pair), HS256 development tokens only in the dev/test profiles."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from smartcity_shared.devtoken import mint
from smartcity_shared.errors import Unauthorized, Unavailable
from smartcity_shared.http.auth import decode_token
from smartcity_shared.settings import Settings
from smartcity_shared.tokens import KeysUnavailable, TokenVerifier

ISSUER = "https://sso.example.go.id/realms/smartcity"
AUDIENCE = "smartcity-api"
SECRET = "unit-test-secret-0123456789-0123456789"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def rs256(key: Any = KEY, **changes: Any) -> str:
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "u-1",
        "role": "opd",
        "region": "kab-batang",
        "unit": "dinkes",
        "exp": int(time.time()) + 60,
        **changes,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})


def verifier(profile: str = "production") -> TokenVerifier:
    settings = Settings(
        service="t", profile=profile, oidc_issuer=ISSUER, oidc_audience=AUDIENCE, jwt_secret=SECRET
    )
    made = TokenVerifier.from_settings(settings)
    made.keys = lambda token: KEY.public_key()  # the issuer's key set, as PyJWKClient gives it
    return made


def test_an_rs256_token_of_the_issuer_is_accepted_with_its_claims() -> None:
    identity = decode_token(rs256(), verifier())
    assert (identity.role, identity.region, identity.unit) == ("opd", "kab-batang", "dinkes")


@pytest.mark.parametrize(
    "token",
    [
        rs256(iss="https://elsewhere.example/realms/smartcity"),
        rs256(aud="another-client"),
        rs256(exp=int(time.time()) - 120),
        rs256(key=OTHER_KEY),
    ],
    ids=["other issuer", "other audience", "expired", "signed by another key"],
)
def test_tokens_of_another_issuer_audience_key_or_expired_are_refused(token: str) -> None:
    with pytest.raises(Unauthorized):
        decode_token(token, verifier())


def test_development_tokens_are_refused_outside_dev_and_test() -> None:
    dev_token = mint(SECRET, "admin", "kab-batang")
    with pytest.raises(Unauthorized, match="HS256"):
        decode_token(dev_token, verifier("production"))
    for profile in ("dev", "test"):
        assert decode_token(dev_token, verifier(profile)).role == "admin"


def test_a_provider_whose_keys_cannot_be_fetched_is_503_not_401() -> None:
    made = verifier()

    def down(token: str) -> Any:
        raise KeysUnavailable("connection refused")

    made.keys = down
    with pytest.raises(Unavailable):
        decode_token(rs256(), made)


@pytest.mark.parametrize(("role", "accepted"), [("assessor", True), ("viewer", True),
                                                ("admin", False), ("opd", False)])  # fmt: skip
def test_only_assessors_and_viewers_may_hold_every_region(role: str, accepted: bool) -> None:
    token = mint(SECRET, role, "*", "dinkes" if role == "opd" else "")
    if accepted:
        assert decode_token(token, SECRET).region == "*"
    else:
        with pytest.raises(Unauthorized):
            decode_token(token, SECRET)
