"""Sign-in with the OIDC provider: authorization code + PKCE (authlib), sign-out.

`/login?next=<path>` sends the browser to the provider; `/callback` takes the code, keeps the
access token and the person's claims (role, region, unit) in the session and returns to
`next` (a path on this portal only). `/logout` clears the session and ends the provider's
session too, coming back to the home page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

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
    sign_in(user)
    session["id_token"] = token.get("id_token", "")  # the hint that ends the provider session
    return redirect(target)


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> Response:
    hint = session.get("id_token", "")
    session.clear()
    ext = current_app.extensions["portal"]
    end = _provider().load_server_metadata().get("end_session_endpoint")
    if not end:
        return redirect(url_for("home.index"))
    params = {"client_id": ext.client_id, "post_logout_redirect_uri": f"{ext.base_url}/"}
    if hint:
        params["id_token_hint"] = hint
    query = urlencode(params)
    return redirect(f"{end}?{query}")
