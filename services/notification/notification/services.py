"""Use case: an event (or a due reminder's event) in, delivery-log records and digest holds out.

`notify` routes the event through the region's recipient rules, applies each recipient's
preference (language, opt-out, digest) and renders the mail; only then does it store
anything, so an event whose mail cannot be rendered is rejected whole (the consumer
dead-letters it) instead of mailing half its recipients. Storing is insert-if-absent by
(event id, recipient, template): calling `notify` twice for one event mails once. Nothing
here sends mail; the delivery loop does (see `sending`). A quota fact of a past or future
year mails nobody (`domain.timeliness`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from notification.domain.delivery import (
    DeliveryStatus,
    delivery_key,
    new_delivery,
)
from notification.domain.digest import next_digest_time
from notification.domain.directory import DEFAULT_TIMEZONE
from notification.domain.documents import delivery_to_dict
from notification.domain.events import Event, event_region
from notification.domain.notices import Notice, notice_context, notices_for_event
from notification.domain.preferences import Decision, Preference, decide
from notification.domain.rules import Audience, Category, Recipient
from notification.domain.timeliness import untimely
from smartcity_shared.logs import correlation_id

from .bootstrap import Context
from .projection import unit_code

Doc = dict[str, Any]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prepared:
    """One notice, decided and (unless held or suppressed) rendered: `kind` is `delivery`
    or `hold`; `mail` the rendered subject, text and HTML of a delivery to send."""

    kind: str
    doc: Doc
    mail: dict[str, str] | None = None


@dataclass(frozen=True)
class NotifyResult:
    notices: int
    created: int


def notify(ctx: Context, event: Event, now: datetime) -> NotifyResult:
    """Store what `event` should tell whom. Raises `RenderError` (a `PermanentError`) when a
    template cannot be rendered with the event's data; stores nothing in that case."""
    region = event_region(event)
    known = ctx.directory.region(region) if region else None
    why_not = untimely(event, now, known.timezone if known else DEFAULT_TIMEZONE)
    if why_not is not None:
        log.info("event %s mails nobody: %s", event.get("id"), why_not)
        return NotifyResult(0, 0)
    rules = ctx.rules.active(region)
    notices = notices_for_event(event, rules, ctx.directory)
    prepared = [prepare(ctx, notice, now) for notice in notices]
    created = 0
    for item in prepared:
        if item.kind == "hold":
            created += ctx.digests.hold(item.doc)
        else:
            created += ctx.deliveries.add(item.doc, item.mail, now)
    return NotifyResult(len(notices), created)


def preference_for(ctx: Context, email: str, timezone: str) -> Preference:
    person = ctx.directory.person_by_email(email)
    return ctx.preferences.effective(email, timezone, person.language if person else "id")


def prepare(ctx: Context, notice: Notice, now: datetime) -> Prepared:
    context = notice_context(notice, ctx.directory)
    preference = preference_for(ctx, notice.recipient.email, str(context["timezone"]))
    decision = decide(preference, notice)
    language = preference.language.value
    if decision is Decision.DIGEST:
        return Prepared("hold", hold_doc(notice, context, preference, language, now))
    doc = delivery_doc(notice, language, now)
    if decision is Decision.SUPPRESSED:
        doc.update(status=DeliveryStatus.SUPPRESSED.value, next_attempt_at=None)
        return Prepared("delivery", doc)
    rendered = ctx.renderer.render(notice.template, language, context)
    doc["mail_subject"] = rendered.subject
    mail = {"subject": rendered.subject, "text": rendered.text, "html": rendered.html}
    return Prepared("delivery", doc, mail)


def delivery_doc(notice: Notice, language: str, now: datetime) -> Doc:
    """A new pending delivery-log record for `notice` (without the rendered mail)."""
    key = delivery_key(notice.event_id, notice.recipient.email, notice.template)
    return {
        **delivery_to_dict(new_delivery(key, now)),
        "event_type": notice.event_type,
        "rule_id": notice.rule_id,
        "category": notice.category.value,
        "urgent": notice.urgent,
        "region": notice.region,
        "unit": notice.unit,
        "unit_code": unit_code(notice.unit) or None,
        "subject": notice.subject,
        "recipient_name": notice.recipient.name,
        "language": language,
        "attempt_log": [],
        "dlq_pending": False,
        "correlation_id": correlation_id.get() or None,
    }


def hold_doc(
    notice: Notice, context: Mapping[str, Any], preference: Preference, language: str, now: datetime
) -> Doc:
    """A notice held for `preference`'s next digest, with what rebuilding it needs."""
    return {
        "event_id": notice.event_id,
        "email": notice.recipient.email,
        "template": notice.template,
        "digest_at": next_digest_time(preference, now),
        "occurred_at": notice.occurred_at,
        "region": notice.region,
        "unit": notice.unit,
        "unit_code": unit_code(notice.unit) or None,
        "language": language,
        "held_at": now,
        "notice": notice_to_doc(notice),
        "context": dict(context),
    }


def notice_to_doc(notice: Notice) -> Doc:
    return {
        "event_id": notice.event_id,
        "event_type": notice.event_type,
        "rule_id": notice.rule_id,
        "template": notice.template,
        "category": notice.category.value,
        "urgent": notice.urgent,
        "recipient": {
            "email": notice.recipient.email,
            "name": notice.recipient.name,
            "audience": notice.recipient.audience.value,
            "person_id": notice.recipient.person_id,
            "unit": notice.recipient.unit,
        },
        "region": notice.region,
        "unit": notice.unit,
        "subject": notice.subject,
        "occurred_at": notice.occurred_at,
        "data": dict(notice.data),
    }


def notice_from_doc(doc: Mapping[str, Any]) -> Notice:
    """Inverse of `notice_to_doc`."""
    r = doc["recipient"]
    recipient = Recipient(
        r["email"], r["name"], Audience(r["audience"]), r.get("person_id"), r.get("unit")
    )
    return Notice(
        event_id=str(doc["event_id"]),
        event_type=str(doc["event_type"]),
        rule_id=str(doc["rule_id"]),
        template=str(doc["template"]),
        category=Category(doc["category"]),
        urgent=bool(doc["urgent"]),
        recipient=recipient,
        region=doc.get("region"),
        unit=doc.get("unit"),
        subject=doc.get("subject"),
        occurred_at=doc.get("occurred_at"),
        data=dict(doc.get("data") or {}),
    )
