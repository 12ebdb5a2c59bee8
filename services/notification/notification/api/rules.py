"""Recipient rules of a region: which event notifies whom, with which template (data, not code).

The region's admin manages them; assessors read them. Every write is validated by the
domain (`rules.rule_from_dict`): 422 with field paths such as `audiences.1`.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from notification.domain.rules import rule_from_dict
from notification.mail import template_names
from smartcity_shared.errors import NotFound, ValidationProblem
from smartcity_shared.http.auth import current_identity, requires
from smartcity_shared.http.etag import expected_revision
from smartcity_shared.http.responses import with_etag
from smartcity_shared.store import reject_unsafe_keys

from .. import access
from .common import ctx
from .examples import DEFAULTS_OUT, RULE, RULE_BODY

blp = Blueprint("rules", __name__, description="Recipient rules per region")


class Condition(Schema):
    path = fields.String(required=True)
    in_ = fields.List(fields.Raw(), required=True, data_key="in", attribute="in")


class RuleBody(Schema):
    event_type = fields.String(required=True)
    audiences = fields.List(fields.String(), required=True)
    template = fields.String(required=True)
    category = fields.String(required=True)
    urgent = fields.Boolean()
    explicit = fields.List(fields.String())
    conditions = fields.List(fields.Nested(Condition))
    unit_path = fields.String(allow_none=True)
    enabled = fields.Boolean()


class RuleIn(RuleBody):
    id = fields.String(required=True)


class RuleOut(RuleIn):
    region = fields.String()
    revision = fields.Integer()


class DefaultsOut(Schema):
    added = fields.List(fields.String())


def _validated(body: dict[str, Any], rule_id: str | None = None) -> Any:
    raw = dict(body)
    raw["conditions"] = [{"path": c["path"], "in": c["in"]} for c in raw.get("conditions", [])]
    reject_unsafe_keys(raw)
    if rule_id is not None:
        if raw.get("id", rule_id) != rule_id:
            raise ValidationProblem({"id": ["Must match the rule id in the URL."]})
        raw["id"] = rule_id
    return rule_from_dict(raw, known_templates=template_names())


@blp.route("/regions/<region>/rules")
class Rules(MethodView):
    @requires("admin", "assessor")
    @blp.response(200, RuleOut(many=True))
    def get(self, region: str) -> Any:
        """The region's rules (the shipped defaults until an admin changes them).

        The region's admin or an assessor of the region. Each rule says which event type
        notifies which audiences, with which template and category, under which
        conditions.
        """
        access.require_rule_reader(current_identity(), region)
        return [{**d, "revision": d.get("_rev", 0)} for d in ctx().rules.list(region)]

    @requires("admin")
    @blp.arguments(RuleIn, example=RULE)
    @blp.response(201, RuleOut)
    def post(self, body: dict[str, Any], region: str) -> Any:
        """Add a rule (409 when its id exists in the region).

        The region's admin only. The template must exist and the audiences, category and
        conditions be valid (422 with field paths such as `audiences.1`); `explicit`
        lists the addresses of the `explicit` audience.
        """
        access.require_manager(current_identity(), region)
        return with_etag(ctx().rules.insert(region, _validated(body)), 201)


@blp.route("/regions/<region>/rules/defaults")
class Defaults(MethodView):
    @requires("admin")
    @blp.response(200, DefaultsOut, example=DEFAULTS_OUT)
    def post(self, region: str) -> Any:
        """Restore the shipped rules missing from the region (existing ones stay as they are).

        The region's admin only; answers the ids of the rules it added (none when every
        shipped rule is there).
        """
        access.require_manager(current_identity(), region)
        return {"added": ctx().rules.seed_defaults(region)}


@blp.route("/regions/<region>/rules/<rule_id>")
class Rule(MethodView):
    @requires("admin", "assessor")
    @blp.response(200, RuleOut)
    def get(self, region: str, rule_id: str) -> Any:
        """One notification rule of the region.

        The region's admin or an assessor of the region; the `ETag` header carries its
        revision for a later `If-Match`.
        """
        access.require_rule_reader(current_identity(), region)
        return with_etag(_get(region, rule_id))

    @requires("admin")
    @blp.arguments(RuleBody, example=RULE_BODY)
    @blp.response(200, RuleOut)
    def put(self, body: dict[str, Any], region: str, rule_id: str) -> Any:
        """Replace a rule; send `If-Match` to refuse a stale edit (412).

        The region's admin only. The whole rule is replaced and validated as on creation;
        an `id` in the body must match the one in the path.
        """
        access.require_manager(current_identity(), region)
        _get(region, rule_id)
        rule = _validated(body, rule_id)
        return with_etag(ctx().rules.replace(region, rule, expected_revision()))

    @requires("admin")
    @blp.response(204)
    def delete(self, region: str, rule_id: str) -> Any:
        """Delete a notification rule of the region.

        The region's admin only. `POST .../rules/defaults` brings a shipped rule back.
        """
        access.require_manager(current_identity(), region)
        if not ctx().rules.delete(region, rule_id):
            raise NotFound(f"rule {rule_id} not found")
        return None


def _get(region: str, rule_id: str) -> dict[str, Any]:
    doc = ctx().rules.get(region, rule_id)
    if doc is None:
        raise NotFound(f"rule {rule_id} not found")
    return doc
