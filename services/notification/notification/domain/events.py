"""Read-only helpers over event envelopes (CloudEvents 1.0 structured JSON, as plain mappings).

The domain never depends on the shared envelope class: every function here takes the decoded
JSON object (`id`, `type`, `time`, `subject`, `region`, `data`, ...). Nothing here raises for a
missing field; callers decide what a missing value means.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

Event = Mapping[str, Any]

#: Where the unit (OPD) an event concerns is looked up, first match wins. Evaluation events name
#: it `unit`; recommendations and risks may name the owner instead.
UNIT_PATHS = ("data.unit", "data.unit_id", "data.owner_unit")


def lookup(event: Event, path: str) -> Any:
    """The value at a dotted `path` (e.g. `data.unit`), or None when any step is missing."""
    value: Any = event
    for step in path.split("."):
        if not isinstance(value, Mapping) or step not in value:
            return None
        value = value[step]
    return value


def event_region(event: Event) -> str | None:
    """The region id: the envelope's `region` extension, else `data.region`."""
    region = event.get("region") or lookup(event, "data.region")
    return str(region) if region else None


def event_unit(event: Event, path: str | None = None) -> str | None:
    """The unit id at `path`, or at the first of `UNIT_PATHS` that holds a value."""
    for candidate in (path,) if path else UNIT_PATHS:
        value = lookup(event, candidate)
        if value:
            return str(value)
    return None


def event_time(event: Event) -> datetime | None:
    """The envelope's `time` as an aware UTC datetime; None when absent or unparseable."""
    raw = event.get("time")
    if isinstance(raw, datetime):
        parsed = raw
    elif isinstance(raw, str):
        try:
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
