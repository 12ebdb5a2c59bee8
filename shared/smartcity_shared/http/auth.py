"""JWT bearer authentication (HS256) and role checks for views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import jwt
from flask import current_app, g, request

from ..errors import Forbidden, Unauthorized, Unavailable
from ..identity import ALL_REGIONS, Identity, identity_from_claims
from ..tokens import KeysUnavailable, TokenVerifier

F = TypeVar("F", bound=Callable[..., Any])
__all__ = ["ALL_REGIONS", "current_identity", "decode_token", "requires"]


def decode_token(token: str, verifier: TokenVerifier | str) -> Identity:
    """Verify signature and expiry, then the claims (`identity_from_claims`); raises
    Unauthorized for anything else (alg=none included), Unavailable when the provider's keys
    cannot be fetched. `verifier` may be a bare HS256 secret (development tokens only)."""
    if isinstance(verifier, str):
        verifier = TokenVerifier("", "", None, verifier)
    try:
        claims = verifier.claims(token)
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"invalid token: {exc}") from exc
    except KeysUnavailable as exc:
        raise Unavailable(f"the sign-in provider's keys cannot be fetched: {exc}") from exc
    return identity_from_claims(claims)


def current_identity() -> Identity:
    """The caller of this request; raises Unauthorized without a valid bearer token."""
    cached = g.get("identity")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("a bearer token is required")
    identity = decode_token(token.strip(), current_app.config["TOKEN_VERIFIER"])
    g.identity = identity
    return identity


def requires(*roles: str) -> Callable[[F], F]:
    """Decorator: the caller must hold one of `roles` (any role when none are given)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            identity = current_identity()
            if roles and identity.role not in roles:
                raise Forbidden(f"role {identity.role} may not do this")
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
