"""Event envelope and registry; importing this package registers every schema module."""

from . import schemas as _schemas  # noqa: F401  (registers the event types)
from .envelope import EnvelopeError, decode, encode, new_event, validate
from .registry import REGISTRY, TOPICS, EventType, lookup

__all__ = [
    "REGISTRY",
    "TOPICS",
    "EnvelopeError",
    "EventType",
    "decode",
    "encode",
    "lookup",
    "new_event",
    "validate",
]
