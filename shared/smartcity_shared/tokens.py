"""Verifying bearer tokens: RS256 from the OIDC issuer (its JWKS), HS256 only in dev/test.

Framework-free: `TokenVerifier.claims(token)` returns the verified claims or raises
`jwt.PyJWTError` (the HTTP layer answers 401) or `KeysUnavailable` (503: the provider's keys
could not be fetched). Which claims a token must carry is the caller's business.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from typing import Any

import jwt

from .settings import Settings

DEV_PROFILES = ("dev", "test", "cluster")
KeySource = Callable[[str], Any]  # token -> the public key that signed it


class KeysUnavailable(Exception):
    """The issuer's discovery document or key set could not be fetched."""


def jwks_source(issuer: str, timeout: float = 5.0, lifespan: int = 300) -> KeySource:
    """Keys of `issuer` (its URL as the services reach it) through its discovery document's
    `jwks_uri`, cached for `lifespan` s; a token with an unknown `kid` makes PyJWKClient fetch
    the key set again (key rotation), at most once per 30 s (its cooldown)."""
    client: list[jwt.PyJWKClient] = []

    def key_for(token: str) -> Any:
        try:
            if not client:
                url = f"{issuer.rstrip('/')}/.well-known/openid-configuration"
                with urllib.request.urlopen(url, timeout=timeout) as resp:
                    jwks_uri = json.load(resp)["jwks_uri"]
                client.append(jwt.PyJWKClient(jwks_uri, lifespan=lifespan, timeout=int(timeout)))
            return client[0].get_signing_key_from_jwt(token).key
        except jwt.PyJWKClientConnectionError as exc:
            raise KeysUnavailable(str(exc)) from exc
        except (OSError, ValueError, KeyError) as exc:
            raise KeysUnavailable(f"discovery of {issuer} failed: {exc}") from exc

    return key_for


class TokenVerifier:
    """RS256 tokens of `issuer` for `audience`; HS256 with `hs256_secret` when it is given."""

    def __init__(
        self, issuer: str, audience: str, keys: KeySource | None, hs256_secret: str | None
    ) -> None:
        self.issuer, self.audience, self.keys, self.hs256_secret = (
            issuer,
            audience,
            keys,
            hs256_secret,
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenVerifier:
        """HS256 development tokens only in the dev and test profiles (`STACK_PROFILE`)."""
        issuer = settings.oidc_issuer
        secret = settings.jwt_secret if settings.profile in DEV_PROFILES else None
        keys = jwks_source(settings.oidc_backchannel_url or issuer) if issuer else None
        return cls(issuer, settings.oidc_audience, keys, secret)

    def claims(self, token: str) -> dict[str, Any]:
        alg = jwt.get_unverified_header(token).get("alg")
        if alg == "RS256" and self.keys is not None:
            return jwt.decode(
                token,
                self.keys(token),
                algorithms=["RS256"],
                issuer=self.issuer,
                audience=self.audience,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        if alg == "HS256" and self.hs256_secret:
            return jwt.decode(
                token,
                self.hs256_secret,
                algorithms=["HS256"],
                options={"require": ["exp", "sub", "role"]},
            )
        raise jwt.InvalidAlgorithmError(f"tokens signed with {alg} are not accepted here")
