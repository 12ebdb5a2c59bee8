"""Roles, concurrency and input on the real store: who may write what, stale ETags, invalid
bodies (nothing stored), and nothing of another region leaking."""

from __future__ import annotations

from typing import Any

from tests.integration.test_innovation_support import REGION, Innovation, of_type, profile, start


def register(svc: Innovation, unit: str = "dinkes", **overrides: Any) -> dict[str, Any]:
    r = svc.as_("opd", unit=unit)(
        "POST", f"/regions/{REGION}/innovations", json=profile(unit, "SIRUP", **overrides)
    )
    assert r.status_code == 201, r.get_json()
    return r.get_json()  # type: ignore[no-any-return]


def test_only_the_owner_opd_or_the_admin_edits_and_only_assessors_verify(
    make_settings, start_worker
) -> None:  # type: ignore[no-untyped-def]
    svc = start(make_settings, start_worker)
    created = register(svc)
    path = f"/regions/{REGION}/innovations/{created['id']}"

    other_opd = svc.as_("opd", unit="dishub")
    assert other_opd("GET", path).status_code == 200  # same region: readable
    r = other_opd("PATCH", path, json={"name": "Hijacked"})
    assert r.status_code == 403 and r.mimetype == "application/problem+json"
    assert other_opd("POST", f"{path}/stage", json={"to": "trial"}).status_code == 403
    r = other_opd("POST", f"/regions/{REGION}/innovations", json=profile("dinkes", "Not mine"))
    assert r.status_code == 403
    assert svc.as_("viewer")("PATCH", path, json={"name": "x"}).status_code == 403
    assert (
        svc.as_("opd", unit="dinkes")(
            "POST", f"{path}/verifications", json={"status": "verified"}
        ).status_code
        == 403
    )

    assessor = svc.as_("assessor", region="*")
    r = assessor("POST", f"{path}/verifications", json={"status": "needs_evidence", "note": "SK?"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["verification"]["status"] == "needs_evidence"
    r = svc.as_("admin")("PATCH", path, json={"name": "SIRUP v2"})
    assert r.status_code == 200 and r.get_json()["name"] == "SIRUP v2"

    foreign = svc.as_("admin", region="kab-pekalongan")
    assert foreign("GET", path).status_code == 404
    assert foreign("GET", f"/regions/{REGION}/innovations").status_code == 404
    foreign_path = f"/regions/kab-pekalongan/innovations/{created['id']}"
    r = foreign("GET", foreign_path)
    assert r.status_code == 404 and "SIRUP" not in r.get_data(as_text=True)
    r = foreign("GET", "/regions/kab-pekalongan/innovations")
    assert r.status_code == 200 and r.get_json()["total"] == 0
    assert svc.client.get(path).status_code == 401
    verified = of_type(
        svc.wait_for("smartcity.innovation.verified"), "smartcity.innovation.verified"
    )
    assert verified[0]["data"]["result"] == "needs_evidence"


def test_a_stale_if_match_is_412_and_changes_nothing(make_settings, start_worker) -> None:  # type: ignore[no-untyped-def]
    svc = start(make_settings, start_worker, opds={"dinkes": "Dinas Kesehatan"})
    opd = svc.as_("opd", unit="dinkes")
    created = register(svc)
    path = f"/regions/{REGION}/innovations/{created['id']}"
    r = opd("PATCH", path, json={"results": "1,200 referrals"}, headers={"If-Match": '"1"'})
    assert r.status_code == 200 and r.headers["ETag"] == '"2"'
    stale = opd("PATCH", path, json={"results": "overwritten"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412 and stale.mimetype == "application/problem+json"
    stale = opd("POST", f"{path}/stage", json={"to": "trial"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    doc = svc.ctx.db["innovations"].find_one({"_id": created["id"]})
    assert doc["results"] == "1,200 referrals" and doc["stage"] == "initiative"
    assert len(doc.get("_outbox", {})) <= 1  # only the registration event, if not yet relayed


def test_invalid_bodies_are_422_with_field_paths_and_store_nothing(
    make_settings, start_worker
) -> None:  # type: ignore[no-untyped-def]
    svc = start(make_settings, start_worker, opds={"dinkes": "Dinas Kesehatan"})
    opd = svc.as_("opd", unit="dinkes")
    url = f"/regions/{REGION}/innovations"

    r = opd("POST", url, json=profile("dinkes", "", type="analog", evidence=[{"url": "x"}]))
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    errors = r.get_json()["errors"]
    assert "type" in errors and "evidence.0.description" in errors

    r = opd(
        "POST",
        url,
        json=profile("dinkes", "  ", trial_start="2020-05-01", implementation_start="2020-01-01"),
    )
    assert r.status_code == 422
    assert {"name", "implementation_start"} <= set(r.get_json()["errors"])

    r = opd("POST", url, json={**profile("dinkes", "Injected"), "$where": "1", "a.b": 1})
    assert r.status_code == 422
    assert {"$where", "a.b"} <= set(r.get_json()["errors"])
    r = opd(
        "POST",
        url,
        json=profile(
            "dinkes", "Nested", evidence=[{"url": "/f.pdf", "description": "d", "$set": 1}]
        ),
    )
    assert r.status_code == 422 and "evidence.0.$set" in r.get_json()["errors"]

    r = opd("POST", url, json=profile("dinkes", "Ghost unit", partner_units=["ghost"]))
    assert r.status_code == 422 and "partner_units" in r.get_json()["errors"]
    r = opd("POST", url, json=profile("dinkes", "Ghost programme", programme_id="SG-99"))
    assert r.status_code == 422 and "programme_id" in r.get_json()["errors"]
    r = opd("POST", url, data="not json", headers={"Content-Type": "application/json"})
    assert r.status_code in (400, 422) and r.mimetype == "application/problem+json"
    assert svc.ctx.db["innovations"].count_documents({}) == 0

    created = register(svc)
    path = f"{url}/{created['id']}"
    r = opd("POST", f"{path}/stage", json={"to": "implemented"})
    assert r.status_code == 409  # skipping the trial
    r = opd("POST", f"{path}/discontinue", json={"reason": ""})
    assert r.status_code == 422 and "reason" in r.get_json()["errors"]
    r = opd("POST", f"{path}/milestones", json={"title": "Launch", "planned_date": "2020-02-30"})
    assert r.status_code == 422 and "planned_date" in r.get_json()["errors"]
    r = svc.as_("admin")(
        "PUT",
        f"/regions/{REGION}/quota/2020",
        json={"min_stage": "discontinued", "exempt_units": ["ghost"]},
    )
    assert r.status_code == 422 and "min_stage" in r.get_json()["errors"]
    doc = svc.ctx.db["innovations"].find_one({"_id": created["id"]})
    assert doc["_rev"] == 1 and doc["milestones"] == [] and doc["stage"] == "initiative"
    assert svc.ctx.db["quota_policies"].count_documents({}) == 0
