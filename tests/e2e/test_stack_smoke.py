"""The running stack answers like the contract says: health, readiness, metrics, OpenAPI."""

from __future__ import annotations

import re

import pytest
import requests

SERVICES = ("evaluation", "innovation", "notification")


@pytest.mark.parametrize("service", SERVICES)
def test_each_api_is_ready_and_documents_itself(running, service) -> None:  # type: ignore[no-untyped-def]
    assert requests.get(running.url(service, "/healthz"), timeout=5).status_code == 200
    ready = requests.get(running.url(service, "/readyz"), timeout=5)
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {"store": "ok", "broker": "ok"}
    spec = requests.get(running.url(service, "/openapi.json"), timeout=5).json()
    assert spec["openapi"].startswith("3.") and spec["paths"]
    assert requests.get(running.url(service, "/docs"), timeout=5).status_code == 200
    metrics = requests.get(running.url(service, "/metrics"), timeout=5)
    assert "http_requests_total" in metrics.text


@pytest.mark.parametrize("service", SERVICES)
def test_requests_without_a_token_get_401_problem_json(running, service) -> None:  # type: ignore[no-untyped-def]
    spec = requests.get(running.url(service, "/openapi.json"), timeout=5).json()
    path = next(p for p in spec["paths"] if "get" in spec["paths"][p])
    concrete = re.sub(r"\{[^}]+\}", "kab-batang", path)
    r = requests.get(running.url(service, concrete), timeout=5)
    assert r.status_code == 401
    assert r.headers["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize("service", SERVICES)
def test_the_docs_page_loads_swagger_ui_from_the_service_itself(running, service) -> None:  # type: ignore[no-untyped-def]
    page = requests.get(running.url(service, "/docs"), timeout=5).text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and not [s for s in sources if "://" in s]  # no CDN: works offline
    for path in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert f"/assets/swagger-ui-dist/{path}" in sources
        r = requests.get(running.url(service, f"/assets/swagger-ui-dist/{path}"), timeout=5)
        assert r.status_code == 200 and len(r.content) > 10_000
    missing = requests.get(running.url(service, "/assets/swagger-ui-dist/nope.js"), timeout=5)
    assert missing.status_code == 404
