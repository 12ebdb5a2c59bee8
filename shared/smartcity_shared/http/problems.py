"""Every 4xx/5xx as application/problem+json (RFC 9457)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, json
from pymongo.errors import PyMongoError
from werkzeug.exceptions import HTTPException

from ..errors import DomainError
from ..limits import MAX_ERRORS
from ..store import is_store_failure

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"


def problem(
    status: int,
    title: str,
    detail: str = "",
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": f"https://smartcity.example/problems/{status}",
        "title": title,
        "status": status,
        "detail": detail or title,
    }
    if errors:
        body["errors"] = dict(list(errors.items())[:MAX_ERRORS])
        if len(errors) > MAX_ERRORS:
            body["errors_omitted"] = len(errors) - MAX_ERRORS
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Nested marshmallow/webargs messages → {"dotted.path": [messages]}."""
    if isinstance(messages, dict):
        out: dict[str, list[str]] = {}
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            out.update(flatten(value, path))
        return out
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return {prefix or "$root": list(messages)}
    return {prefix or "$root": [str(messages)]}


def _validation_errors(data: dict[str, Any]) -> dict[str, list[str]]:
    messages = data.get("errors") or data.get("messages") or {}
    if isinstance(messages, dict) and set(messages) <= {
        "json",
        "query",
        "form",
        "headers",
        "files",
    }:
        body = messages.pop("json", {})
        merged = flatten(body)
        for location, rest in messages.items():
            merged.update(flatten(rest, location))
        return merged
    return flatten(messages)


def handle_http(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = _validation_errors(data) if status in (400, 422) and data else None
    detail = data.get("message") or error.description or ""
    if status == 422 and errors:
        detail = "The request body or parameters are invalid; see errors."
    headers = dict(data.get("headers") or {})
    if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return problem(status, error.name, str(detail), errors, headers)


def handle_domain(error: DomainError) -> Response:
    return problem(error.status, error.title, error.detail, getattr(error, "errors", None))


def handle_store(error: PyMongoError) -> Response:
    if is_store_failure(error):
        log.warning("store unavailable: %s", error)
        return problem(
            503,
            "Service unavailable",
            "The store is unavailable; retry shortly.",
            headers={"Retry-After": "5"},
        )
    log.exception("store error")
    return problem(500, "Internal server error", "An unexpected store error occurred.")


def handle_unexpected(error: Exception) -> Response:
    log.exception("unhandled error")
    return problem(500, "Internal server error", "An unexpected error occurred.")


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(DomainError, handle_domain)
    app.register_error_handler(PyMongoError, handle_store)
    app.register_error_handler(Exception, handle_unexpected)
