"""Language and time: Indonesian by default, English on request (remembered in a cookie).

Messages are English msgids translated by `translations/<lang>/LC_MESSAGES/messages.po`; the
.po sources are compiled to .mo when the app is created (no binary files in the repository).
Dates and numbers are formatted in the user's locale; times in the region's time zone.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, request
from flask_babel import Babel, format_datetime, format_decimal

LANGUAGES = ("id", "en")
COOKIE = "lang"
SOURCES = Path(__file__).parent / "translations"


def compile_catalogues(target: Path) -> Path:
    """Compile every messages.po under SOURCES into the same layout under `target`."""
    for po in SOURCES.glob("*/LC_MESSAGES/messages.po"):
        out = target / po.relative_to(SOURCES).with_suffix(".mo")
        out.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as src:
            catalog = read_po(src)
        with out.open("wb") as dst:
            write_mo(dst, catalog)
    return target


def current_language() -> str:
    chosen = request.cookies.get(COOKIE, "")
    return chosen if chosen in LANGUAGES else ""


def setup(app: Flask, default_locale: str, timezone: str) -> None:
    compiled = compile_catalogues(Path(tempfile.mkdtemp(prefix="portal-i18n-")))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled)
    app.config["BABEL_DEFAULT_LOCALE"] = default_locale
    app.config["BABEL_DEFAULT_TIMEZONE"] = timezone
    Babel(app, locale_selector=lambda: current_language() or default_locale)
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["number"] = number
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["current_language"] = lambda: current_language() or default_locale


def when(value: Any, tz: str = "", fmt: str = "medium") -> str:
    """An ISO 8601 time from an API in the user's locale and the region's zone `tz`."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if tz and moment.tzinfo is not None:
        from zoneinfo import ZoneInfo

        moment = moment.astimezone(ZoneInfo(tz))
        return f"{format_datetime(moment.replace(tzinfo=None), fmt, rebase=False)} ({tz})"
    return str(format_datetime(moment, fmt))


def number(value: Any, digits: int = 2) -> str:
    """A score or count as the locale writes it (1,25 in Indonesian); a dash when missing."""
    if value is None or value == "":
        return "\u2013"
    try:
        pattern = f"#,##0.{'0' * digits}" if digits else "#,##0"
        return str(format_decimal(float(value), format=pattern))
    except (TypeError, ValueError):
        return str(value)


def local_year() -> int:
    """This year where the portal's zone is (the quota board's default year)."""
    from zoneinfo import ZoneInfo

    from flask import current_app

    return datetime.now(ZoneInfo(current_app.extensions["portal"].settings.timezone)).year
