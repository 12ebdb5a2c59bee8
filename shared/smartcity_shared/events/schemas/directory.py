"""Directory events: regions, OPDs (units) and people, owned by the evaluation service.

Published on the compacted `smartcity.directory` topic with key = the entity's id, so each
consumer can rebuild its own copy from the latest value per key.
"""

from marshmallow import fields, validate

from ..registry import TOPIC_DIRECTORY, register
from .base import EventData

CONSUMERS = ("innovation", "notification")


class RegionUpsertedV1(EventData):
    region_id = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["regency", "city", "province"]))
    timezone = fields.String(required=True)
    active = fields.Boolean(required=True)
    admin_emails = fields.List(fields.Email(), load_default=list)
    # The region's own sender of mail (optional; a deployment default applies without them).
    mail_from = fields.Email(load_default=None, allow_none=True)
    mail_from_name = fields.String(load_default="")


class UnitUpsertedV1(EventData):
    unit_id = fields.String(required=True)
    region = fields.String(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    head = fields.String(load_default="")
    contact_emails = fields.List(fields.Email(), load_default=list)
    active = fields.Boolean(required=True)


class PersonUpsertedV1(EventData):
    person_id = fields.String(required=True)
    region = fields.String(required=True)
    unit = fields.String(load_default="", allow_none=True)
    name = fields.String(required=True)
    email = fields.Email(required=True)
    role = fields.String(
        required=True, validate=validate.OneOf(["admin", "assessor", "opd", "viewer"])
    )
    language = fields.String(load_default="id", validate=validate.OneOf(["id", "en"]))
    active = fields.Boolean(required=True)


register(
    "smartcity.directory.region.upserted",
    TOPIC_DIRECTORY,
    "evaluation",
    {1: RegionUpsertedV1},
    CONSUMERS,
    "A region (regency or city) was created or changed; key = region id.",
)
register(
    "smartcity.directory.unit.upserted",
    TOPIC_DIRECTORY,
    "evaluation",
    {1: UnitUpsertedV1},
    CONSUMERS,
    "An OPD was created, changed or deactivated; key = unit id (`<region>:<code>`).",
)
register(
    "smartcity.directory.person.upserted",
    TOPIC_DIRECTORY,
    "evaluation",
    {1: PersonUpsertedV1},
    (*CONSUMERS, "accounts"),
    "A person with a role was created, changed or deactivated; key = person id.",
)
