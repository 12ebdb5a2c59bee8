"""HTTP to one API with the user's bearer token; problem+json becomes `ApiProblem`.

`ApiProblem.errors` is the API's `{field path: [messages]}` unchanged, so a form can place each
message beside the field whose name is that path. A 401 means the token is no longer good
(expired, or the person was removed): `SignInAgain`, which the app answers with a new sign-in.
"""

from __future__ import annotations

from typing import Any

import requests

FieldErrors = dict[str, list[str]]
PROBLEM = "application/problem+json"


class SignInAgain(Exception):
    """The API refused the token (401)."""


class ApiProblem(Exception):
    """A 4xx/5xx answer: status, title, detail and the field errors of problem+json."""

    def __init__(self, status: int, title: str, detail: str, errors: FieldErrors) -> None:
        super().__init__(f"{status} {title}: {detail}")
        self.status, self.title, self.detail, self.errors = status, title, detail, errors

    @classmethod
    def from_response(cls, r: requests.Response) -> ApiProblem:
        body: Any = {}
        if r.headers.get("Content-Type", "").startswith((PROBLEM, "application/json")):
            try:
                body = r.json()
            except ValueError:
                body = {}
        if not isinstance(body, dict):
            body = {}
        return cls(
            r.status_code,
            str(body.get("title") or r.reason or ""),
            str(body.get("detail") or ""),
            normalize_errors(body.get("errors")),
        )


def normalize_errors(raw: object) -> FieldErrors:
    """`{path: [messages]}` from whatever shape `errors` has (a string, a list, nested)."""
    if not isinstance(raw, dict):
        return {}
    out: FieldErrors = {}
    for key, value in raw.items():
        if isinstance(value, dict):
            for sub, messages in normalize_errors(value).items():
                out[f"{key}.{sub}"] = messages
        elif isinstance(value, list):
            out[str(key)] = [str(v) for v in value]
        else:
            out[str(key)] = [str(value)]
    return out


class ApiClient:
    """Calls one API as one user (`token` may be empty for public reads)."""

    def __init__(
        self, base_url: str, token: str, timeout_s: float, session: requests.Session
    ) -> None:
        self.base_url, self.token, self.timeout_s, self.http = base_url, token, timeout_s, session

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        revision: int | None = None,
        params: dict[str, Any] | None = None,
    ) -> requests.Response:
        headers = {"Accept": f"application/json, {PROBLEM}"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if revision is not None:
            headers["If-Match"] = f'"{revision}"'
        r = self.http.request(
            method,
            self.base_url + path,
            json=body if method != "GET" else None,
            params=params,
            headers=headers,
            timeout=self.timeout_s,
        )
        if r.status_code == 401 and self.token:
            raise SignInAgain(path)
        if r.status_code >= 400:
            raise ApiProblem.from_response(r)
        return r

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params=params or None).json()

    def text(self, path: str) -> str:
        return self.request("GET", path).text

    def post(self, path: str, body: Any = None, revision: int | None = None) -> Any:
        return self.request("POST", path, {} if body is None else body, revision).json()

    def patch(self, path: str, body: Any, revision: int | None = None) -> Any:
        return self.request("PATCH", path, body, revision).json()

    def put(self, path: str, body: Any, revision: int | None = None) -> Any:
        return self.request("PUT", path, body, revision).json()
