"""Framework endpoints: evaluation forms as versioned data, owned by the national catalogue or
one region (evaluation.framework_access); everyone reads published versions."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from smartcity_shared.http.auth import current_identity, requires
from smartcity_shared.http.etag import expected_revision

from .. import frameworks as uc
from ..domain import framework_changes, parse_framework
from . import examples as ex
from .common import ctx, json_object, one
from .framework_document import FrameworkDocument
from .responses import FrameworkChangesOut, FrameworkSummaryOut, FrameworkVersionOut

blp = Blueprint(
    "frameworks",
    __name__,
    description="Frameworks: dimensions > indicators > questions, weights, bands; versioned. "
    "The body of POST / PUT is the framework document (see evaluation.domain.framework).",
)


VERSION = validate.Range(1, 1_000_000)


class ChangesQuery(Schema):
    since = fields.Integer(
        required=True, validate=VERSION, metadata={"description": "the earlier version"}
    )
    version = fields.Integer(
        load_default=None, validate=VERSION, metadata={"description": "default: latest"}
    )


@blp.route("/frameworks")
class Frameworks(MethodView):
    @requires()
    @blp.response(200, FrameworkSummaryOut(many=True))
    def get(self) -> Any:
        """Every framework with its versions (drafts only for those who may write them).

        Any signed-in role reads the published versions; drafts are listed only for those
        who may write them (the catalogue for national frameworks, a region's admin for its
        own).
        """
        return uc.list_frameworks(ctx().store("frameworks"), current_identity())

    @requires("admin")
    @blp.arguments(FrameworkDocument, example=ex.FRAMEWORK)
    @blp.response(201, FrameworkVersionOut)
    def post(self, _document: Any) -> Any:
        """Create a framework (version 1, draft).

        Admins: national with a `catalogue` token, else owned by the admin's region (the key
        begins with `<region>-`). The document lists dimensions, indicators and questions
        with their weights, scale and bands; the domain parser checks it and answers 422
        with field paths when invalid.
        """
        who = current_identity()
        known = ctx().store("regions").get(who.region) is not None
        doc = uc.create_framework(ctx().store("frameworks"), who, json_object(), known)
        return one(doc, 201)


@blp.route("/frameworks/<key>")
class Framework(MethodView):
    @requires()
    @blp.response(200, FrameworkSummaryOut)
    def get(self, key: str) -> Any:
        """One framework.

        Any signed-in role; its versions (drafts only for those who may write them).
        """
        return uc.get_framework(ctx().store("frameworks"), current_identity(), key)

    @requires("admin")
    @blp.arguments(FrameworkDocument, example=ex.FRAMEWORK)
    @blp.response(200, FrameworkVersionOut)
    def put(self, _document: Any, key: str) -> Any:
        """Edit a framework.

        The owner (catalogue or the region's admin). Replaces the latest draft, or stores
        the next version as a draft when the latest is published. `If-Match` takes the
        latest version's revision (412 when stale).
        """
        doc = uc.edit_framework(
            ctx().store("frameworks"), current_identity(), key, json_object(), expected_revision()
        )
        return one(doc)


@blp.route("/frameworks/<key>/versions/<int:version>")
class FrameworkVersion(MethodView):
    @requires()
    @blp.response(200, FrameworkVersionOut)
    def get(self, key: str, version: int) -> Any:
        """One version of a framework.

        Any signed-in role for a published version; a draft only for those who may write it.
        """
        return one(uc.get_version(ctx().store("frameworks"), current_identity(), key, version))


@blp.route("/frameworks/<key>/versions/<int:version>/publish")
class PublishFramework(MethodView):
    @requires("admin")
    @blp.response(200, FrameworkVersionOut)
    def post(self, key: str, version: int) -> Any:
        """Publish a draft version.

        The owner only. A published version never changes (409 when already published);
        cycles can then be opened on it. Accepts `If-Match`.
        """
        doc = uc.publish_framework(
            ctx().store("frameworks"), current_identity(), key, version, expected_revision()
        )
        return one(doc)


@blp.route("/frameworks/<key>/changes")
class FrameworkChanges(MethodView):
    @requires()
    @blp.arguments(ChangesQuery, location="query")
    @blp.response(200, FrameworkChangesOut)
    def get(self, query: dict[str, Any], key: str) -> Any:
        """Dimensions and indicators new or dropped between two versions (by stable key).

        Any signed-in role. Compares version `since` with `version` (default the latest) by
        stable keys, as the year-on-year trend does.
        """
        store, who = ctx().store("frameworks"), current_identity()
        latest = uc.get_framework(store, who, key)["latest_version"]
        version = query["version"] or latest
        old = uc.get_version(store, who, key, query["since"])
        new = uc.get_version(store, who, key, version)
        changes = framework_changes(
            parse_framework(old["document"]), parse_framework(new["document"])
        )
        return {
            "key": key,
            "since": query["since"],
            "version": version,
            "new_dimensions": list(changes.new_dimensions),
            "dropped_dimensions": list(changes.dropped_dimensions),
            "new_indicators": list(changes.new_indicators),
            "dropped_indicators": list(changes.dropped_indicators),
        }
