"""Base for event data schemas: unknown fields are tolerated (a newer producer may add some)."""

from marshmallow import EXCLUDE, Schema


class EventData(Schema):
    class Meta:
        unknown = EXCLUDE
