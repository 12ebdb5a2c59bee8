"""Reusable marshmallow fields and schemas for HTTP bodies."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from marshmallow import INCLUDE, Schema, fields, validate

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
        metadata={"description": "invalid input: field path -> messages"},
    )
