"""Request bodies are read or refused, never silently ignored (before any view runs).

- A write (POST/PUT/PATCH/DELETE) that carries bytes must be `application/json` (or
  `+json`), or `multipart/form-data` / a form where the view declares such a body: else 415.
  A PUT/PATCH to a view that expects a JSON body must carry one (415 or 422), so a record is
  never reset to defaults because its body went unread.
- A JSON body is checked once for what the store and the schemas cannot take: nesting deeper
  than `MAX_JSON_DEPTH` (400), and (422, with the paths) lone surrogates, strings over
  `MAX_STRING` characters, arrays or objects over `MAX_ITEMS` entries, integers outside 64
  bits, NaN/Infinity. Tighter per-field limits live in the schemas (`http.schemas`).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, Response, current_app, request

from ..limits import MAX_INT, MAX_ITEMS, MAX_STRING
from . import problems

#: JSON bodies nested deeper than this are refused with 400 (the parser would otherwise hit
#: Python's recursion limit and answer 500; the store also caps nesting at 100).
MAX_JSON_DEPTH = 64
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORMS = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})


def guard(app: Flask) -> None:
    @app.before_request
    def check_body() -> Response | None:
        if request.method not in WRITES:
            return None
        if request.is_json:
            return _check_json()
        return _check_other()


def _declared_locations() -> set[str]:
    """The body locations (`json`, `form`, `files`) the matched view's arguments declare."""
    view = current_app.view_functions.get(request.endpoint or "")
    handler = getattr(getattr(view, "view_class", None), request.method.lower(), None) or view
    apidoc = getattr(handler, "_apidoc", None) or {}
    parameters = apidoc.get("arguments", {}).get("parameters", [])
    return {str(p.get("in")) for p in parameters if isinstance(p, dict)}


def _has_bytes() -> bool:
    return bool(request.content_length) or "chunked" in request.headers.get("Transfer-Encoding", "")


def _check_other() -> Response | None:
    declared = _declared_locations()
    if request.mimetype in FORMS and declared & {"form", "files"}:
        return None
    wants_json = "json" in declared
    if not _has_bytes() and not (wants_json and request.method in ("PUT", "PATCH")):
        return None  # an action without a body (POST .../submit)
    kind = request.mimetype or "no Content-Type"
    detail = f"The body must be application/json (got {kind}); it was not read."
    accept = {"Accept": "application/json"}
    return problems.problem(415, "Unsupported Media Type", detail, headers=accept)


def _check_json() -> Response | None:
    raw = request.get_data(cache=True)  # over MAX_CONTENT_LENGTH: 413
    if not raw:
        if "json" in _declared_locations() and request.method in ("PUT", "PATCH"):
            return _invalid({"$root": ["a JSON body is required"]})
        return None
    try:
        body = json.loads(raw, parse_constant=_refuse_constant)
    except RecursionError:
        return _too_deep()
    except _Constant as exc:
        return _invalid({"$root": [f"{exc} is not a JSON number"]})
    except ValueError:
        return None  # malformed JSON: the view's parser reports it (400)
    errors = _walk(body)
    if errors is _DEEP:
        return _too_deep()
    return _invalid(errors) if errors else None


class _Constant(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _Constant(name)


def _too_deep() -> Response:
    detail = f"The JSON body is nested deeper than {MAX_JSON_DEPTH} levels."
    return problems.problem(400, "Bad Request", detail)


def _invalid(errors: dict[str, list[str]]) -> Response:
    detail = "The request body is invalid; see errors."
    return problems.problem(422, "Unprocessable Entity", detail, errors)


_DEEP: dict[str, list[str]] = {"$depth": []}


def _walk(value: Any) -> dict[str, list[str]]:
    """Field path -> problems of `value` (no recursion), or `_DEEP` when nested too deep."""
    errors: dict[str, list[str]] = {}
    stack: list[tuple[Any, str, int]] = [(value, "", 1)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_JSON_DEPTH:
                return _DEEP
            if len(item) > MAX_ITEMS:
                errors[path or "$root"] = [f"at most {MAX_ITEMS} entries"]
                continue
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in pairs:
                child_path = _path(path, key)
                if isinstance(key, str) and (message := _string_problem(key)):
                    errors[child_path] = [f"key {message}"]
                    continue
                stack.append((child, child_path, depth + 1))
        else:
            message = _scalar_problem(item)
            if message:
                errors[path or "$root"] = [message]
    return errors


def _path(parent: str, key: object) -> str:
    """`parent.key`, printable: a key with a lone surrogate or of 20,000 characters is shown
    escaped and shortened (the error body must stay valid and small)."""
    text = str(key).encode("utf-8", "backslashreplace").decode("utf-8")[:100]
    return f"{parent}.{text}" if parent else text


def _scalar_problem(value: Any) -> str | None:
    if isinstance(value, str):
        return _string_problem(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
        return "integer out of range (64-bit)"
    return None


def _string_problem(value: str) -> str | None:
    if len(value) > MAX_STRING:
        return f"at most {MAX_STRING} characters"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "not valid Unicode (a lone surrogate)"
    return None
