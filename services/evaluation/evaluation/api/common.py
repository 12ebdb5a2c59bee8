"""What every evaluation blueprint shares: the context, documents out, body fields."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Response, current_app, request
from marshmallow import Schema, ValidationError, fields, validate

from smartcity_shared.errors import ValidationProblem
from smartcity_shared.http.responses import with_etag
from smartcity_shared.http.schemas import FIRST_DAY, LAST_DAY, Text

from ..bootstrap import Context


def ctx() -> Context:
    return current_app.extensions["ctx"]  # type: ignore[no-any-return]


def present(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored document as clients see it: `id` and `revision` instead of `_id` / `_rev`."""
    body = {"id": doc["_id"], **{k: v for k, v in doc.items() if k not in ("_id", "_rev")}}
    if "_rev" in doc:
        body["revision"] = doc["_rev"]
    return body


def one(doc: dict[str, Any], status: int = 200) -> tuple[dict[str, Any], int, dict[str, str]]:
    """One document with its ETag."""
    body, status, headers = with_etag(doc, status)
    return present(body), status, headers


def many(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [present(d) for d in docs]


def json_object() -> dict[str, Any]:
    """The request body as a JSON object (422 otherwise), for free-form documents."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationProblem({"_schema": ["the body must be a JSON object"]})
    return body


def download(content: bytes | str, mimetype: str, filename: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def AnswerMap(**kwargs: Any) -> fields.Dict:  # noqa: N802  (a field factory reads like a field)
    """`{question key: value or null}`; keys and values are checked against the framework."""
    return fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), **kwargs)


class DateOrDateTime(fields.Field):
    """`YYYY-MM-DD` or an ISO 8601 datetime (with or without offset)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> date | datetime:
        if isinstance(value, str) and len(value) <= 40:
            try:
                if len(value) == 10:
                    day: date | datetime = date.fromisoformat(value)
                else:
                    day = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                pass
            else:
                if FIRST_DAY.year <= day.year <= LAST_DAY.year:
                    return day
                raise ValidationError("must be between 1900 and 2999")
        raise ValidationError("must be a date (YYYY-MM-DD) or an ISO 8601 datetime")


class Reason(Schema):
    reason = Text(load_default="", metadata={"description": "why (kept in the audit)"})


class ReasonQuery(Schema):
    """A reason in the query string (a DELETE has no body): 300 characters, so the request
    line stays under the server's limit (gunicorn: 4,094 bytes) even percent-encoded."""

    reason = fields.String(
        load_default="",
        validate=validate.Length(max=300),
        metadata={"description": "why (kept in the audit)"},
    )
