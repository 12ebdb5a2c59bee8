"""Direct notification requests: a service asks the notification service to tell someone.

Any service may publish `smartcity.notification.requested` on `smartcity.notification` (the
evaluation service is the registered producer of the example); the notification worker
consumes it in its one consumer group. Key (= subject) = `request_id`.

Recipients are named, never given as raw addresses, so a request can only reach people the
directory knows in the request's region: `people` by person id, `units` by unit id
(`<region>:<code>`, or the bare code) for the OPD's contact addresses, `roles` for everyone
with that role in the region (`admin` also reaches the region's Diskominfo addresses).
The mail is either a notification `template` (its variables in `data`, read as `data.*`) or
a plain `subject` + `text`. `category` and `urgent` decide, as for any notice, whether a
person's opt-outs and daily digest apply (deadline and overdue are never suppressed).
`send_at` (ISO 8601 with offset) holds the mail until then. A request that breaks these rules
is poison: the consumer dead-letters it.
"""

from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from ...store import unsafe_key_errors
from ..registry import TOPIC_NOTIFICATION, register
from .base import EventData

CATEGORIES = [
    "deadline", "overdue", "review", "recommendation", "quota", "innovation", "risk", "info",
]  # fmt: skip
ROLES = ["admin", "assessor", "opd", "viewer"]
_ID = validate.Length(1, 200)


class RequestRecipients(EventData):
    people = fields.List(fields.String(validate=_ID), load_default=list)
    units = fields.List(fields.String(validate=_ID), load_default=list)
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), load_default=list)

    @validates_schema
    def _someone(self, data: Mapping[str, Any], **_: Any) -> None:
        if not any(data.get(name) for name in ("people", "units", "roles")):
            raise ValidationError("Name at least one person, unit or role.", "people")


def _safe_keys(value: Any) -> None:
    """Keys that begin with `$` or contain `.` never reach the store."""
    errors = unsafe_key_errors(value, "data")
    if errors:
        raise ValidationError([f"{path}: {', '.join(msgs)}" for path, msgs in errors.items()])


class NotificationRequestedV1(EventData):
    request_id = fields.String(required=True, validate=_ID)
    region = fields.String(required=True)
    recipients = fields.Nested(RequestRecipients, required=True)
    template = fields.String(
        load_default=None, allow_none=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,63}$")
    )
    subject = fields.String(load_default=None, allow_none=True, validate=validate.Length(1, 200))
    text = fields.String(load_default=None, allow_none=True, validate=validate.Length(1, 20_000))
    category = fields.String(load_default="info", validate=validate.OneOf(CATEGORIES))
    urgent = fields.Boolean(load_default=False)
    data = fields.Dict(keys=fields.String(), load_default=dict, validate=_safe_keys)
    send_at = fields.AwareDateTime(load_default=None, allow_none=True)
    requested_by = fields.String(load_default="")

    @validates_schema
    def _one_message(self, data: Mapping[str, Any], **_: Any) -> None:
        plain = data.get("subject") is not None or data.get("text") is not None
        if data.get("template") and plain:
            raise ValidationError("Give a template or a subject and text, not both.", "template")
        if not data.get("template") and not (data.get("subject") and data.get("text")):
            raise ValidationError("Give a template, or both a subject and a text.", "template")


register(
    "smartcity.notification.requested",
    TOPIC_NOTIFICATION,
    "evaluation",
    {1: NotificationRequestedV1},
    ("notification",),
    "A service asks for a mail to people, OPDs or roles of a region; key = request id.",
)
