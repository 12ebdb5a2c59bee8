"""Who may see and do what in the notification API (CONTRACT.md roles), framework-free.

- admin: everything of its region (delivery log, reminders, resend, rules, preferences of
  the region's addresses);
- assessor: reads the delivery log, reminders and rules of the regions it is given;
- opd: reads its own unit's deliveries and reminders;
- viewer: nothing here except its own preferences.
Everyone may read and edit their own preferences (the token's e-mail). Objects of another
region or unit are reported as absent (404), so nothing leaks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from notification.domain.rules import normalize_email
from smartcity_shared.errors import Forbidden, NotFound
from smartcity_shared.identity import Identity

READERS = ("admin", "assessor", "opd")


def log_scope(who: Identity, region: str | None = None) -> dict[str, Any]:
    """The store filter limiting deliveries or reminders to what `who` may read, narrowed to
    `region` when given. Raises Forbidden (viewer) or NotFound (a region not visible)."""
    if who.role not in READERS:
        raise Forbidden(f"role {who.role} may not read the delivery log")
    if region is not None and not who.sees_region(region):
        raise NotFound(f"region {region} not found")
    scope: dict[str, Any] = {}
    if region is not None:
        scope["region"] = region
    elif who.region != "*":
        scope["region"] = who.region
    if who.role == "opd":
        scope["unit_code"] = who.unit or "\x00none"
    return scope


def may_read(who: Identity, doc: Mapping[str, Any]) -> bool:
    """True when `doc` (a delivery or reminder) is within `who`'s log scope."""
    if who.role not in READERS or not who.sees_region(str(doc.get("region") or "")):
        return False
    return who.role != "opd" or (bool(who.unit) and doc.get("unit_code") == who.unit)


def require_readable(who: Identity, doc: Mapping[str, Any] | None, what: str) -> Mapping[str, Any]:
    if doc is None or not may_read(who, doc):
        raise NotFound(f"{what} not found")
    return doc


def require_manager(who: Identity, region: str) -> None:
    """Only the region's admin changes its rules or resends its mail."""
    if not who.manages_region(region):
        if who.sees_region(region) and who.role in READERS:
            raise Forbidden("only the region's admin may do this")
        raise NotFound(f"region {region} not found")


def require_rule_reader(who: Identity, region: str) -> None:
    if who.role not in ("admin", "assessor") or not who.sees_region(region):
        if who.sees_region(region):
            raise Forbidden(f"role {who.role} may not read recipient rules")
        raise NotFound(f"region {region} not found")


def is_self(who: Identity, email: str) -> bool:
    return bool(who.email) and normalize_email(who.email) == normalize_email(email)
