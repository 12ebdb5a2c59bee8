"""Sign-in with the OIDC provider: authorization code + PKCE (authlib), sign-out.

`/login?next=<path>` sends the browser to the provider; `/callback` takes the code, keeps the
access token and the person's claims (role, region, unit) in the session and returns to
`next` (a path on this portal only); an expired access token is renewed with the refresh
token. `/logout` ends the provider's session and the portal's, back to the home page.
"""

from __future__ import annotations

from typing import Any

import requests
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, current_app, redirect, request, session, url_for
from werkzeug.wrappers import Response

from .session import sign_in, user_from_tokens

bp = Blueprint("auth", __name__)
oauth = OAuth()


def setup(app: Flask, metadata_url: str, client_id: str, client_secret: str) -> None:
    oauth.init_app(app)
    oauth.register(
        "provider",
        client_id=client_id,
        client_secret=client_secret or None,
        server_metadata_url=metadata_url,
        client_kwargs={"scope": "openid profile email", "code_challenge_method": "S256"},
    )
    app.register_blueprint(bp)


def local_path(target: str | None) -> str:
    """`target` when it is a path on this site, else the home page (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("home.index")


def _provider() -> Any:
    return oauth.create_client("provider")


@bp.get("/login")
def login() -> Response:
    session["next"] = local_path(request.args.get("next"))
    base = current_app.extensions["portal"].base_url
    return _provider().authorize_redirect(f"{base}/callback")  # type: ignore[no-any-return]


@bp.get("/callback")
def callback() -> Response:
    token = _provider().authorize_access_token()
    user = user_from_tokens(token["access_token"], dict(token.get("userinfo") or {}))
    target = local_path(session.pop("next", None))
    session.clear()
    sign_in(user, token.get("refresh_token", ""))
    return redirect(target)


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> Response:
    """Ends the provider's session over the back channel (with the refresh token), then the
    portal's: signing in again asks for the password."""
    refresh_token = session.get("refresh_token", "")
    session.clear()
    end = _provider().load_server_metadata().get("end_session_endpoint")
    if end and refresh_token:
        _post(end, {"refresh_token": refresh_token})
    return redirect(url_for("home.index"))


def refreshed() -> bool:
    """A new access token for the signed-in person from the refresh token (kept in the
    session); False when there is none or the provider refuses (signed out, removed)."""
    refresh_token = session.get("refresh_token", "")
    endpoint = _provider().load_server_metadata().get("token_endpoint")
    if not refresh_token or not endpoint:
        return False
    answer = _post(endpoint, {"grant_type": "refresh_token", "refresh_token": refresh_token})
    if answer is None or "access_token" not in answer:
        return False
    sign_in(user_from_tokens(answer["access_token"], {}), answer.get("refresh_token", ""))
    return True


def _post(url: str, data: dict[str, str]) -> dict[str, Any] | None:
    ext = current_app.extensions["portal"]
    auth = (ext.client_id, ext.settings.oidc_client_secret)
    try:
        r = ext.http.post(url, data=data, auth=auth, timeout=10)
    except requests.RequestException:
        return None
    if r.status_code >= 400:
        return None
    try:
        body = r.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
