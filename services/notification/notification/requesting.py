"""Use case: a direct request (`smartcity.notification.requested`) in, deliveries out.

Another service names people, OPDs or roles of a region and a template (or a plain subject
and text); the notices go through the same preferences, rendering and delivery log as any
event's (`services.prepare`), keyed (event id, recipient, template), so a redelivered
request mails once. `send_at` in the future holds each delivery in the send queue until then
(a digest-held notice waits for the first digest after it). A request that can never be sent
(unknown template, a template whose variables are missing, nobody the directory knows) raises
a `PermanentError` / `ValidationProblem`, which the consumer dead-letters; nothing is stored.
"""

from __future__ import annotations

from datetime import datetime

from notification.domain.digest import DIGEST_TEMPLATE, next_digest_time
from notification.domain.events import Event, event_region
from notification.domain.requests import REQUEST_TYPE, parse_request, request_notices
from smartcity_shared.errors import PermanentError, ValidationProblem

from .bootstrap import Context
from .mail import template_names
from .services import NotifyResult, preference_for, prepare

__all__ = ["REQUEST_TYPE", "notify_request"]


def notify_request(ctx: Context, event: Event, now: datetime) -> NotifyResult:
    """Store the deliveries `event` (a request, its data as JSON) asks for. Raises
    `ValidationProblem` for an unknown template and `PermanentError` (`RenderError`, or when
    the request reaches nobody) for a request that can never be sent."""
    request = parse_request(event)
    if request.template == DIGEST_TEMPLATE or request.template not in template_names():
        raise ValidationProblem({"template": [f"Unknown mail template {request.template!r}."]})
    notices = request_notices(event, request, ctx.directory)
    if not notices:
        region = event_region(event)
        raise PermanentError(f"the request names nobody the directory knows in {region}")
    prepared = [prepare(ctx, notice, now) for notice in notices]
    later = request.send_at if request.send_at and request.send_at > now else None
    created = 0
    for item in prepared:
        if item.kind == "hold":
            if later is not None:
                timezone = str(item.doc["context"].get("timezone") or "Asia/Jakarta")
                preference = preference_for(ctx, item.doc["email"], timezone)
                item.doc["digest_at"] = next_digest_time(preference, later)
            created += ctx.digests.hold(item.doc)
            continue
        if later is not None and item.doc.get("status") == "pending":
            item.doc["next_attempt_at"] = later
        created += ctx.deliveries.add(item.doc, item.mail, now)
    return NotifyResult(len(notices), created)
