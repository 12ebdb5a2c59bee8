"""Directory endpoints: regions, their OPDs (units) and people."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from smartcity_shared.http.app import current_correlation_id
from smartcity_shared.http.auth import current_identity, requires
from smartcity_shared.http.etag import expected_revision
from smartcity_shared.http.responses import with_etag
from smartcity_shared.http.schemas import Slug, TimeZone

from .. import directory as uc
from ..bootstrap import Context
from . import examples as ex

EMAILS = validate.Length(max=100)
blp = Blueprint("directory", __name__, description="Regions, OPDs (units) and people")


def ctx() -> Context:
    return current_app.extensions["ctx"]  # type: ignore[no-any-return]


class RegionSender(Schema):
    """The region's own sender of mail; without it the deployment's MAIL_FROM applies."""

    mail_from = fields.Email(
        allow_none=True,
        metadata={
            "description": "the sender address of the region's mail (null: the "
            "deployment's MAIL_FROM)"
        },
    )
    mail_from_name = fields.String(
        validate=validate.Regexp(r"^[^\r\n]{0,100}$", error="at most 100 characters, one line"),
        metadata={"description": "the sender name of the region's mail (empty: MAIL_FROM_NAME)"},
    )


class RegionIn(RegionSender):
    region_id = Slug(required=True)
    name = fields.String(required=True, validate=validate.Length(1, 200))
    kind = fields.String(
        load_default="regency", validate=validate.OneOf(["regency", "city", "province"])
    )
    timezone = TimeZone(load_default="Asia/Jakarta")
    admin_emails = fields.List(fields.Email(), load_default=list, validate=EMAILS)


class RegionPatch(RegionSender):
    name = fields.String(validate=validate.Length(1, 200))
    kind = fields.String(validate=validate.OneOf(["regency", "city", "province"]))
    timezone = TimeZone()
    admin_emails = fields.List(fields.Email(), validate=EMAILS)
    active = fields.Boolean()


class RegionOut(Schema):
    id = fields.String(attribute="_id")
    name = fields.String()
    kind = fields.String()
    timezone = fields.String()
    admin_emails = fields.List(fields.String())
    mail_from = fields.String(allow_none=True)
    mail_from_name = fields.String()
    active = fields.Boolean()
    revision = fields.Integer()


class UnitIn(Schema):
    code = Slug(required=True)
    name = fields.String(required=True, validate=validate.Length(1, 200))
    head = fields.String(load_default="", validate=validate.Length(0, 200))
    contact_emails = fields.List(fields.Email(), load_default=list, validate=EMAILS)


class UnitPatch(Schema):
    name = fields.String(validate=validate.Length(1, 200))
    head = fields.String(validate=validate.Length(0, 200))
    contact_emails = fields.List(fields.Email(), validate=EMAILS)
    active = fields.Boolean()


class UnitOut(Schema):
    id = fields.String(attribute="_id")
    region = fields.String()
    code = fields.String()
    name = fields.String()
    head = fields.String()
    contact_emails = fields.List(fields.String())
    active = fields.Boolean()
    revision = fields.Integer()


class UnitQuery(Schema):
    active = fields.Boolean(load_default=None)


class PersonIn(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 200))
    email = fields.Email(required=True)
    role = fields.String(
        required=True, validate=validate.OneOf(["admin", "assessor", "opd", "viewer"])
    )
    unit = fields.String(load_default="")
    language = fields.String(load_default="id", validate=validate.OneOf(["id", "en"]))


class PersonPatch(Schema):
    name = fields.String(validate=validate.Length(1, 200))
    role = fields.String(validate=validate.OneOf(["admin", "assessor", "opd", "viewer"]))
    unit = fields.String()
    language = fields.String(validate=validate.OneOf(["id", "en"]))
    active = fields.Boolean()


class PersonOut(PersonIn):
    id = fields.String(attribute="_id")
    region = fields.String()
    active = fields.Boolean()
    revision = fields.Integer()


@blp.route("/regions")
class Regions(MethodView):
    @requires()
    @blp.response(200, RegionOut(many=True))
    def get(self) -> Any:
        """List the regions the caller may see.

        Any signed-in role; a token of one region sees that region, a token for `*` every
        region.
        """
        return uc.list_regions(ctx().store("regions"), current_identity())

    @requires("admin")
    @blp.arguments(RegionIn, example=ex.REGION)
    @blp.response(201, RegionOut)
    def post(self, body: dict[str, Any]) -> Any:
        """Create a region (its id is chosen by the caller).

        The admin who manages that region id. `region_id` is a slug such as `kab-batang`;
        the time zone (default Asia/Jakarta) sets the region's today for deadlines. Optional
        `mail_from` / `mail_from_name` give the region its own mail sender.
        """
        doc = uc.create_region(
            ctx().store("regions"), current_identity(), body, current_correlation_id()
        )
        return with_etag(doc, 201)


@blp.route("/regions/<region>")
class Region(MethodView):
    @requires()
    @blp.response(200, RegionOut)
    def get(self, region: str) -> Any:
        """One region.

        Any role may call it, within the regions its token sees. The `ETag` header carries
        its revision for a later `If-Match`.
        """
        return with_etag(uc.get_region(ctx().store("regions"), current_identity(), region))

    @requires("admin")
    @blp.arguments(RegionPatch, example=ex.REGION_PATCH)
    @blp.response(200, RegionOut)
    def patch(self, body: dict[str, Any], region: str) -> Any:
        """Change a region.

        The region's admin; partial. Accepts `If-Match` (412 when stale).
        """
        doc = uc.update_region(
            ctx().store("regions"),
            current_identity(),
            region,
            body,
            expected_revision(),
            current_correlation_id(),
        )
        return with_etag(doc)


@blp.route("/regions/<region>/units")
class Units(MethodView):
    @requires()
    @blp.arguments(UnitQuery, location="query")
    @blp.response(200, UnitOut(many=True))
    def get(self, query: dict[str, Any], region: str) -> Any:
        """List the region's OPDs (units).

        Any role may call it, within the regions its token sees. `?active=true|false`
        filters by active state; deactivated OPDs keep their history.
        """
        return uc.list_units(ctx().store("units"), current_identity(), region, query["active"])

    @requires("admin")
    @blp.arguments(UnitIn, example=ex.UNIT)
    @blp.response(201, UnitOut)
    def post(self, body: dict[str, Any], region: str) -> Any:
        """Add an OPD to the region.

        The region's admin. `code` is the OPD's slug (e.g. `dinkes`), unique in the region;
        its contact e-mails receive the OPD's notices. The innovation and notification
        services keep a copy of the directory from its events.
        """
        c = ctx()
        doc = uc.create_unit(
            c.store("regions"),
            c.store("units"),
            current_identity(),
            region,
            body,
            current_correlation_id(),
        )
        return with_etag(doc, 201)


@blp.route("/regions/<region>/units/<code>")
class Unit(MethodView):
    @requires()
    @blp.response(200, UnitOut)
    def get(self, region: str, code: str) -> Any:
        """One OPD of the region.

        Any role may call it, within the regions its token sees. The `ETag` header carries
        its revision.
        """
        return with_etag(uc.get_unit(ctx().store("units"), current_identity(), region, code))

    @requires("admin")
    @blp.arguments(UnitPatch, example=ex.UNIT_PATCH)
    @blp.response(200, UnitOut)
    def patch(self, body: dict[str, Any], region: str, code: str) -> Any:
        """Change an OPD of the region.

        The region's admin; partial (name, head, contact e-mails, active). Accepts `If-Match`
        (412 when stale).
        """
        doc = uc.update_unit(
            ctx().store("units"),
            current_identity(),
            region,
            code,
            body,
            expected_revision(),
            current_correlation_id(),
        )
        return with_etag(doc)

    @requires("admin")
    @blp.response(200, UnitOut)
    def delete(self, region: str, code: str) -> Any:
        """Deactivate the OPD; its history stays.

        The region's admin. The OPD is marked inactive (no longer offered for new cycles or
        innovations); its submissions, innovations and deliveries stay. Accepts `If-Match`.
        """
        doc = uc.update_unit(
            ctx().store("units"),
            current_identity(),
            region,
            code,
            {"active": False},
            expected_revision(),
            current_correlation_id(),
        )
        return with_etag(doc)


@blp.route("/regions/<region>/people")
class People(MethodView):
    @requires("admin")
    @blp.response(200, PersonOut(many=True))
    def get(self, region: str) -> Any:
        """List the people of the region's directory.

        The region's admin only: name, e-mail, role, OPD and language of each person.
        """
        return uc.list_people(ctx().store("people"), current_identity(), region)

    @requires("admin")
    @blp.arguments(PersonIn, example=ex.PERSON)
    @blp.response(201, PersonOut)
    def post(self, body: dict[str, Any], region: str) -> Any:
        """Add a person to the region's directory.

        The region's admin. `role` is admin, assessor, opd or viewer; an `opd` person names
        an OPD of the region in `unit`. `language` (id or en) is the language of their mail.
        """
        c = ctx()
        doc = uc.create_person(
            c.store("units"),
            c.store("people"),
            current_identity(),
            region,
            body,
            current_correlation_id(),
        )
        return with_etag(doc, 201)


@blp.route("/regions/<region>/people/<person_id>")
class Person(MethodView):
    @requires("admin")
    @blp.arguments(PersonPatch, example=ex.PERSON_PATCH)
    @blp.response(200, PersonOut)
    def patch(self, body: dict[str, Any], region: str, person_id: str) -> Any:
        """Change a person of the region's directory.

        The region's admin; partial (name, role, unit, language, active). Accepts `If-Match`
        (412 when stale).
        """
        doc = uc.update_person(
            ctx().store("people"),
            current_identity(),
            region,
            person_id,
            body,
            expected_revision(),
            current_correlation_id(),
        )
        return with_etag(doc)
