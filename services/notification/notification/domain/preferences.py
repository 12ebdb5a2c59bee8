"""Per-person preferences and the send-now / digest / suppressed decision.

Preferences are keyed by e-mail address (normalized), because unit contacts are addresses
that need not belong to a known person. Defaults: Indonesian, no opt-outs, no digest.
Deadline and overdue notices cannot be opted out of and are never held for a digest; other
urgent notices are never held for a digest but can be opted out of by category.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from notification.domain.directory import DEFAULT_TIMEZONE
from notification.domain.notices import Notice
from notification.domain.reminders import zone
from notification.domain.rules import NON_SUPPRESSIBLE, Category, is_email, normalize_email
from smartcity_shared.errors import ValidationProblem


class Language(StrEnum):
    ID = "id"
    EN = "en"


DEFAULT_LANGUAGE = Language.ID


class Decision(StrEnum):
    SEND_NOW = "send_now"
    DIGEST = "digest"
    SUPPRESSED = "suppressed"


@dataclass(frozen=True)
class Preference:
    """How one address wants to be told. `digest_hour` (0-23, local) enables the digest."""

    email: str
    language: Language = DEFAULT_LANGUAGE
    opt_out: frozenset[Category] = frozenset()
    digest_hour: int | None = None
    timezone: str = DEFAULT_TIMEZONE


def default_preference(
    email: str, timezone: str = DEFAULT_TIMEZONE, language: str = DEFAULT_LANGUAGE.value
) -> Preference:
    """The preference of someone who never set one: the directory's language for the person
    (Indonesian when unknown or unsupported), the region's time zone, no opt-outs, no digest."""
    chosen = Language(language) if language in {lang.value for lang in Language} else None
    return Preference(
        email=normalize_email(email), language=chosen or DEFAULT_LANGUAGE, timezone=timezone
    )


def decide(preference: Preference | None, notice: Notice) -> Decision:
    """Send now, hold for the daily digest, or suppress (opted out). Pure; never raises.

    Order: deadline/overdue → send now; opted-out category → suppressed; urgent → send now;
    digest enabled → digest; otherwise send now.
    """
    if notice.category in NON_SUPPRESSIBLE:
        return Decision.SEND_NOW
    if preference is None:
        return Decision.SEND_NOW
    if notice.category in preference.opt_out:
        return Decision.SUPPRESSED
    if notice.urgent or preference.digest_hour is None:
        return Decision.SEND_NOW
    return Decision.DIGEST


_FIELDS = {"email", "language", "opt_out", "digest_hour", "timezone"}


def preference_from_dict(raw: Mapping[str, Any], email: str | None = None) -> Preference:
    """Validate a preference document (API body or stored document) and build it.

    `email`, when given (e.g. from the URL or token), wins over the body's. Raises
    `ValidationProblem` with every broken field; opting out of `deadline` or `overdue` is
    refused rather than silently ignored.
    """
    errors: dict[str, list[str]] = {}
    for key in sorted(set(raw) - _FIELDS):
        errors[key] = ["Unknown field."]
    address = email if email is not None else raw.get("email")
    if not isinstance(address, str) or not is_email(address):
        errors["email"] = ["Must be an e-mail address."]
    language = raw.get("language", DEFAULT_LANGUAGE.value)
    if language not in {lang.value for lang in Language}:
        errors["language"] = ["Must be one of: id, en."]
    opt_out = _opt_out(raw.get("opt_out", []), errors)
    digest_hour = raw.get("digest_hour")
    valid_hour = isinstance(digest_hour, int) and not isinstance(digest_hour, bool)
    if digest_hour is not None and not (valid_hour and 0 <= digest_hour <= 23):
        errors["digest_hour"] = ["Must be an hour from 0 to 23, or null for no digest."]
    timezone = raw.get("timezone", DEFAULT_TIMEZONE)
    try:
        zone(str(timezone))
    except ValidationProblem as problem:
        errors.update(problem.errors)
    if errors:
        raise ValidationProblem(errors, "The preference is invalid; see errors.")
    return Preference(
        email=normalize_email(str(address)),
        language=Language(language),
        opt_out=frozenset(opt_out),
        digest_hour=digest_hour,
        timezone=str(timezone),
    )


def _opt_out(value: Any, errors: dict[str, list[str]]) -> list[Category]:
    if not isinstance(value, list):
        errors["opt_out"] = ["Must be a list of categories."]
        return []
    found = []
    for index, item in enumerate(value):
        try:
            category = Category(item)
        except ValueError:
            errors[f"opt_out.{index}"] = [f"Unknown category {item!r}."]
            continue
        if category in NON_SUPPRESSIBLE:
            errors[f"opt_out.{index}"] = [f"{category.value} notices cannot be turned off."]
        found.append(category)
    return found


def preference_to_dict(preference: Preference) -> dict[str, Any]:
    """The preference as a JSON/BSON-safe document; inverse of `preference_from_dict`."""
    return {
        "email": preference.email,
        "language": preference.language.value,
        "opt_out": sorted(c.value for c in preference.opt_out),
        "digest_hour": preference.digest_hour,
        "timezone": preference.timezone,
    }
