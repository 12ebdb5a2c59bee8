"""Event handlers for the consumer: {event type: function}.

Directory events keep the service's copy of the directory (shared `directory_copy`). Every
other registered event type goes through the same path: cancel and plan reminders, then store
the notices it causes (`services.notify`). Handlers store only; the delivery loop sends.
`data` is the schema-loaded data dumped back to JSON (defaults filled in, dates as ISO
text), so what is stored and rendered is plain JSON whatever the producer left out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from smartcity_shared import directory_copy
from smartcity_shared.consumer import Event, Handler
from smartcity_shared.errors import TransientError
from smartcity_shared.events.registry import REGISTRY, TOPIC_DIRECTORY, lookup

from .bootstrap import Context
from .requesting import REQUEST_TYPE, notify_request
from .scheduling import apply_schedule
from .services import notify

Clock = Callable[[], datetime]
log = logging.getLogger(__name__)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def envelope_of(event: Event) -> dict[str, Any]:
    """The event as the domain reads it: the raw envelope with its JSON `data`."""
    envelope = dict(event.envelope) or {
        "id": event.id,
        "type": event.type,
        "subject": event.subject,
        "region": event.region,
        "time": event.time,
        "data": event.data,
    }
    entry = lookup(event.type)
    schema = entry.versions.get(envelope.get("schemaversion") or entry.latest) if entry else None
    envelope["data"] = schema().dump(event.data) if schema else dict(event.data)
    return envelope


#: How long an event may wait for its region and unit to reach the directory copy (the
#: directory and the other topics are separate partitions, and the directory topic itself has
#: several: a new region's or OPD's first events can overtake it).
DIRECTORY_WAIT = timedelta(seconds=60)


def missing_from_directory(ctx: Context, event: Event) -> str | None:
    """What the event names that the directory copy does not know yet: its region, or the
    unit in `data.unit` (None when both are known)."""
    if not event.region:
        return None
    if ctx.directory.region(event.region) is None:
        return f"region {event.region}"
    unit = event.data.get("unit")
    if isinstance(unit, str) and unit and ctx.directory.unit(event.region, unit) is None:
        return f"unit {unit}"
    return None


def wait_for_directory(ctx: Context, event: Event, now: datetime) -> None:
    """Raise TransientError while the event's region or unit is not yet in the directory
    copy, so the consumer retries it later instead of mailing nobody; after DIRECTORY_WAIT
    it goes on."""
    missing = missing_from_directory(ctx, event)
    if missing is None:
        return
    try:
        occurred = datetime.fromisoformat(event.time.replace("Z", "+00:00"))
    except ValueError:
        return
    if now - occurred < DIRECTORY_WAIT:
        raise TransientError(f"{missing} is not in the directory copy yet")


def on_event(ctx: Context, event: Event, now: datetime) -> None:
    """Reminders first (a submission also cancels), then the event's own notices."""
    wait_for_directory(ctx, event, now)
    envelope = envelope_of(event)
    apply_schedule(ctx, envelope, now)
    result = notify(ctx, envelope, now)
    log.info(
        "event %s %s (region %s): %s notices, %s new deliveries",
        event.type,
        event.id,
        event.region,
        result.notices,
        result.created,
    )


def handlers(ctx: Context, clock: Clock = _utcnow) -> dict[str, Handler]:
    """Handlers for every registered event type (the registry is complete once
    `smartcity_shared.events` is imported)."""
    found: dict[str, Handler] = dict(directory_copy.handlers(ctx.db))
    for event_type, entry in REGISTRY.items():
        if entry.topic != TOPIC_DIRECTORY:
            found[event_type] = lambda e: on_event(ctx, e, clock())
    found[REQUEST_TYPE] = lambda e: on_request(ctx, e, clock())
    return found


def on_request(ctx: Context, event: Event, now: datetime) -> None:
    """A direct request from another service: its own recipients and template."""
    wait_for_directory(ctx, event, now)
    result = notify_request(ctx, envelope_of(event), now)
    log.info(
        "request %s (region %s): %s notices, %s new deliveries",
        event.id,
        event.region,
        result.notices,
        result.created,
    )
