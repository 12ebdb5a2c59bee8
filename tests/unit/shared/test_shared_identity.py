"""The contract's claim rules (identity_from_claims) and the JWT_SECRET start-up refusal."""

from __future__ import annotations

from typing import Any

import pytest

from smartcity_shared.errors import Unauthorized
from smartcity_shared.identity import identity_from_claims
from smartcity_shared.settings import (
    DEV_JWT_SECRET,
    Settings,
    UnsafeSettings,
    refuse_unsafe_secret,
)

GOOD = {"sub": "s", "role": "admin", "region": "kab-batang", "exp": 1_900_000_000}


@pytest.mark.parametrize(
    "claims",
    [
        {**GOOD, "region": ""},
        {k: v for k, v in GOOD.items() if k != "region"},
        {**GOOD, "role": "viewer", "region": None},
        {**GOOD, "role": "assessor", "region": "  "},
        {**GOOD, "role": "opd"},
        {**GOOD, "role": "opd", "unit": ""},
        {**GOOD, "exp": "1900000000"},
        {**GOOD, "exp": True},
        {**GOOD, "region": ["kab-batang"]},
        {**GOOD, "catalogue": "yes"},
        {**GOOD, "region": "*"},
        {**GOOD, "role": "root"},
    ],
)
def test_claims_outside_the_contract_are_refused(claims: dict[str, Any]) -> None:
    with pytest.raises(Unauthorized):
        identity_from_claims(claims)


def test_good_claims_name_the_caller() -> None:
    opd = identity_from_claims({**GOOD, "role": "opd", "unit": "dinkes", "email": "a@b.id"})
    assert (opd.role, opd.region, opd.unit, opd.email, opd.catalogue) == (
        "opd",
        "kab-batang",
        "dinkes",
        "a@b.id",
        False,
    )
    assert identity_from_claims({**GOOD, "catalogue": True}).catalogue
    assert identity_from_claims({**GOOD, "role": "assessor", "region": "*"}).region == "*"


@pytest.mark.parametrize(
    ("secret", "reason"),
    [
        ("", "missing"),
        ("short-secret-31-bytes-long-xxxx", "shorter"),
        (DEV_JWT_SECRET, "placeholder"),
        ("change-me", "shorter"),
        ("change-me-change-me-change-me-change-me", "placeholder"),
    ],
)
def test_a_deployment_refuses_a_weak_jwt_secret(secret: str, reason: str) -> None:
    settings = Settings.from_env("evaluation", {"JWT_SECRET": secret})
    assert settings.profile == "production"
    with pytest.raises(UnsafeSettings, match=reason):
        refuse_unsafe_secret(settings)


def test_dev_and_test_profiles_keep_the_development_secret() -> None:
    for profile in ("dev", "test"):
        settings = Settings.from_env("evaluation", {"STACK_PROFILE": profile})
        assert settings.jwt_secret == DEV_JWT_SECRET
        refuse_unsafe_secret(settings)
    strong = Settings.from_env("evaluation", {"JWT_SECRET": "9f" * 32})
    refuse_unsafe_secret(strong)
    assert Settings.from_env("evaluation", {}).jwt_secret == ""
