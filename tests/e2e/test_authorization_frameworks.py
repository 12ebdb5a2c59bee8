"""Security (issue 11): the framework catalogue is owned. National frameworks are written by
the catalogue (an admin token with `catalogue: true`), a region's own frameworks by its admins
only; drafts are visible to their owner; a cycle uses national frameworks or its region's own;
every change is audited."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.portal import Portal, problem, suffix
from tests.e2e.test_authorization_matrix import framework


@pytest.fixture(scope="module")
def regions(running: Any) -> tuple[str, str]:
    sfx = suffix()
    pair = (f"kab-fa-{sfx}", f"kab-fb-{sfx}")
    for region in pair:
        admin = Portal(running, "evaluation", "admin", region)
        admin.post("/regions", {"region_id": region, "name": region}, expect=201)
        admin.post(f"/regions/{region}/units", {"code": "dinkes", "name": "Dinkes"}, expect=201)
    return pair


def test_a_regions_admin_cannot_write_the_national_catalogue(
    running: Any, regions: tuple[str, str]
) -> None:
    a, b = regions
    catalogue = Portal(running, "evaluation", "admin", a, catalogue=True)
    key = f"nasional-{suffix()}"
    catalogue.post("/frameworks", framework(key), expect=201)
    catalogue.post(f"/frameworks/{key}/versions/1/publish")
    intruder = Portal(running, "evaluation", "admin", b)
    edited = {**framework(key), "name": "Diganti"}
    problem(intruder.call("PUT", f"/frameworks/{key}", edited), 403)
    problem(intruder.call("POST", "/frameworks", framework(f"nasional-{suffix()}")), 422)
    # The catalogue edits (version 2, a draft nobody else sees) and publishes; all audited.
    assert catalogue.put(f"/frameworks/{key}", edited)["version"] == 2
    problem(intruder.call("GET", f"/frameworks/{key}/versions/2"), 404)
    problem(intruder.call("POST", f"/frameworks/{key}/versions/2/publish"), 404)
    published = catalogue.post(f"/frameworks/{key}/versions/2/publish")
    assert [e["action"] for e in published["audit"]] == ["created", "published"]
    assert published["owner"] == "national"


def test_a_regions_own_framework_is_its_admins_alone(
    running: Any, regions: tuple[str, str]
) -> None:
    a, b = regions
    owner = Portal(running, "evaluation", "admin", a)
    intruder = Portal(running, "evaluation", "admin", b)
    key = f"{a}-lokal"
    created = owner.post("/frameworks", framework(key), expect=201)
    assert created["owner"] == a
    # Another region's admin neither sees the draft nor can write or publish it, and cannot
    # take a key in A's namespace (refused before any lookup: no existence oracle).
    for method, path in (
        ("GET", f"/frameworks/{key}"),
        ("GET", f"/frameworks/{key}/versions/1"),
        ("POST", f"/frameworks/{key}/versions/1/publish"),
    ):
        problem(intruder.call(method, path, {} if method == "POST" else None), 404)
    problem(intruder.call("PUT", f"/frameworks/{key}", framework(key)), 404)
    problem(intruder.call("POST", "/frameworks", framework(f"{a}-lain")), 422)
    assert key not in {f["key"] for f in intruder.get("/frameworks")}
    edited = owner.put(f"/frameworks/{key}", {**framework(key), "name": "Versi A"})
    assert [e["action"] for e in edited["audit"]] == ["created", "edited"]
    owner.post(f"/frameworks/{key}/versions/1/publish")
    # Published, everyone reads it; still only A writes it, and only A's cycles use it.
    assert intruder.get(f"/frameworks/{key}")["published_version"] == 1
    problem(intruder.call("PUT", f"/frameworks/{key}", framework(key)), 403)
    cycle = {"year": 2030, "framework_key": key, "participants": ["dinkes"]}
    refused = problem(intruder.call("POST", f"/regions/{b}/cycles", cycle), 422)
    assert "framework_key" in refused["errors"]
    owner.post(f"/regions/{a}/cycles", cycle, expect=201)


def test_a_token_for_a_region_not_in_the_directory_writes_no_framework(running: Any) -> None:
    ghost = f"kab-hantu-{suffix()}"
    admin = Portal(running, "evaluation", "admin", ghost)
    problem(admin.call("POST", "/frameworks", framework(f"{ghost}-x")), 403)
    problem(admin.call("GET", f"/frameworks/{ghost}-x"), 404)
