"""Reusable marshmallow fields and schemas for HTTP bodies."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import available_timezones

from marshmallow import INCLUDE, Schema, ValidationError, fields, validate

from ..limits import MAX_LINKS, MAX_NAME, MAX_TEXT, link_problem

SLUG = validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,62}$", error="use lowercase letters, digits and '-'")
_ZONES = frozenset(available_timezones()) or frozenset(
    {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "UTC"}
)


def Slug(**kwargs: Any) -> fields.String:  # noqa: N802  (a field factory reads like a field)
    return fields.String(validate=SLUG, **kwargs)


def TimeZone(**kwargs: Any) -> fields.String:  # noqa: N802
    return fields.String(
        validate=validate.OneOf(sorted(_ZONES), error="unknown time zone"), **kwargs
    )


#: Dates accepted anywhere (bodies and filters): a year before 1900 or after 2999 is a typo,
#: and `0001-01-01` or `9999-12-31` overflow date arithmetic (time zones, day counts).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
DAY_RANGE = validate.Range(FIRST_DAY, LAST_DAY, error="must be between 1900-01-01 and 2999-12-31")


def Day(**kwargs: Any) -> fields.Date:  # noqa: N802
    """A `YYYY-MM-DD` date between 1900 and 2999 (for bodies and query filters)."""
    return fields.Date(validate=DAY_RANGE, **kwargs)


def Name(**kwargs: Any) -> fields.String:  # noqa: N802
    """A name, title or label: at most MAX_NAME (200) characters."""
    return fields.String(validate=validate.Length(max=MAX_NAME), **kwargs)


def Text(**kwargs: Any) -> fields.String:  # noqa: N802
    """A reason, note or description: at most MAX_TEXT (10,000) characters."""
    return fields.String(validate=validate.Length(max=MAX_TEXT), **kwargs)


def _check_link(value: str) -> None:
    problem = link_problem(value)
    if problem:
        raise ValidationError(problem)


def Link(**kwargs: Any) -> fields.String:  # noqa: N802
    """An absolute http/https URL (`limits.link_problem`: no javascript:, data:, file:,
    relative paths)."""
    return fields.String(validate=_check_link, **kwargs)


def Links(**kwargs: Any) -> fields.List:  # noqa: N802
    """Up to MAX_LINKS (50) links."""
    return fields.List(Link(), validate=validate.Length(max=MAX_LINKS), **kwargs)


class Paging(Schema):
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 500))
    offset = fields.Integer(load_default=0, validate=validate.Range(0))


class Problem(Schema):
    """RFC 9457 problem details: the body of every 4xx/5xx (documentation only)."""

    class Meta:
        unknown = INCLUDE  # problem types may add members (RFC 9457 section 3.2)

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "invalid input: field path -> messages (at most 50)"},
    )
    errors_omitted = fields.Integer(
        metadata={"description": "how many more field paths were invalid than listed"}
    )
