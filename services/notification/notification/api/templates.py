"""Mail templates: list them and preview one with its example event (or your own data)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from notification.domain.default_rules import default_rules
from notification.domain.digest import DIGEST_TEMPLATE
from notification.domain.notices import notice_context, notices_for_event
from notification.examples import EXAMPLE_DIRECTORY, example_context, example_event
from notification.mail import LANGUAGES, template_names
from smartcity_shared.errors import NotFound
from smartcity_shared.http.auth import requires
from smartcity_shared.store import reject_unsafe_keys

from .common import ctx
from .examples import PREVIEW, TEMPLATES_OUT

blp = Blueprint("templates", __name__, description="Mail templates and previews")


class TemplateOut(Schema):
    name = fields.String()
    languages = fields.List(fields.String())


class PreviewIn(Schema):
    language = fields.String(load_default="id", validate=validate.OneOf(list(LANGUAGES)))
    data = fields.Dict(
        keys=fields.String(),
        load_default=dict,
        metadata={"description": "fields merged into the example event's data"},
    )


class PreviewOut(Schema):
    template = fields.String()
    language = fields.String()
    subject = fields.String()
    text = fields.String()
    html = fields.String()
    event = fields.Dict()


def preview_context(name: str, language: str, overrides: dict[str, Any]) -> tuple[Any, Any]:
    """(context, event) for `name`: its example event with `overrides` merged into `data`,
    routed through the default rules against the example directory."""
    if name == DIGEST_TEMPLATE:
        return example_context(name, language), None
    event = example_event(name)
    event["data"] = {**event["data"], **overrides}
    notices = [
        n
        for n in notices_for_event(event, default_rules(), EXAMPLE_DIRECTORY)
        if n.template == name
    ]
    if not notices:
        raise NotFound(f"The example event of {name!r} reaches nobody with this data.")
    return notice_context(notices[0], EXAMPLE_DIRECTORY), event


@blp.route("/templates")
class Templates(MethodView):
    @requires("admin", "assessor")
    @blp.response(200, TemplateOut(many=True), example=TEMPLATES_OUT)
    def get(self) -> Any:
        """List the mail templates.

        Admins and assessors; each template's name and the languages it is written in
        (Indonesian and English).
        """
        return [{"name": n, "languages": list(LANGUAGES)} for n in sorted(template_names())]


@blp.route("/templates/<name>/preview")
class Preview(MethodView):
    @requires("admin", "assessor")
    @blp.arguments(PreviewIn, example=PREVIEW)
    @blp.response(200, PreviewOut)
    def post(self, body: dict[str, Any], name: str) -> Any:
        """Render a mail template for its example event.

        Admins and assessors. Renders `name` in `language`; `data` is merged into the
        example event's data. Nothing is sent. 404 for an unknown template (or when the
        example event with this data reaches nobody), 422 when the data lacks what the
        template needs.
        """
        if name not in template_names():
            raise NotFound(f"There is no mail template {name!r}.")
        reject_unsafe_keys(body["data"], "data")
        context, event = preview_context(name, body["language"], body["data"])
        mail = ctx().renderer.render(name, body["language"], context)
        return {
            "template": name,
            "language": body["language"],
            "subject": mail.subject,
            "text": mail.text,
            "html": mail.html,
            "event": event,
        }
