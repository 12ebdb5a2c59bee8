"""Helpers the blueprints share: the context, the caller, responses with an ETag."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app

from smartcity_shared.http.app import current_correlation_id
from smartcity_shared.http.auth import current_identity
from smartcity_shared.http.etag import expected_revision
from smartcity_shared.http.responses import with_etag
from smartcity_shared.identity import Identity

from ..bootstrap import Context

Doc = dict[str, Any]
Response = tuple[Doc, int, dict[str, str]]


def ctx() -> Context:
    return current_app.extensions["ctx"]  # type: ignore[no-any-return]


def who() -> Identity:
    return current_identity()


def cid() -> str:
    return current_correlation_id()


def if_match() -> int | None:
    return expected_revision()


def respond(doc: Doc, view: Callable[[Doc], Doc], status: int = 200) -> Response:
    """`doc` shaped by `view`, with `revision` in the body and the ETag header."""
    body, code, headers = with_etag(doc, status)
    return view(body), code, headers
