"""Request bodies are read or refused (http.bodies), limits and the link rule (limits), the
capped error list (http.problems), through a small app on the shared base."""

from __future__ import annotations

from typing import Any

import pytest
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from smartcity_shared.devtoken import mint
from smartcity_shared.errors import ValidationProblem
from smartcity_shared.http.app import create_base_app
from smartcity_shared.http.auth import requires
from smartcity_shared.limits import MAX_ITEMS, MAX_STRING, link_problem
from smartcity_shared.settings import Settings

SECRET = "unit-test-secret-that-is-long-enough-for-hs256"
JSON = "application/json"


class Prefs(Schema):
    language = fields.String(load_default="id")
    free = fields.Raw()


@pytest.fixture
def client():  # type: ignore[no-untyped-def]
    settings = Settings(service="test", jwt_secret=SECRET, max_body_bytes=2_000_000)
    app, api = create_base_app(settings, "Test", {})
    blp = Blueprint("prefs", __name__)

    @blp.route("/prefs", methods=["PUT", "POST"])
    @requires()
    @blp.arguments(Prefs)
    def put(body: dict[str, Any]) -> Any:
        return {"stored": body["language"]}

    @blp.route("/submit", methods=["POST"])
    @requires()
    def submit() -> Any:
        return {"ok": True}

    @blp.route("/many", methods=["POST"])
    @requires()
    def many() -> Any:
        raise ValidationProblem({f"k{n}": ["unknown question"] for n in range(120)})

    api.register_blueprint(blp)
    return app.test_client()


def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {mint(SECRET, 'admin', 'kab-batang')}"}


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None]
)
def test_a_body_that_is_not_json_is_415(client, content_type) -> None:  # type: ignore[no-untyped-def]
    headers = {**auth(), **({"Content-Type": content_type} if content_type else {})}
    r = client.put("/prefs", data=b'{"language": "en"}', headers=headers)
    assert (r.status_code, r.mimetype) == (415, "application/problem+json")
    assert client.post("/submit", data=b"x=1", headers=headers).status_code == 415


def test_a_put_without_a_body_is_refused_and_a_post_action_without_one_runs(client) -> None:  # type: ignore[no-untyped-def]
    assert client.put("/prefs", headers=auth()).status_code == 415
    assert client.put("/prefs", headers={**auth(), "Content-Type": JSON}).status_code == 422
    assert client.post("/submit", headers=auth()).status_code == 200
    assert client.put("/prefs", json={"language": "en"}, headers=auth()).json == {"stored": "en"}


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ('{"language": "\\ud800"}', "language"),
        ('{"free": {"\\udfff": 1}}', "free.\\udfff"),
        ('{"free": 1000000000000000000000000000000}', "free"),
        ('{"free": -9223372036854775809}', "free"),
        ('{"free": NaN}', "$root"),
        ('{"free": [Infinity]}', "$root"),
        ('{"free": "' + "x" * (MAX_STRING + 1) + '"}', "free"),
        ('{"free": [' + ",".join(["1"] * (MAX_ITEMS + 1)) + "]}", "free"),
    ],
)
def test_values_the_store_cannot_take_are_422_with_their_path(client, text, path) -> None:  # type: ignore[no-untyped-def]
    r = client.put("/prefs", data=text.encode(), headers={**auth(), "Content-Type": JSON})
    assert (r.status_code, r.mimetype) == (422, "application/problem+json"), r.data[:300]
    assert path in r.json["errors"]


def test_values_within_the_limits_pass(client) -> None:  # type: ignore[no-untyped-def]
    body = {"free": {"n": 2**63 - 1, "s": "x" * MAX_STRING, "l": list(range(MAX_ITEMS))}}
    assert client.put("/prefs", json=body, headers=auth()).status_code == 200


def test_an_error_list_is_capped_at_50_with_a_count(client) -> None:  # type: ignore[no-untyped-def]
    body = client.post("/many", headers=auth()).json
    assert len(body["errors"]) == 50 and body["errors_omitted"] == 70


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "/../../etc", "//x.id/a",
     "ftp://x.id", "https://", "https://x.id/a b", "http://[::1", "", "h" * 3000],
)  # fmt: skip
def test_only_absolute_http_links_pass(link: str) -> None:
    assert link_problem(link)
    assert link_problem("https://batangkab.go.id/bukti/1.pdf?x=1#a") is None
    assert link_problem("HTTP://x.id") is None
