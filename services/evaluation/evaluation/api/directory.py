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
        """List the regions the caller may see."""
        return uc.list_regions(ctx().store("regions"), current_identity())

    @requires("admin")
    @blp.arguments(RegionIn)
    @blp.response(201, RegionOut)
    def post(self, body: dict[str, Any]) -> Any:
        """Create a region (its id is chosen by the caller)."""
        doc = uc.create_region(
            ctx().store("regions"), current_identity(), body, current_correlation_id()
        )
        return with_etag(doc, 201)


@blp.route("/regions/<region>")
class Region(MethodView):
    @requires()
    @blp.response(200, RegionOut)
    def get(self, region: str) -> Any:
        """One region."""
        return with_etag(uc.get_region(ctx().store("regions"), current_identity(), region))

    @requires("admin")
    @blp.arguments(RegionPatch)
    @blp.response(200, RegionOut)
    def patch(self, body: dict[str, Any], region: str) -> Any:
        """Change a region."""
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
        """List the region's OPDs (units)."""
        return uc.list_units(ctx().store("units"), current_identity(), region, query["active"])

    @requires("admin")
    @blp.arguments(UnitIn)
    @blp.response(201, UnitOut)
    def post(self, body: dict[str, Any], region: str) -> Any:
        """Add an OPD to the region."""
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
        """One OPD of the region."""
        return with_etag(uc.get_unit(ctx().store("units"), current_identity(), region, code))

    @requires("admin")
    @blp.arguments(UnitPatch)
    @blp.response(200, UnitOut)
    def patch(self, body: dict[str, Any], region: str, code: str) -> Any:
        """Change an OPD of the region."""
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
        """Deactivate the OPD; its history stays."""
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
        """List the people of the region's directory."""
        return uc.list_people(ctx().store("people"), current_identity(), region)

    @requires("admin")
    @blp.arguments(PersonIn)
    @blp.response(201, PersonOut)
    def post(self, body: dict[str, Any], region: str) -> Any:
        """Add a person to the region's directory."""
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
    @blp.arguments(PersonPatch)
    @blp.response(200, PersonOut)
    def patch(self, body: dict[str, Any], region: str, person_id: str) -> Any:
        """Change a person of the region's directory."""
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
