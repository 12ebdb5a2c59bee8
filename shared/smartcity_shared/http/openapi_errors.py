"""The 4xx/5xx answers every operation really gives, added to its OpenAPI document.

What `http.app` and `auth` answer for any route, whatever the view: 401 without a valid
token, 403 for a token outside its rights, 503 while the store is away; 404 where the path
names a resource; and for a request body 400 (malformed or too deeply nested JSON), 413 (over
`MAX_BODY_BYTES`), 415 (not JSON) and 422 (invalid). A status a view documents itself keeps
its own description. tests/contracts/test_openapi_documents.py checks the document against
what the services answer.
"""

from __future__ import annotations

from typing import Any

from apispec import BasePlugin

ALWAYS = {401: "UNAUTHORIZED", 403: "FORBIDDEN", 503: "SERVICE_UNAVAILABLE"}
WITH_PATH_PARAMETER = {404: "NOT_FOUND"}
WITH_BODY = {
    400: "BAD_REQUEST",
    413: "REQUEST_ENTITY_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "UNPROCESSABLE_ENTITY",
}
BODY_METHODS = ("post", "put", "patch")


class ErrorResponses(BasePlugin):
    """An apispec plugin: adds the statuses above (as references to the Problem responses
    `ProblemApi` registers) to each operation of each path."""

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            known = {str(status) for status in responses}
            statuses = dict(ALWAYS)
            if path and "{" in path:
                statuses.update(WITH_PATH_PARAMETER)
            if method in BODY_METHODS:
                statuses.update(WITH_BODY)
            for status, name in statuses.items():
                if str(status) not in known:
                    responses[str(status)] = name
