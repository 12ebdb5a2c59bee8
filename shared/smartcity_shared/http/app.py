"""The base of every service's Flask app: OpenAPI, errors, health, readiness, metrics, ids."""

from __future__ import annotations

import http
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, g, jsonify, request
from flask_smorest import Api, Blueprint
from pymongo import MongoClient

from .. import kafka_io, logs, metrics, store
from ..logs import correlation_id
from ..settings import Settings, refuse_unsafe_secret
from ..tokens import TokenVerifier
from . import assets, bodies, problems
from .openapi_errors import ErrorResponses
from .schemas import Problem

Check = Callable[[], str | None]  # None when healthy, else a short reason
log = logging.getLogger(__name__)
ACCESS_LOG = logging.getLogger("access")


class ProblemApi(Api):
    """flask-smorest's Api documenting what `problems` really answers: every 4xx/5xx
    (the `default` response and e.g. the 422 of `@blp.arguments`) as
    application/problem+json with the `Problem` schema, not flask-smorest's own JSON `Error`.
    `_register_responses` replaces flask-smorest's (pinned in constraints.txt);
    tests/contracts/test_openapi_documents.py notices when an upgrade changes it."""

    ERROR_SCHEMA = Problem

    def _register_responses(self) -> None:
        problem = {problems.PROBLEM: {"schema": self.ERROR_SCHEMA}}
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["content"] = problem
            self.spec.components.response(status.name, response, lazy=True)
        self.spec.components.response(
            self.DEFAULT_ERROR_RESPONSE_NAME,
            {"description": "Error (RFC 9457 problem details)", "content": problem},
            lazy=True,
        )


def create_base_app(
    settings: Settings, title: str, checks: dict[str, Check], version: str = "1.0"
) -> tuple[Flask, Api]:
    """A Flask app with a flask-smorest Api, problem+json errors, `/healthz`, `/readyz`
    (each of `checks` must pass) and `/metrics`. Nothing connects at creation."""
    app = Flask(settings.service)
    app.config.update(
        API_TITLE=title,
        API_VERSION=version,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL=assets.url("swagger-ui-dist"),  # served by the service
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        JWT_SECRET=settings.jwt_secret,
        TOKEN_VERIFIER=TokenVerifier.from_settings(settings),
        JSON_SORT_KEYS=False,
        SETTINGS=settings,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    api = ProblemApi(
        app,
        spec_kwargs={
            "components": {
                "securitySchemes": {
                    "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
                }
            },
            "security": [{"bearer": []}],
            "extra_plugins": [ErrorResponses()],
        },
    )
    problems.register(app)
    _instrument(app, settings.service)
    bodies.guard(app)
    _health_routes(app, checks)
    assets.register(app)
    return app, api


def create_service_app(
    settings: Settings,
    title: str,
    client: MongoClient[dict[str, Any]],
    blueprints: Iterable[Blueprint],
    ensure_indexes: Callable[[], None],
) -> Flask:
    """A service's app: JSON logs, readiness on the service's store and the broker, its
    blueprints, and indexes ensured at start (a store that is down at start is logged, /readyz
    says so, and the indexes come with the next start). Callers add `app.extensions["ctx"]`.
    Raises UnsafeSettings outside the dev/test profiles without a proper JWT_SECRET."""
    refuse_unsafe_secret(settings)
    logs.configure(settings.service, settings.log_level)
    app, api = create_base_app(
        settings,
        title,
        {
            "store": lambda: store.ping(client),
            "broker": lambda: kafka_io.broker_reachable(settings),
        },
    )
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    try:
        ensure_indexes()
    except Exception:
        log.warning("could not ensure indexes at start", exc_info=True)
    return app


def _instrument(app: Flask, service: str) -> None:
    @app.before_request
    def start() -> None:
        g.started = time.perf_counter()
        cid = request.headers.get("X-Correlation-ID", "").strip()[:128] or str(uuid.uuid4())
        g.correlation_id = cid
        correlation_id.set(cid)

    @app.after_request
    def finish(response: Response) -> Response:
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        metrics.HTTP_REQUESTS.labels(service, request.method, endpoint, response.status_code).inc()
        elapsed = time.perf_counter() - g.get("started", time.perf_counter())
        metrics.HTTP_LATENCY.labels(service, endpoint).observe(elapsed)
        response.headers["X-Correlation-ID"] = g.get("correlation_id", "")
        _access(response, elapsed)
        return response


def _access(response: Response, elapsed: float) -> None:
    """One JSON access line per request (logger `access`), with the correlation id."""
    fields = {
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round(elapsed * 1000, 1),
    }
    message = f"{request.method} {request.path} {response.status_code}"
    ACCESS_LOG.info(message, extra={"fields": fields})


def _health_routes(app: Flask, checks: dict[str, Check]) -> None:
    @app.get("/healthz")
    def healthz() -> Any:
        return jsonify(status="ok")

    @app.get("/readyz")
    def readyz() -> Any:
        # `?only=store` asks about the named checks alone: Kubernetes keeps an API in service
        # through a Kafka outage (writes wait in the outbox), see docs/OPERATIONS.md.
        only = [n for n in request.args.get("only", "").split(",") if n]
        unknown = sorted(set(only) - set(checks))
        if unknown:
            detail = f"unknown check(s) {', '.join(unknown)}; known: {', '.join(sorted(checks))}"
            return problems.problem(400, "Bad request", detail)
        chosen = {name: check for name, check in checks.items() if not only or name in only}
        results = {name: check() for name, check in chosen.items()}
        down = {name: reason for name, reason in results.items() if reason}
        if down:
            detail = "; ".join(f"{name} down ({reason})" for name, reason in down.items())
            return problems.problem(503, "Not ready", detail, headers={"Retry-After": "5"})
        return jsonify(status="ready", checks={name: "ok" for name in results})

    @app.get("/metrics")
    def metrics_view() -> Any:
        body, content_type = metrics.render()
        return Response(body, content_type=content_type)


def current_correlation_id() -> str:
    return str(g.get("correlation_id", "")) or str(uuid.uuid4())
