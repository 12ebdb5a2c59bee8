"""Direct requests (`smartcity.notification.requested`): the notices another service asks for.

Recipients come from the directory and only from the request's region: `people` by person id
(active, of the region or of every region), `units` by unit id or code (an active OPD's
contact addresses), `roles` (active people with the role; `admin` also reaches the region's
Diskominfo addresses, as the `region_admins` audience does). One notice per address, the
first naming wins. A plain `subject` + `text` request renders with `DIRECT_TEMPLATE`, which
prints `data.subject` and `data.text`; a named template reads the request's `data`.
Notices are keyed (event id, recipient, template) like every other, so a redelivered request
mails once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from notification.domain.directory import ALL_REGIONS, Directory
from notification.domain.events import Event, event_region, event_time
from notification.domain.notices import Notice
from notification.domain.rules import Audience, Category, Recipient, normalize_email, own_addresses
from smartcity_shared.errors import ValidationProblem

REQUEST_TYPE = "smartcity.notification.requested"
DIRECT_TEMPLATE = "direct_message"
RULE_ID = "direct-request"


@dataclass(frozen=True)
class Request:
    """What a request asks, read from its (schema-checked) data."""

    template: str
    category: Category
    urgent: bool
    data: Mapping[str, Any]
    send_at: datetime | None = None


def parse_request(event: Event) -> Request:
    """The request in `event`'s data. Raises `ValidationProblem` for a category or send time
    this service does not know (the consumer dead-letters the event)."""
    raw: Mapping[str, Any] = event.get("data") or {}
    try:
        category = Category(raw.get("category") or Category.INFO.value)
    except ValueError:
        raise ValidationProblem({"category": ["Unknown category."]}) from None
    values = dict(raw.get("data") or {})
    template = raw.get("template")
    if not template:
        template = DIRECT_TEMPLATE
        values.update(subject=str(raw.get("subject") or ""), text=str(raw.get("text") or ""))
    return Request(
        str(template), category, bool(raw.get("urgent")), values, _send_at(raw.get("send_at"))
    )


def _send_at(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise ValidationProblem({"send_at": ["Not an ISO 8601 time."]}) from None
    if parsed is not None and parsed.tzinfo is None:
        raise ValidationProblem({"send_at": ["Needs a UTC offset."]})
    return parsed.astimezone(UTC) if parsed else None


def request_recipients(event: Event, directory: Directory) -> list[Recipient]:
    """Everyone the request names that the directory knows in its region, by address."""
    region = event_region(event)
    if region is None:
        return []
    named: Mapping[str, Any] = (event.get("data") or {}).get("recipients") or {}
    found: dict[str, Recipient] = {}
    for recipient in _named(region, named, directory):
        found.setdefault(recipient.email, recipient)
    return list(found.values())


def _named(region: str, named: Mapping[str, Any], d: Directory) -> Iterator[Recipient]:
    for person_id in named.get("people") or ():
        person = d.person(str(person_id))
        if person and person.active and person.region in (region, ALL_REGIONS):
            email = normalize_email(person.email)
            yield Recipient(email, person.name, Audience.EXPLICIT, person.id, person.unit)
    for unit in named.get("units") or ():
        unit_id = str(unit) if ":" in str(unit) or unit == region else f"{region}:{unit}"
        found = d.unit(region, unit_id)
        if found is not None and found.active:
            for address in own_addresses(found.contact_emails, region, d):
                yield _by_address(address, found.name, Audience.UNIT_CONTACTS, unit_id, d)
    for role in named.get("roles") or ():
        for person in d.people(region, str(role)):
            email = normalize_email(person.email)
            yield Recipient(email, person.name, Audience.EXPLICIT, person.id, person.unit)
        known = d.region(region) if role == "admin" else None
        if known is not None and known.active:
            for address in own_addresses(known.admin_emails, region, d):
                yield _by_address(address, known.name, Audience.REGION_ADMINS, None, d)


def _by_address(
    address: str, fallback: str, audience: Audience, unit: str | None, d: Directory
) -> Recipient:
    person = d.person_by_email(address)
    name = person.name if person is not None else fallback
    return Recipient(normalize_email(address), name, audience, person.id if person else None, unit)


def request_notices(event: Event, request: Request, directory: Directory) -> list[Notice]:
    """One notice per recipient the request reaches (none for an event without id)."""
    event_id = event.get("id")
    if not event_id:
        return []
    return [
        Notice(
            event_id=str(event_id),
            event_type=REQUEST_TYPE,
            rule_id=RULE_ID,
            template=request.template,
            category=request.category,
            urgent=request.urgent,
            recipient=recipient,
            region=event_region(event),
            unit=recipient.unit,
            subject=str(event.get("subject") or "") or None,
            occurred_at=event_time(event),
            data=dict(request.data),
        )
        for recipient in request_recipients(event, directory)
    ]
