"""Input limits and the link rule, in one place (docs/LIMITS.md lists them).

Pure Python (no Flask, no marshmallow): the HTTP layer (`http.bodies`, `http.schemas`) and the
domain of every service use the same numbers and the same `link_problem`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar
from urllib.parse import urlsplit

from .errors import Conflict

T = TypeVar("T")

#: A name, title or short label (a person's, a unit's, an innovation's name).
MAX_NAME = 200
#: A reason, note, comment or description.
MAX_TEXT = 10_000
#: Any other string anywhere in a JSON body (the ceiling of every string).
MAX_STRING = 20_000
#: A link (URL).
MAX_LINK = 2_048
#: Links in one evidence list.
MAX_LINKS = 50
#: Any array or object in a JSON body (the ceiling of every list and map).
MAX_ITEMS = 1_000
#: Notes (and status-change notes) on one recommendation (100 x (10,000 + 50 links) < 16 MB).
MAX_NOTES = 100
#: Entries of a trail that grows with every change (risk assessments, cycle changes,
#: status changes): the document stays far below the store's 16 MB.
MAX_HISTORY = 500
#: Integers in a JSON body fit a signed 64-bit integer (what the store keeps).
MAX_INT = 2**63 - 1
#: Field errors listed in one problem body; the rest are counted in `errors_omitted`.
MAX_ERRORS = 50

LINK_RULE = "must be an http(s) URL (https://host/...)"


def link_problem(value: object) -> str | None:
    """None when `value` is an absolute http/https URL with a host, else the message.

    `javascript:`, `data:`, `file:` and relative paths (`/../../etc`) are refused: a link is
    shown to other people, who must be able to open it safely."""
    if not isinstance(value, str) or not value:
        return LINK_RULE
    if len(value) > MAX_LINK:
        return f"at most {MAX_LINK} characters"
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return LINK_RULE
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return LINK_RULE
    if parts.scheme.lower() not in ("http", "https") or not host:
        return LINK_RULE
    return None


def appended(items: Sequence[T], item: T, limit: int, what: str) -> list[T]:
    """`items` + `item`; Conflict (409) once `limit` are kept, so a document that grows with
    every change stays bounded (the client learns why instead of the store failing)."""
    if len(items) >= limit:
        raise Conflict(f"at most {limit} {what} are kept")
    return [*items, item]
