"""Shared helpers of the document mappings: dates as ISO strings."""

from __future__ import annotations

from datetime import date
from typing import Any

Doc = dict[str, Any]


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None
