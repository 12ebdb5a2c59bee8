"""Scheduled reminders: what will be sent when (per region, unit or subject)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from notification.domain.reminders import ReminderStatus, SubjectKind
from smartcity_shared.http.auth import current_identity, requires

from .. import access
from .common import PageQuery, ctx, page

blp = Blueprint("reminders", __name__, description="Deadline reminders planned from events")


class ReminderQuery(PageQuery):
    region = fields.String(validate=validate.Length(1, 100))
    unit = fields.String(validate=validate.Length(1, 100))
    subject = fields.String(validate=validate.Length(1, 200))
    kind = fields.String(validate=validate.OneOf([k.value for k in SubjectKind]))
    status = fields.String(
        load_default=ReminderStatus.PENDING.value,
        validate=validate.OneOf([s.value for s in ReminderStatus] + ["failed", "all"]),
    )


class ReminderOut(Schema):
    id = fields.String(attribute="_id")
    kind = fields.String()
    subject_id = fields.String()
    region = fields.String()
    unit = fields.String()
    stage = fields.String()
    offset_days = fields.Integer()
    deadline = fields.String()
    deadline_date = fields.String()
    due_at = fields.DateTime()
    timezone = fields.String()
    status = fields.String()
    cancel_reason = fields.String(allow_none=True)
    fired_at = fields.DateTime(allow_none=True)
    notices = fields.Integer(
        metadata={"description": "recipients the reminder reached when it fired (0: nobody)"}
    )
    details = fields.Dict()


class ReminderPage(Schema):
    items = fields.List(fields.Nested(ReminderOut))
    total = fields.Integer()
    limit = fields.Integer()
    offset = fields.Integer()


@blp.route("/reminders")
class Reminders(MethodView):
    @requires(*access.READERS)
    @blp.arguments(ReminderQuery, location="query")
    @blp.response(200, ReminderPage)
    def get(self, query: dict[str, Any]) -> Any:
        """Reminders in the caller's scope (pending by default), soonest first.

        Admins see their region's, assessors the regions given to them, an OPD its own
        unit's. Filter by region, unit, subject, kind and status (`all` for every status).
        Reminders are planned from the services' events, not created here.
        """
        found: dict[str, Any] = {}
        if query["status"] != "all":
            found["status"] = query["status"]
        if query.get("unit"):
            found["unit_code"] = query["unit"].rsplit(":", 1)[-1]
        if query.get("subject"):
            found["subject_id"] = query["subject"]
        if query.get("kind"):
            found["kind"] = query["kind"]
        scope = access.log_scope(current_identity(), query.get("region"))
        items, total = ctx().reminders.search({**found, **scope}, query["limit"], query["offset"])
        return page(items, total, query)
