"""The registry of event types: topic, producer, consumers and one marshmallow schema per version.

Each module in `smartcity_shared.events.schemas` calls `register(...)` at import time; importing
`smartcity_shared.events` loads them all. Every (type, version) has an example envelope in
`events/examples/<type>.v<version>.json`, which the contract tests run through the schema.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field

from marshmallow import Schema

TOPIC_DIRECTORY = "smartcity.directory"
TOPIC_EVALUATION = "smartcity.evaluation"
TOPIC_INNOVATION = "smartcity.innovation"
TOPIC_NOTIFICATION = "smartcity.notification"
TOPICS = (TOPIC_DIRECTORY, TOPIC_EVALUATION, TOPIC_INNOVATION, TOPIC_NOTIFICATION)
COMPACTED_TOPICS = frozenset({TOPIC_DIRECTORY})


@dataclass(frozen=True)
class EventType:
    type: str
    topic: str
    producer: str
    versions: dict[int, builtins.type[Schema]]
    consumers: tuple[str, ...] = field(default=())
    description: str = ""

    @property
    def latest(self) -> int:
        return max(self.versions)


REGISTRY: dict[str, EventType] = {}


def register(
    type: str,
    topic: str,
    producer: str,
    versions: dict[int, type[Schema]],
    consumers: tuple[str, ...] = (),
    description: str = "",
) -> EventType:
    """Add an event type; registering the same type twice is a programming error."""
    if type in REGISTRY:
        raise ValueError(f"event type {type} registered twice")
    if topic not in TOPICS:
        raise ValueError(f"event type {type}: unknown topic {topic}")
    entry = EventType(type, topic, producer, dict(versions), tuple(consumers), description)
    REGISTRY[type] = entry
    return entry


def lookup(type: str) -> EventType | None:
    return REGISTRY.get(type)
