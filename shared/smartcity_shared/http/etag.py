"""ETag / If-Match on the stored revision (`_rev`)."""

from __future__ import annotations

from flask import request

from ..errors import PreconditionFailed


def etag(rev: int) -> str:
    return f'"{rev}"'


def expected_revision() -> int | None:
    """The revision named by If-Match, or None when the client sent none."""
    header = request.headers.get("If-Match")
    if not header or header.strip() == "*":
        return None
    value = header.split(",")[0].strip().removeprefix("W/").strip('"')
    try:
        return int(value)
    except ValueError as exc:
        raise PreconditionFailed(f"If-Match {header!r} names no revision of this resource") from exc
