"""Language-aware Jinja2 filters for the mail templates: dates, numbers, "in N days".

Indonesian uses day-month-year with Indonesian month names, a comma as decimal separator and
local zone abbreviations (WIB, WITA, WIT); English uses "7 July 2020" and a decimal point.
Filters never raise on odd input: they print the value as given.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import pass_context
from jinja2.runtime import Context

MONTHS = {
    "id": (
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip
ZONE_ABBREVIATIONS = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA"}
ZONE_ABBREVIATIONS["Asia/Jayapura"] = "WIT"
DEFAULT_TIMEZONE = "Asia/Jakarta"


def _language(ctx: Context) -> str:
    language = ctx.get("language", "id")
    return language if language in MONTHS else "id"


def _parse(value: Any) -> date | datetime | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            if len(value) == 10:
                return date.fromisoformat(value)
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


@pass_context
def longdate(ctx: Context, value: Any) -> str:
    """`7 Juli 2020` / `7 July 2020`; a datetime adds the local time (`pukul 23.59 WIB`)."""
    parsed = _parse(value)
    if parsed is None:
        return "" if value is None else str(value)
    language = _language(ctx)
    tz_name = str(ctx.get("timezone") or DEFAULT_TIMEZONE)
    if isinstance(parsed, datetime):
        try:
            local = parsed.astimezone(ZoneInfo(tz_name)) if parsed.tzinfo else parsed
        except (ZoneInfoNotFoundError, ValueError):
            local, tz_name = parsed, "UTC"
        day = local.date()
    else:
        local, day = None, parsed
    text = f"{day.day} {MONTHS[language][day.month - 1]} {day.year}"
    if local is None:
        return text
    zone = ZONE_ABBREVIATIONS.get(tz_name, tz_name)
    if language == "id":
        return f"{text} pukul {local:%H.%M} {zone}"
    return f"{text} at {local:%H:%M} {zone}"


@pass_context
def number(ctx: Context, value: Any, digits: int = 2, signed: bool = False) -> str:
    """A number with `digits` decimals: `3,48` (id) / `3.48` (en); `signed` adds `+`."""
    try:
        amount = float(value)
    except (TypeError, ValueError):
        return "" if value is None else str(value)
    text = f"{amount:+.{digits}f}" if signed else f"{amount:.{digits}f}"
    return text.replace(".", ",") if _language(ctx) == "id" else text


@pass_context
def days_phrase(ctx: Context, days: Any) -> str:
    """`dalam 3 hari` / `in 3 days`, `besok` / `tomorrow`, `hari ini` / `today`,
    `sudah lewat 2 hari` / `2 days ago`."""
    try:
        n = int(days)
    except (TypeError, ValueError):
        return ""
    english = _language(ctx) == "en"
    if n == 0:
        return "today" if english else "hari ini"
    if n == 1:
        return "tomorrow" if english else "besok"
    if n == -1:
        return "yesterday" if english else "kemarin"
    if n > 1:
        return f"in {n} days" if english else f"dalam {n} hari"
    return f"{-n} days ago" if english else f"sudah lewat {-n} hari"


FILTERS = {"longdate": longdate, "number": number, "days_phrase": days_phrase}
