"""create_app: the portal's Flask app (pages, sign-in, static files, errors)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, abort, render_template, request, send_from_directory
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from . import (
    admin,
    admin_insight,
    admin_oversight,
    auth,
    home,
    i18n,
    innovations,
    links,
    opd,
    prefs,
    public,
    review,
)
from .bootstrap import Portal
from .clients import ApiProblem, SignInAgain
from .session import current_user, to_sign_in
from .settings import PortalSettings


def create_app(settings: PortalSettings | None = None) -> Flask:
    settings = settings or PortalSettings.from_env()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.base_url.startswith("https://"),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=10),
    )
    app.extensions["portal"] = Portal(settings)
    i18n.setup(app, settings.default_locale, settings.timezone)
    auth.setup(
        app, settings.oidc_metadata_url, settings.oidc_client_id, settings.oidc_client_secret
    )
    blueprints = (home, opd, review, admin, admin_oversight, admin_insight, public, prefs, links)
    for module in (*blueprints, innovations):
        app.register_blueprint(module.bp)
    _assets(app, settings.assets_dir)
    _errors(app)
    app.context_processor(lambda: {"user": current_user()})
    app.after_request(_headers)
    return app


def _assets(app: Flask, assets_dir: str) -> None:
    """Pinned third-party front-end packages installed from the registry (never a CDN)."""
    root = Path(assets_dir) if assets_dir else None

    @app.get("/assets/<path:name>")
    def asset(name: str) -> Response:
        if root is None:
            abort(404)
        return send_from_directory(root, name, max_age=3600)


def _errors(app: Flask) -> None:
    @app.errorhandler(SignInAgain)
    def sign_in_again(_exc: SignInAgain) -> Any:
        user = current_user()
        if user is not None and user.just_signed_in:
            detail = _("The services did not accept your sign-in. Ask the administrator.")
            problem = ApiProblem(401, _("Sign-in not accepted"), detail, {})
            return render_template("error.html", problem=problem), 401
        return to_sign_in()

    @app.errorhandler(ApiProblem)
    def api_problem(exc: ApiProblem) -> Any:
        status = exc.status if 400 <= exc.status < 600 else 502
        return render_template("error.html", problem=exc), status

    @app.errorhandler(403)
    def forbidden(_exc: Any) -> Any:
        problem = ApiProblem(403, _("Not allowed"), _("This page is not for your role."), {})
        return render_template("error.html", problem=problem), 403

    @app.errorhandler(404)
    def not_found(_exc: Any) -> Any:
        problem = ApiProblem(404, _("Page not found"), request.path, {})
        return render_template("error.html", problem=problem), 404


def _headers(response: Response) -> Response:
    # Everything the pages load comes from this portal: say so to the browser as well.
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self' " + _form_targets(),
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _form_targets() -> str:
    from flask import current_app

    issuer = current_app.extensions["portal"].settings.oidc_issuer
    scheme_host = "/".join(issuer.split("/")[:3])
    return scheme_host
