"""User-chosen ids are unique per region, also next to documents stored before ids were
scoped (their `_id` is the bare chosen id): those stay readable and still block their id in
their own region, and never in another."""

from __future__ import annotations

from tests.integration.test_evaluation_support import REGION, make_api

RISK = {
    "unit": "dinkes",
    "perspective": "sustainability",
    "title": "Stored before scoping",
    "likelihood": 2,
    "impact": 2,
}


def test_a_risk_stored_before_scoping_keeps_its_id_in_its_region_only(make_settings) -> None:  # type: ignore[no-untyped-def]
    admin, ctx = make_api(make_settings("evaluation"))
    admin.post(f"/regions/{REGION}/risks", {**RISK, "risk_id": "template"}).ok(201)
    legacy = ctx.store("risks").collection.find_one({"_id": f"{REGION}:template"})
    assert legacy is not None
    ctx.store("risks").collection.insert_one({**legacy, "_id": "risk-lama"})  # an old document

    assert admin.get(f"/regions/{REGION}/risks/risk-lama").ok()["id"] == "risk-lama"
    again = admin.post(f"/regions/{REGION}/risks", {**RISK, "risk_id": "risk-lama"})
    assert again.status == 409

    other = "kota-pekalongan"
    stranger = admin.as_("admin", region=other)
    stranger.post("/regions", {"region_id": other, "name": "Kota Pekalongan"}).ok(201)
    stranger.post(f"/regions/{other}/units", {"code": "dinkes", "name": "Dinkes"}).ok(201)
    assert stranger.get(f"/regions/{other}/risks/risk-lama").status == 404
    mine = stranger.post(f"/regions/{other}/risks", {**RISK, "risk_id": "risk-lama"}).ok(201)
    assert mine["id"] == f"{other}:risk-lama"
    assert stranger.get(f"/regions/{other}/risks/risk-lama").ok()["region"] == other
