"""The delivery log: search, one record, resend a failed one, counts per status."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from notification.domain.delivery import DeliveryStatus, resend
from notification.domain.documents import delivery_from_dict, delivery_to_dict
from notification.domain.rules import normalize_email
from smartcity_shared.errors import Conflict, NotFound
from smartcity_shared.http.auth import current_identity, requires
from smartcity_shared.http.schemas import Day

from .. import access
from .common import PageQuery, ctx, day_range, page
from .examples import STATS_OUT

blp = Blueprint("deliveries", __name__, description="The delivery log of every e-mail")
STATUSES = [s.value for s in DeliveryStatus]


class DeliveryQuery(PageQuery):
    status = fields.String(validate=validate.OneOf(STATUSES))
    recipient = fields.String(validate=validate.Length(1, 254))
    template = fields.String(validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,63}$"))
    event_id = fields.String(validate=validate.Length(1, 200))
    region = fields.String(validate=validate.Length(1, 100))
    unit = fields.String(validate=validate.Length(1, 100))
    date_from = Day(metadata={"description": "created on or after (local date)"})
    date_to = Day(metadata={"description": "created on or before (local date)"})


class Attempt(Schema):
    at = fields.DateTime()
    outcome = fields.String()
    code = fields.Integer(allow_none=True)
    error = fields.String()
    worker = fields.String()
    by = fields.String()


class DeliveryOut(Schema):
    id = fields.String(attribute="_id")
    event_id = fields.String()
    event_type = fields.String()
    recipient = fields.String()
    recipient_name = fields.String()
    template = fields.String()
    language = fields.String()
    category = fields.String()
    region = fields.String(allow_none=True)
    unit = fields.String(allow_none=True)
    status = fields.String()
    attempts = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    next_attempt_at = fields.DateTime(allow_none=True)
    sent_at = fields.DateTime(allow_none=True)
    smtp_code = fields.Integer(allow_none=True)
    smtp_response = fields.String(allow_none=True)
    last_error = fields.String(allow_none=True)
    failure_class = fields.String(allow_none=True)
    dead_lettered_at = fields.DateTime(allow_none=True)
    mail_subject = fields.String(allow_none=True)
    attempt_log = fields.List(fields.Nested(Attempt))


class DeliveryDetail(DeliveryOut):
    text = fields.String(allow_none=True)
    html = fields.String(allow_none=True)


class DeliveryPage(Schema):
    items = fields.List(fields.Nested(DeliveryOut))
    total = fields.Integer()
    limit = fields.Integer()
    offset = fields.Integer()


class StatsQuery(Schema):
    region = fields.String(validate=validate.Length(1, 100))


class StatsOut(Schema):
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    total = fields.Integer()


def search_filter(query: dict[str, Any]) -> dict[str, Any]:
    """The store filter for a search (exact values; the recipient case-insensitively)."""
    found: dict[str, Any] = {}
    for name in ("status", "template", "event_id"):
        if query.get(name):
            found[name] = query[name]
    if query.get("recipient"):
        found["recipient"] = normalize_email(query["recipient"])
    if query.get("unit"):
        found["unit_code"] = query["unit"].rsplit(":", 1)[-1]
    created = day_range(query.get("date_from"), query.get("date_to"))
    if created:
        found["created_at"] = created
    return found


@blp.route("/deliveries")
class Deliveries(MethodView):
    @requires(*access.READERS)
    @blp.arguments(DeliveryQuery, location="query")
    @blp.response(200, DeliveryPage)
    def get(self, query: dict[str, Any]) -> Any:
        """Search the delivery log (newest first).

        Admins see their region's mails, assessors the regions given to them, an OPD its
        own unit's. Filter by status, recipient (any case), template, event, region, unit
        and local creation dates; paged with `limit` and `offset`.
        """
        scope = access.log_scope(current_identity(), query.get("region"))
        items, total = ctx().deliveries.search(
            {**search_filter(query), **scope}, query["limit"], query["offset"]
        )
        return page(items, total, query)


@blp.route("/deliveries/stats")
class Stats(MethodView):
    @requires(*access.READERS)
    @blp.arguments(StatsQuery, location="query")
    @blp.response(200, StatsOut, example=STATS_OUT)
    def get(self, query: dict[str, Any]) -> Any:
        """Deliveries per status within the caller's scope.

        The same readers and scope as the delivery log, optionally narrowed to one region.
        """
        counts = ctx().deliveries.counts(access.log_scope(current_identity(), query.get("region")))
        return {"counts": counts, "total": sum(counts.values())}


@blp.route("/deliveries/<delivery_id>")
class Delivery(MethodView):
    @requires(*access.READERS)
    @blp.response(200, DeliveryDetail)
    def get(self, delivery_id: str) -> Any:
        """One delivery with its rendered mail and attempts.

        The same readers as the log; a delivery outside the caller's scope is a 404. Shows
        the text and HTML sent, the SMTP answer and every attempt.
        """
        doc = access.require_readable(current_identity(), _get(delivery_id), "delivery")
        mail = ctx().deliveries.rendered(delivery_id) or {}
        return {**doc, "text": mail.get("text"), "html": mail.get("html")}


@blp.route("/deliveries/<delivery_id>/resend")
class Resend(MethodView):
    @requires("admin")
    @blp.response(200, DeliveryOut)
    def post(self, delivery_id: str) -> Any:
        """Send a failed delivery again (409 unless it is failed).

        The region's admin only. Its status and attempt count are reset so the sender tries
        again; the resend is added to its attempt log with the admin's id.
        """
        who = current_identity()
        doc = access.require_readable(who, _get(delivery_id), "delivery")
        access.require_manager(who, str(doc.get("region")))
        now = datetime.now(UTC)
        again = resend(delivery_from_dict(doc), now)  # Conflict unless failed
        fields_ = {k: v for k, v in delivery_to_dict(again).items() if k in _RESET}
        entry = {"at": now, "outcome": "resend", "by": who.sub}
        stored = ctx().deliveries.resend(delivery_id, {**fields_, "dlq_pending": False}, entry)
        if stored is None:
            raise Conflict("Only a failed delivery can be resent; this one changed meanwhile.")
        return stored


_RESET = ("status", "attempts", "updated_at", "next_attempt_at")
_ID = re.compile(r"^[0-9a-f]{32}$")


def _get(delivery_id: str) -> dict[str, Any]:
    doc = ctx().deliveries.get(delivery_id) if _ID.match(delivery_id) else None
    if doc is None:
        raise NotFound("delivery not found")
    return doc
