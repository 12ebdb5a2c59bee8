"""problem+json, tokens and the key guard, through a small app built on the shared base."""

from __future__ import annotations

import time

import jwt
import pytest
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from smartcity_shared.devtoken import mint
from smartcity_shared.errors import Conflict, ValidationProblem
from smartcity_shared.http.app import create_base_app
from smartcity_shared.http.auth import current_identity, requires
from smartcity_shared.settings import Settings
from smartcity_shared.store import reject_unsafe_keys, unsafe_key_errors

SECRET = "unit-test-secret-that-is-long-enough-for-hs256"


class Body(Schema):
    name = fields.String(required=True)
    nested = fields.Nested(Schema.from_dict({"count": fields.Integer(required=True)}))
    free = fields.Dict()


@pytest.fixture
def client():  # type: ignore[no-untyped-def]
    settings = Settings(service="test", jwt_secret=SECRET, max_body_bytes=2000)
    down = {"store": lambda: None, "broker": lambda: "connection refused"}
    app, api = create_base_app(settings, "Test", down)
    blp = Blueprint("things", __name__)

    @blp.route("/things", methods=["POST"])
    @requires("admin")
    @blp.arguments(Body)
    def post(body):  # type: ignore[no-untyped-def]
        reject_unsafe_keys(body.get("free", {}), "free")
        if body["name"] == "dup":
            raise Conflict("already there")
        return {"by": current_identity().sub}

    @blp.route("/boom")
    def boom():  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internals")

    api.register_blueprint(blp)
    return app.test_client()


def auth(role: str = "admin", secret: str = SECRET, ttl: int = 60) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint(secret, role, 'kab-batang', ttl_s=ttl)}"}


def test_validation_errors_are_problem_json_with_field_paths(client) -> None:  # type: ignore[no-untyped-def]
    r = client.post("/things", json={"nested": {"count": "x"}, "$where": 1}, headers=auth())
    assert r.status_code == 422
    assert r.mimetype == "application/problem+json"
    body = r.get_json()
    assert body["status"] == 422 and body["title"] and body["type"]
    assert set(body["errors"]) == {"name", "nested.count", "$where"}


def test_dollar_and_dotted_keys_in_free_form_input_are_refused(client) -> None:  # type: ignore[no-untyped-def]
    r = client.post("/things", json={"name": "a", "free": {"ok": {"a.b": 1}}}, headers=auth())
    assert r.status_code == 422
    assert list(r.get_json()["errors"]) == ["free.ok"]
    assert unsafe_key_errors({"a": [{"$gt": 1}]}) == {
        "a.0": ["key '$gt' is not allowed (no leading '$', no '.')"]
    }
    with pytest.raises(ValidationProblem):
        reject_unsafe_keys({"x": {"y.z": 1}})


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-token"},
        auth(secret="forged-secret-forged-secret-forged-secret"),
        auth(ttl=-10),
        {
            "Authorization": "Bearer "
            + jwt.encode(
                {"sub": "x", "role": "admin", "region": "kab-batang", "exp": int(time.time()) + 60},
                key="",
                algorithm="none",
            )
        },
    ],
    ids=["missing", "garbage", "forged", "expired", "alg-none"],
)
def test_bad_tokens_get_401(client, headers) -> None:  # type: ignore[no-untyped-def]
    r = client.post("/things", json={"name": "a"}, headers=headers)
    assert r.status_code == 401
    assert r.mimetype == "application/problem+json"


@pytest.mark.parametrize("role", ["admin", "opd"])
def test_only_an_assessor_or_viewer_may_hold_every_region(client, role) -> None:  # type: ignore[no-untyped-def]
    star = {"Authorization": f"Bearer {mint(SECRET, role, '*', 'dinkes')}"}
    r = client.post("/things", json={"name": "a"}, headers=star)
    assert (r.status_code, r.mimetype) == (401, "application/problem+json")
    for reader in ("assessor", "viewer"):  # accepted, but this write is not theirs
        token = {"Authorization": f"Bearer {mint(SECRET, reader, '*')}"}
        assert client.post("/things", json={"name": "a"}, headers=token).status_code == 403


def test_a_role_without_the_right_gets_403(client) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/things", json={"name": "a"}, headers=auth("viewer")).status_code == 403


def test_domain_conflict_is_409_and_404_405_are_problems(client) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/things", json={"name": "dup"}, headers=auth()).status_code == 409
    r = client.get("/nowhere")
    assert (r.status_code, r.mimetype) == (404, "application/problem+json")
    r = client.delete("/things")
    assert (r.status_code, r.mimetype) == (405, "application/problem+json")


def test_a_crash_is_a_500_problem_without_internals(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/boom")
    assert r.status_code == 500
    assert "secret internals" not in r.get_data(as_text=True)


def test_too_large_body_is_413(client) -> None:  # type: ignore[no-untyped-def]
    r = client.post(
        "/things", data="x" * 5000, headers={**auth(), "Content-Type": "application/json"}
    )
    assert (r.status_code, r.mimetype) == (413, "application/problem+json")


@pytest.mark.parametrize("depth", [65, 990])
def test_deeply_nested_json_is_400_not_500(client, depth) -> None:  # type: ignore[no-untyped-def]
    body = "[" * depth + "]" * depth  # 990: beyond what the parser manages inside a request
    headers = {**auth(), "Content-Type": "application/json"}
    r = client.post("/things", data=body, headers=headers)
    assert (r.status_code, r.mimetype) == (400, "application/problem+json")
    assert "nested" in r.get_json()["detail"]
    ok = {"name": "a", "free": {"x": [[[[1]]]]}}
    assert client.post("/things", json=ok, headers=auth()).status_code == 200


def test_readyz_names_what_is_down_and_healthz_stays_up(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/readyz")
    assert r.status_code == 503
    assert "broker down" in r.get_json()["detail"]
    assert client.get("/healthz").status_code == 200


def test_readyz_may_ask_about_the_store_alone(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/readyz?only=store")
    assert r.status_code == 200 and r.get_json()["checks"] == {"store": "ok"}
    assert client.get("/readyz?only=store,broker").status_code == 503
    wrong = client.get("/readyz?only=kafka")
    assert wrong.status_code == 400 and "unknown check(s) kafka" in wrong.get_json()["detail"]


def test_correlation_id_is_echoed(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/healthz", headers={"X-Correlation-ID": "abc-123"})
    assert r.headers["X-Correlation-ID"] == "abc-123"


def test_metrics_and_openapi_are_served(client) -> None:  # type: ignore[no-untyped-def]
    assert b"http_requests_total" in client.get("/metrics").data
    spec = client.get("/openapi.json").get_json()
    assert "/things" in spec["paths"]
