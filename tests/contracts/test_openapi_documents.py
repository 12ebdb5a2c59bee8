"""Each service's OpenAPI document says what the service answers (found by the API fuzz test):
every error as application/problem+json with the Problem schema, never flask-smorest's JSON
`Error`; a download's 200 with the file's media type, not the error response's."""

from __future__ import annotations

from typing import Any

import pytest
from flask_smorest import Blueprint

from smartcity_shared.http.app import create_base_app
from smartcity_shared.settings import Settings

PROBLEM = "application/problem+json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _blueprints(service: str) -> list[Blueprint]:
    if service == "evaluation":
        from evaluation.api import (
            cycles,
            directory,
            frameworks,
            recommendations,
            risks,
            scorecards,
            submissions,
        )

        modules: tuple[Any, ...] = (
            directory,
            frameworks,
            cycles,
            submissions,
            scorecards,
            recommendations,
            risks,
        )
    elif service == "innovation":
        from innovation.api import innovations, insights, masterplans, quota

        modules = (masterplans, innovations, quota, insights)
    else:
        from notification.api import deliveries, preferences, reminders, rules, templates

        modules = (deliveries, preferences, reminders, rules, templates)
    return [m.blp for m in modules]


@pytest.fixture(scope="module", params=["evaluation", "innovation"])
def spec(request: pytest.FixtureRequest) -> dict[str, Any]:
    settings = Settings(service=request.param, jwt_secret="x" * 32)
    app, api = create_base_app(settings, request.param, {})
    for blueprint in _blueprints(request.param):
        api.register_blueprint(blueprint)
    with app.app_context():
        return api.spec.to_dict()  # type: ignore[no-any-return]


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def _resolve(spec: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    ref = response.get("$ref")
    if ref:
        return spec["components"]["responses"][ref.rsplit("/", 1)[1]]  # type: ignore[no-any-return]
    return response


def test_every_error_response_is_documented_as_a_problem(spec: dict[str, Any]) -> None:
    problem = spec["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert problem["properties"]["status"]["type"] == "integer"
    assert "Error" not in spec["components"]["schemas"]
    for method, path, op in _operations(spec):
        for status, response in op["responses"].items():
            if status == "default" or int(status) >= 400:
                content = _resolve(spec, response)["content"]
                assert list(content) == [PROBLEM], (method, path, status)
                assert content[PROBLEM]["schema"] == {"$ref": "#/components/schemas/Problem"}


def test_every_operation_documents_a_success(spec: dict[str, Any]) -> None:
    for method, path, op in _operations(spec):
        assert any(s.startswith("2") for s in op["responses"]), (method, path)


def test_downloads_document_their_media_type(spec: dict[str, Any]) -> None:
    downloads = {
        "/cycles/{cycle_id}/scorecard.xlsx": XLSX,
        "/cycles/{cycle_id}/scorecard.svg": "image/svg+xml",
        "/cycles/{cycle_id}/submissions/{unit}/scorecard.xlsx": XLSX,
        "/cycles/{cycle_id}/submissions/{unit}/scorecard.svg": "image/svg+xml",
        "/regions/{region}/quota/{year}/compliance.csv": "text/csv",
        "/regions/{region}/quota/{year}/compliance.xlsx": XLSX,
    }
    found = {p: t for p, t in downloads.items() if p in spec["paths"]}
    assert found
    for path, media_type in found.items():
        assert list(spec["paths"][path]["get"]["responses"]["200"]["content"]) == [media_type]


def test_every_operation_documents_the_errors_every_route_gives(spec: dict[str, Any]) -> None:
    for method, path, op in _operations(spec):
        documented = set(op["responses"])
        assert {"401", "403", "503"} <= documented, (method, path)
        if "{" in path:
            assert "404" in documented, (method, path)
        if method in ("post", "put", "patch"):
            assert {"400", "413", "415", "422"} <= documented, (method, path)


@pytest.mark.parametrize("service", ["evaluation", "innovation", "notification"])
def test_the_documented_401_is_what_a_call_without_a_token_gets(service: str) -> None:
    import importlib
    import re

    settings = Settings(service=service, jwt_secret="x" * 32, mongo_uri="mongodb://127.0.0.1:9")
    client = importlib.import_module(f"{service}.app").create_app(settings).test_client()
    spec = client.get("/openapi.json").get_json()
    for method, path, op in _operations(spec):
        assert "401" in op["responses"], (method, path)
        concrete = re.sub(r"\{[^}]*(year|version)\}", "2030", path)
        concrete = concrete.replace("{action}", "verify")
        concrete = re.sub(r"\{[^}]+\}", "kab-batang", concrete)
        r = client.open(concrete, method=method.upper(), json=None if method == "get" else {})
        assert r.status_code == 401, (method, path, r.status_code)


def test_every_operation_has_a_summary(spec: dict[str, Any]) -> None:
    missing = [(m, p) for m, p, op in _operations(spec) if not op.get("summary")]
    assert missing == []


# The newcomer's reading: what each operation does, who may call it, and a body to start from.
EXPLAINED = ["evaluation", "innovation", "notification"]


@pytest.fixture(scope="module", params=EXPLAINED)
def explained(request: pytest.FixtureRequest) -> str:
    return request.param  # type: ignore[no-any-return]


def _spec_of(service: str) -> dict[str, Any]:
    settings = Settings(service=service, jwt_secret="x" * 32)
    app, api = create_base_app(settings, service, {})
    for blueprint in _blueprints(service):
        api.register_blueprint(blueprint)
    with app.app_context():
        return api.spec.to_dict()  # type: ignore[no-any-return]


def test_every_operation_has_a_description(explained: str) -> None:
    ops = _operations(_spec_of(explained))
    missing = [(m, p) for m, p, op in ops if len(op.get("description") or "") < 40]
    assert missing == []


def test_every_json_request_body_has_an_example(explained: str) -> None:
    for method, path, op in _operations(_spec_of(explained)):
        body = op.get("requestBody")
        if body:
            assert "example" in body["content"]["application/json"], (method, path)


def test_every_request_example_loads_with_the_operations_own_schema(explained: str) -> None:
    bodies = [
        (endpoint, method, parameter)
        for blueprint in _blueprints(explained)
        for endpoint, methods in blueprint._docs.items()
        for method, doc in methods.items()
        if method in ("post", "put", "patch")
        for parameter in (doc.get("arguments") or {}).get("parameters", [])
        if parameter["in"] == "json"
    ]
    assert bodies
    for endpoint, method, parameter in bodies:
        assert "example" in parameter, (endpoint, method)
        schema = parameter["schema"]
        schema = schema() if isinstance(schema, type) else schema
        assert schema.validate(parameter["example"]) == {}, (endpoint, method)


def test_the_framework_example_is_a_framework_the_service_accepts() -> None:
    """The framework body's schema only documents it (the domain parser validates), so the
    example goes through the parser too."""
    from evaluation.api.examples import FRAMEWORK
    from evaluation.domain import parse_framework

    assert parse_framework(FRAMEWORK).key == FRAMEWORK["key"]


def test_every_response_example_loads_with_its_response_schema(explained: str) -> None:
    found = [
        (endpoint, method, status, response)
        for blueprint in _blueprints(explained)
        for endpoint, methods in blueprint._docs.items()
        for method, doc in methods.items()
        if method in ("get", "post", "put", "patch", "delete")
        for status, responses in ((doc.get("response") or {}).get("responses") or {}).items()
        for response in responses
        if response.get("example") is not None
    ]
    for endpoint, method, status, response in found:
        schema = response["schema"]
        schema = schema() if isinstance(schema, type) else schema
        assert schema.validate(response["example"]) == {}, (endpoint, method, status)
