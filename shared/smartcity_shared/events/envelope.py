"""The CloudEvents 1.0 envelope (structured JSON) every event travels in.

`new_event` builds one; `encode`/`decode` turn it into Kafka bytes and back; `validate`
checks the envelope and runs `data` through the registered schema of its `schemaversion`.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from marshmallow import ValidationError

from .registry import lookup

SPEC_VERSION = "1.0"
REQUIRED = ("specversion", "id", "source", "type", "time", "subject", "data", "schemaversion")


class EnvelopeError(ValueError):
    """The message is not a usable event (bad JSON, missing attribute, unknown type, bad data)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_event(
    type: str,
    source: str,
    subject: str,
    data: dict[str, Any],
    region: str = "",
    correlationid: str = "",
    schemaversion: int | None = None,
) -> dict[str, Any]:
    """Build an envelope; `data` is dumped through the registered schema (so it is JSON-ready)."""
    entry = lookup(type)
    if entry is None:
        raise KeyError(f"unregistered event type {type}")
    version = schemaversion or entry.latest
    schema = entry.versions[version]()
    errors = schema.validate(schema.dump(data))
    if errors:
        raise ValueError(f"event {type} v{version} data invalid: {errors}")
    return {
        "specversion": SPEC_VERSION,
        "id": str(uuid.uuid4()),
        "source": source,
        "type": type,
        "time": now_iso(),
        "subject": subject,
        "datacontenttype": "application/json",
        "data": schema.dump(data),
        "region": region,
        "schemaversion": version,
        "correlationid": correlationid or str(uuid.uuid4()),
    }


def encode(event: dict[str, Any]) -> bytes:
    return json.dumps(event, separators=(",", ":"), sort_keys=True).encode()


def decode(raw: bytes | None) -> dict[str, Any]:
    """Parse bytes into an envelope dict; raises EnvelopeError('undecodable', ...)."""
    try:
        event = json.loads(raw or b"")
    except (ValueError, UnicodeDecodeError) as exc:
        raise EnvelopeError("undecodable", str(exc)) from exc
    if not isinstance(event, dict):
        raise EnvelopeError("undecodable", "not a JSON object")
    return event


def validate(event: dict[str, Any]) -> dict[str, Any]:
    """Check the envelope and the data schema; returns `data` loaded by its schema.

    Raises EnvelopeError with reason `bad-envelope`, `unknown-type` or `schema-invalid`.
    """
    missing = [k for k in REQUIRED if k not in event]
    if missing or event.get("specversion") != SPEC_VERSION:
        raise EnvelopeError("bad-envelope", f"missing {missing} or wrong specversion")
    entry = lookup(str(event["type"]))
    if entry is None:
        raise EnvelopeError("unknown-type", str(event["type"]))
    schema_cls = entry.versions.get(event["schemaversion"])
    if schema_cls is None:
        raise EnvelopeError("unknown-type", f"{event['type']} v{event['schemaversion']}")
    try:
        loaded: dict[str, Any] = schema_cls().load(event["data"])
    except ValidationError as exc:
        raise EnvelopeError("schema-invalid", json.dumps(exc.messages, default=str)) from exc
    return loaded
