"""Notices: one thing to tell one recipient, the unit the worker decides on and delivers.

`notices_for_event` applies the recipient rules to an event (or a reminder's event, see
`reminders.reminder_event`) and yields at most one notice per (recipient, template): the
delivery log's key, so a redelivered event never mails twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from notification.domain.directory import DEFAULT_TIMEZONE, Directory
from notification.domain.events import Event, event_region, event_time, event_unit
from notification.domain.rules import (
    Category,
    Recipient,
    RecipientRule,
    matching_rules,
    resolve_recipients,
)


@dataclass(frozen=True)
class Notice:
    """What to send to whom, before preferences are applied.

    `data` is the event's `data` object (copied); templates read it as `data.*`.
    """

    event_id: str
    event_type: str
    rule_id: str
    template: str
    category: Category
    urgent: bool
    recipient: Recipient
    region: str | None
    unit: str | None
    subject: str | None
    occurred_at: datetime | None
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def delivery_key(self) -> tuple[str, str, str]:
        """(event id, recipient address, template): unique per delivery-log record."""
        return (self.event_id, self.recipient.email, self.template)


def notices_for_event(
    event: Event, rules: Iterable[RecipientRule], directory: Directory
) -> list[Notice]:
    """Every notice `event` causes under `rules`, one per (recipient, template).

    When two rules give the same recipient the same template, the first rule wins (its
    category and urgency apply). An event without an `id` or `type` causes nothing.
    """
    event_id, event_type = event.get("id"), event.get("type")
    if not event_id or not event_type:
        return []
    found: dict[tuple[str, str], Notice] = {}
    for rule in matching_rules(rules, event):
        for recipient in resolve_recipients(rule, event, directory):
            notice = _notice(event, rule, recipient)
            found.setdefault((recipient.email, rule.template), notice)
    return list(found.values())


def _notice(event: Event, rule: RecipientRule, recipient: Recipient) -> Notice:
    data = event.get("data")
    subject = event.get("subject")
    return Notice(
        event_id=str(event["id"]),
        event_type=str(event["type"]),
        rule_id=rule.id,
        template=rule.template,
        category=rule.category,
        urgent=rule.urgent,
        recipient=recipient,
        region=event_region(event),
        unit=event_unit(event, rule.unit_path),
        subject=str(subject) if subject is not None else None,
        occurred_at=event_time(event),
        data=dict(data) if isinstance(data, Mapping) else {},
    )


def notice_context(notice: Notice, directory: Directory) -> dict[str, Any]:
    """The template context of a notice: `event`, `data`, `region`, `unit` (`id`, `code`,
    `name`), `recipient` and `timezone` (the region's, for printing times). Links use
    `unit.code`: the APIs' paths name a unit by its code, not by its id.

    Region and unit names come from the directory, else from the event (`data.unit_name`,
    `data.region_name`), else their ids, so a template always has something to print.
    """
    region = directory.region(notice.region) if notice.region else None
    unit = directory.unit(notice.region, notice.unit) if notice.region and notice.unit else None
    region_name = notice.data.get("region_name") or notice.region
    unit_name = notice.data.get("unit_name") or notice.unit
    # The APIs name a unit by its code (`dinkes`; the regency itself by its region id).
    unit_code = notice.data.get("unit_code") or (
        notice.unit.rsplit(":", 1)[-1] if notice.unit else None
    )
    return {
        "event": {
            "id": notice.event_id,
            "type": notice.event_type,
            "subject": notice.subject,
            "time": notice.occurred_at,
        },
        "data": dict(notice.data),
        "region": {"id": notice.region, "name": region.name if region else region_name},
        "unit": {"id": notice.unit, "code": unit_code, "name": unit.name if unit else unit_name},
        "recipient": {"name": notice.recipient.name, "email": notice.recipient.email},
        "timezone": region.timezone if region else _timezone(notice.data),
    }


def _timezone(data: Mapping[str, Any]) -> str:
    value = data.get("timezone")
    return value if isinstance(value, str) and value else DEFAULT_TIMEZONE
