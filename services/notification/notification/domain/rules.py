"""Recipient rules as data: which event notifies whom, with which template and category.

A rule is plain data (`rule_from_dict` / `rule_to_dict`) so admins can edit rules through the
API without a release. `resolve_recipients` turns a rule and an event into addresses using the
`Directory` projection; it never raises for a missing unit or region, it returns fewer people.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fnmatch import fnmatchcase
from typing import Any

from notification.domain.directory import Directory, typed_over_another_regions_person
from notification.domain.events import Event, event_region, event_unit, lookup
from smartcity_shared.errors import ValidationProblem


class Audience(StrEnum):
    UNIT_CONTACTS = "unit_contacts"  # the contact e-mails of the event's unit (OPD)
    REGION_ADMINS = "region_admins"  # role `admin` in the region, plus its admin e-mails
    ASSESSORS = "assessors"  # people with role `assessor` in the region (or `*`)
    EXPLICIT = "explicit"  # the rule's own list of addresses


class Category(StrEnum):
    """What a notice is about; people opt out per category (except deadline and overdue)."""

    DEADLINE = "deadline"
    OVERDUE = "overdue"
    REVIEW = "review"
    RECOMMENDATION = "recommendation"
    QUOTA = "quota"
    INNOVATION = "innovation"
    RISK = "risk"
    INFO = "info"


#: Categories nobody can opt out of and that are never held back for a digest.
NON_SUPPRESSIBLE = frozenset({Category.DEADLINE, Category.OVERDUE})

_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,79}$")
_EVENT_TYPE = re.compile(r"^[a-z0-9_.*-]{1,120}$")
_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")
_SCALARS = (str, int, float, bool)

Report = Callable[[str, str], None]


def normalize_email(address: str) -> str:
    """The address stripped and lower-cased: the key for preferences and the delivery log."""
    return address.strip().lower()


def is_email(address: str) -> bool:
    """A plausible single mailbox address (no display name, no list)."""
    return bool(_EMAIL.match(address.strip())) and len(address) <= 254


@dataclass(frozen=True)
class Condition:
    """The event value at dotted `path` must be one of `values` (e.g. risk rating high/extreme)."""

    path: str
    values: tuple[Any, ...]

    def holds(self, event: Event) -> bool:
        return lookup(event, self.path) in self.values


@dataclass(frozen=True)
class RecipientRule:
    """Event type (exact or glob such as `smartcity.submission.*`) → audiences, template, category.

    `unit_path` overrides where the event's unit is read (default: `events.UNIT_PATHS`).
    """

    id: str
    event_type: str
    audiences: tuple[Audience, ...]
    template: str
    category: Category
    urgent: bool = False
    explicit: tuple[str, ...] = ()
    conditions: tuple[Condition, ...] = ()
    unit_path: str | None = None
    enabled: bool = True

    def matches(self, event: Event) -> bool:
        """True when enabled, the type matches the pattern and every condition holds."""
        event_type = str(event.get("type", ""))
        return (
            self.enabled
            and fnmatchcase(event_type, self.event_type)
            and all(c.holds(event) for c in self.conditions)
        )


@dataclass(frozen=True)
class Recipient:
    """One address to notify. `person_id` is set when the address belongs to a known person."""

    email: str
    name: str
    audience: Audience
    person_id: str | None = None
    unit: str | None = None


def matching_rules(rules: Iterable[RecipientRule], event: Event) -> list[RecipientRule]:
    """The rules that apply to `event`, in the given order."""
    return [rule for rule in rules if rule.matches(event)]


def resolve_recipients(rule: RecipientRule, event: Event, directory: Directory) -> list[Recipient]:
    """Everyone `rule` addresses for `event`, de-duplicated by address, in audience order.

    An unknown or inactive unit yields no unit contacts; an event without a region yields only
    explicit addresses. Never raises for missing directory entries.
    """
    region = event_region(event)
    unit = event_unit(event, rule.unit_path)
    found: dict[str, Recipient] = {}
    for audience in rule.audiences:
        for recipient in _audience(audience, rule, region, unit, directory):
            found.setdefault(recipient.email, recipient)
    return list(found.values())


def _audience(
    audience: Audience, rule: RecipientRule, region: str | None, unit: str | None, d: Directory
) -> list[Recipient]:
    if audience is Audience.EXPLICIT:
        return [_by_address(a, a, audience, unit, d) for a in rule.explicit]
    if region is None:
        return []
    if audience is Audience.UNIT_CONTACTS:
        found = d.unit(region, unit) if unit else None
        if found is None or not found.active:
            return []
        listed = own_addresses(found.contact_emails, region, d)
        return [_by_address(a, found.name, audience, unit, d) for a in listed]
    role = "admin" if audience is Audience.REGION_ADMINS else "assessor"
    found = [
        Recipient(normalize_email(p.email), p.name, audience, p.id, p.unit)
        for p in d.people(region, role)
    ]
    if audience is Audience.REGION_ADMINS:
        known = d.region(region)
        if known is not None and known.active:
            extra = own_addresses(known.admin_emails, region, d)
            found += [_by_address(a, known.name, audience, None, d) for a in extra]
    return found


def own_addresses(addresses: Iterable[str], region: str, d: Directory) -> list[str]:
    """The addresses a region listed, less those of another region's people (typed over)."""
    return [a for a in addresses if not typed_over_another_regions_person(d, region, a)]


def _by_address(
    address: str, fallback_name: str, audience: Audience, unit: str | None, d: Directory
) -> Recipient:
    person = d.person_by_email(address)
    if person is not None:
        return Recipient(normalize_email(address), person.name, audience, person.id, unit)
    return Recipient(normalize_email(address), fallback_name, audience, None, unit)


_FIELDS = frozenset(RecipientRule.__dataclass_fields__)


def rule_from_dict(
    raw: Mapping[str, Any], known_templates: Collection[str] | None = None
) -> RecipientRule:
    """Validate a rule document (API body, stored document or default data) and build it.

    Raises `ValidationProblem` listing every broken field by path (e.g. `audiences.1`).
    `known_templates`, when given, is the set of template names the rule may refer to.
    """
    errors: dict[str, list[str]] = {}

    def bad(path: str, message: str) -> None:
        errors.setdefault(path, []).append(message)

    for key in sorted(set(raw) - _FIELDS):
        bad(key, "Unknown field.")
    _check_scalars(raw, known_templates, bad)
    audiences = _audiences(raw.get("audiences"), bad)
    category = _category(raw.get("category"), bad)
    explicit = _addresses(raw.get("explicit", []), bad)
    if Audience.EXPLICIT in audiences and not explicit:
        bad("explicit", "The explicit audience needs at least one address.")
    conditions = _conditions(raw.get("conditions", []), bad)
    if errors or category is None:
        raise ValidationProblem(errors, "The recipient rule is invalid; see errors.")
    return RecipientRule(
        id=str(raw["id"]),
        event_type=str(raw["event_type"]),
        audiences=tuple(audiences),
        template=str(raw["template"]),
        category=category,
        urgent=bool(raw.get("urgent", False)),
        explicit=tuple(explicit),
        conditions=tuple(conditions),
        unit_path=raw.get("unit_path"),
        enabled=bool(raw.get("enabled", True)),
    )


def _check_scalars(
    raw: Mapping[str, Any], known_templates: Collection[str] | None, bad: Report
) -> None:
    rule_id, event_type, template = raw.get("id"), raw.get("event_type"), raw.get("template")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        bad("id", "Must be 1-80 characters: lower-case letters, digits, '_', '.', '-'.")
    if not isinstance(event_type, str) or not _EVENT_TYPE.match(event_type):
        bad("event_type", "Must be an event type or a pattern such as smartcity.submission.*.")
    if not isinstance(template, str) or not template:
        bad("template", "Must be a template name.")
    elif known_templates is not None and template not in known_templates:
        bad("template", f"Unknown template {template!r}.")
    for flag in ("urgent", "enabled"):
        if flag in raw and not isinstance(raw[flag], bool):
            bad(flag, "Must be true or false.")
    unit_path = raw.get("unit_path")
    if unit_path is not None and (not isinstance(unit_path, str) or not unit_path):
        bad("unit_path", "Must be a dotted path such as data.unit.")


def rule_to_dict(rule: RecipientRule) -> dict[str, Any]:
    """The rule as a JSON/BSON-safe document (no keys with `.` or `$`); inverse of
    `rule_from_dict`."""
    return {
        "id": rule.id,
        "event_type": rule.event_type,
        "audiences": [a.value for a in rule.audiences],
        "template": rule.template,
        "category": rule.category.value,
        "urgent": rule.urgent,
        "explicit": list(rule.explicit),
        "conditions": [{"path": c.path, "in": list(c.values)} for c in rule.conditions],
        "unit_path": rule.unit_path,
        "enabled": rule.enabled,
    }


def _category(value: Any, bad: Report) -> Category | None:
    try:
        return Category(value)
    except ValueError:
        bad("category", f"Must be one of: {', '.join(m.value for m in Category)}.")
        return None


def _audiences(value: Any, bad: Report) -> list[Audience]:
    if not isinstance(value, list) or not value:
        bad("audiences", "Must be a non-empty list.")
        return []
    found: list[Audience] = []
    for index, item in enumerate(value):
        try:
            member = Audience(item)
        except ValueError:
            bad(f"audiences.{index}", f"Must be one of: {', '.join(m.value for m in Audience)}.")
            continue
        if member not in found:
            found.append(member)
    return found


def _addresses(value: Any, bad: Report) -> list[str]:
    if not isinstance(value, list):
        bad("explicit", "Must be a list of e-mail addresses.")
        return []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not is_email(item):
            bad(f"explicit.{index}", "Must be an e-mail address.")
    return [normalize_email(a) for a in value if isinstance(a, str) and is_email(a)]


def _conditions(value: Any, bad: Report) -> list[Condition]:
    if not isinstance(value, list):
        bad("conditions", "Must be a list of {path, in}.")
        return []
    found = []
    for index, item in enumerate(value):
        path = item.get("path") if isinstance(item, Mapping) else None
        values = item.get("in") if isinstance(item, Mapping) else None
        if not isinstance(path, str) or not path or path.startswith("$"):
            bad(f"conditions.{index}.path", "Must be a dotted path such as data.rating.")
        elif not isinstance(values, list) or not all(isinstance(v, _SCALARS) for v in values):
            bad(f"conditions.{index}.in", "Must be a list of strings, numbers or booleans.")
        else:
            found.append(Condition(path, tuple(values)))
    return found
