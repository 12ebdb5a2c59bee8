"""Per-person preferences: language, opt-outs per category, daily digest hour.

A person reads and edits their own (the token's `email`); a region's admin those of the
addresses its region holds: its own people's, and OPD contacts or admin addresses that are
nobody's person record and listed by its region alone (docs/ACCESS.md). Typing someone's
address into one's own directory gives no rights over it.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from notification.domain.preferences import (
    default_preference,
    preference_from_dict,
    preference_to_dict,
)
from notification.domain.rules import Category, is_email, normalize_email
from smartcity_shared.errors import Forbidden, ValidationProblem
from smartcity_shared.http.auth import current_identity, requires
from smartcity_shared.http.schemas import TimeZone

from .. import access
from .common import ctx
from .examples import PREFERENCE, PREFERENCE_OUT

blp = Blueprint("preferences", __name__, description="How each person wants to be told")


class PreferenceIn(Schema):
    language = fields.String(load_default="id", validate=validate.OneOf(["id", "en"]))
    opt_out = fields.List(
        fields.String(validate=validate.OneOf([c.value for c in Category])), load_default=list
    )
    digest_hour = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(0, 23))
    timezone = TimeZone(load_default="Asia/Jakarta")


class PreferenceOut(Schema):
    email = fields.String()
    language = fields.String()
    opt_out = fields.List(fields.String())
    digest_hour = fields.Integer(allow_none=True)
    timezone = fields.String()
    stored = fields.Boolean(metadata={"description": "false: the defaults, never set"})


def _address(email: str) -> str:
    if not is_email(email):
        raise ValidationProblem({"email": ["Must be an e-mail address."]})
    return normalize_email(email)


def _require_access(email: str) -> None:
    who = current_identity()
    if access.is_self(who, email):
        return
    if who.role == "admin" and ctx().directory.admin_manages_address(who.region, email):
        return
    raise Forbidden("you may only manage your own preferences (or, as admin, your region's)")


@blp.route("/preferences/<email>")
class Preferences(MethodView):
    @requires()
    @blp.response(200, PreferenceOut, example=PREFERENCE_OUT)
    def get(self, email: str) -> Any:
        """The person's preference (the defaults when never set).

        Anyone may read their own (the token's e-mail); a region's admin also the addresses
        its region holds. `stored` is false while only the defaults apply (Indonesian, no
        opt-out, no digest, Asia/Jakarta).
        """
        address = _address(email)
        _require_access(address)
        stored = ctx().preferences.get(address)
        found = stored or default_preference(address)
        return {**preference_to_dict(found), "stored": stored is not None}

    @requires()
    @blp.arguments(PreferenceIn, example=PREFERENCE)
    @blp.response(200, PreferenceOut, example=PREFERENCE_OUT)
    def put(self, body: dict[str, Any], email: str) -> Any:
        """Replace the person's preference.

        The person themselves, or their region's admin. Sets the language (`id` or `en`),
        the categories opted out of, the hour of a daily digest (null: mail at once) and
        the time zone. Deadline and overdue notices cannot be opted out of (422).
        """
        address = _address(email)
        _require_access(address)
        preference = preference_from_dict(body, email=address)
        ctx().preferences.put(preference, current_identity().sub)
        return {**preference_to_dict(preference), "stored": True}
