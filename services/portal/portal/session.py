"""The signed-in person, kept in the signed session cookie, and their API clients."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, redirect, request, session, url_for
from werkzeug.wrappers import Response

from .clients import Clients

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class User:
    sub: str
    name: str
    email: str
    role: str
    region: str
    unit: str
    token: str
    expires_at: float
    signed_in_at: float = 0.0

    @property
    def expired(self) -> bool:
        return time.time() >= self.expires_at - 5

    @property
    def just_signed_in(self) -> bool:
        """A refusal of a token this fresh is not cured by signing in again (no loop)."""
        return time.time() - self.signed_in_at < 30


def token_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT the portal received from the provider's token endpoint itself
    (authorization code flow, back channel): read, not verified again; the APIs verify it."""
    try:
        payload = token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def user_from_tokens(access_token: str, id_claims: dict[str, Any]) -> User:
    claims = {**token_claims(access_token), **{k: v for k, v in id_claims.items() if v}}
    return User(
        sub=str(claims.get("sub", "")),
        name=str(claims.get("name") or claims.get("preferred_username") or ""),
        email=str(claims.get("email", "")),
        role=str(claims.get("role", "")),
        region=str(claims.get("region", "")),
        unit=str(claims.get("unit", "")),
        token=access_token,
        expires_at=float(token_claims(access_token).get("exp") or time.time() + 300),
        signed_in_at=time.time(),
    )


def sign_in(user: User, refresh_token: str = "") -> None:
    session["user"] = asdict(user)
    if refresh_token:
        session["refresh_token"] = refresh_token
    session.permanent = True


def current_user() -> User | None:
    data = session.get("user")
    if not isinstance(data, dict):
        return None
    try:
        return User(**data)
    except TypeError:
        return None


def clients(user: User | None = None) -> Clients:
    """The three API clients as `user` (the signed-in person by default)."""
    who = user or current_user()
    ext = current_app.extensions["portal"]
    return Clients.for_token(ext.api_urls, who.token if who else "", ext.timeout_s, ext.http)


def to_sign_in() -> Response:
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def signed_in(*roles: str) -> Callable[[F], F]:
    """The view needs a signed-in person (with one of `roles` when given)."""

    def wrap(view: F) -> F:
        @wraps(view)
        def inner(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is not None and user.expired:
                from .auth import refreshed

                user = current_user() if refreshed() else None
            if user is None:
                return to_sign_in()
            if roles and user.role not in roles:
                from flask import abort

                abort(403)
            return view(*args, **kwargs)

        return inner  # type: ignore[return-value]

    return wrap
