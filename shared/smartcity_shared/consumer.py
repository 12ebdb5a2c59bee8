"""The consumer loop: commit only after the work is stored, retry transient failures,
dead-letter poison messages, skip duplicates by event id.

`process(...)` is the per-message logic, a pure function of the message, the handlers and a
`ProcessedLog`; `ConsumerLoop` wraps it around a real KafkaConsumer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from marshmallow import ValidationError

from .errors import DomainError, PermanentError, TransientError
from .events.envelope import EnvelopeError, decode, validate
from .logs import bound
from .store import is_store_failure

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """A decoded, validated event handed to a handler."""

    id: str
    type: str
    subject: str
    region: str
    data: dict[str, Any]
    correlationid: str = ""
    time: str = ""
    envelope: dict[str, Any] = field(default_factory=dict, repr=False)


Handler = Callable[[Event], None]


class ProcessedLog(Protocol):
    """Remembers which event ids a consumer group has finished (unique per id)."""

    def seen(self, event_id: str) -> bool: ...

    def remember(self, event_id: str, type: str) -> None: ...


@dataclass(frozen=True)
class Outcome:
    status: str  # "handled", "duplicate", "ignored", "dead-letter"
    reason: str = ""
    detail: str = ""


def process(raw: bytes | None, handlers: Mapping[str, Handler], processed: ProcessedLog) -> Outcome:
    """Handle one message. Raises TransientError when it should be retried later.

    Poison (undecodable, unknown type, schema-invalid, permanent handler error) returns a
    dead-letter outcome; a type this consumer does not handle is ignored.
    """
    try:
        envelope = decode(raw)
        data = validate(envelope)
    except EnvelopeError as exc:
        return Outcome("dead-letter", exc.reason, exc.detail)
    handler = handlers.get(envelope["type"])
    if handler is None:
        return Outcome("ignored")
    event = Event(
        id=str(envelope["id"]),
        type=envelope["type"],
        subject=str(envelope["subject"]),
        region=str(envelope.get("region") or ""),
        data=data,
        correlationid=str(envelope.get("correlationid") or ""),
        time=str(envelope.get("time") or ""),
        envelope=envelope,
    )
    try:
        if processed.seen(event.id):
            return Outcome("duplicate")
        with bound(event.correlationid):
            handler(event)
        processed.remember(event.id, event.type)
    except TransientError as exc:
        raise exc
    except (PermanentError, DomainError, ValidationError, ValueError, KeyError, TypeError) as exc:
        if is_store_failure(exc):
            raise TransientError(str(exc)) from exc
        return Outcome("dead-letter", "handler-rejected", f"{type(exc).__name__}: {exc}")
    except Exception as exc:
        if is_store_failure(exc) or isinstance(exc, OSError):
            raise TransientError(f"{type(exc).__name__}: {exc}") from exc
        raise
    return Outcome("handled")
