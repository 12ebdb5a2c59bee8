"""What every notification blueprint shares: the context, paging and date filters."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from marshmallow import Schema, fields, validate

from ..bootstrap import Context

LOCAL = ZoneInfo("Asia/Jakarta")


def ctx() -> Context:
    return current_app.extensions["ctx"]  # type: ignore[no-any-return]


class PageQuery(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 500))
    offset = fields.Integer(load_default=0, validate=validate.Range(0, 1_000_000))


def page(items: list[Any], total: int, query: dict[str, Any]) -> dict[str, Any]:
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


def day_range(first: date | None, last: date | None) -> dict[str, datetime]:
    """A `created_at` range over whole local days (Asia/Jakarta), both ends inclusive."""
    bounds: dict[str, datetime] = {}
    if first is not None:
        bounds["$gte"] = datetime.combine(first, time(0), tzinfo=LOCAL)
    if last is not None:
        bounds["$lt"] = datetime.combine(last + timedelta(days=1), time(0), tzinfo=LOCAL)
    return bounds
