"""Roles over HTTP: OPDs see only their own drafts, viewers only published results, assessors
the regions they are given; frameworks are validated and versioned."""

from __future__ import annotations

import copy

from tests.integration.test_evaluation_support import (
    REGION,
    TINY,
    make_api,
    open_cycle,
    publish_framework,
    run_to_final,
    sub_path,
)


def test_an_opd_cannot_read_or_write_another_opds_submission(make_settings) -> None:  # type: ignore[no-untyped-def]
    admin, _ = make_api(make_settings("evaluation"))
    publish_framework(admin)
    cycle = open_cycle(admin, 2020)
    dinkes = admin.as_("opd", unit="dinkes")
    dinkes.patch(sub_path(cycle, "dinkes"), {"answers": {"q1": 2}}).ok()

    bappeda = admin.as_("opd", unit="bappeda")
    ghost = bappeda.get(sub_path(cycle, "ghost")).body["detail"]
    for response in (
        bappeda.get(sub_path(cycle, "dinkes")),
        bappeda.patch(sub_path(cycle, "dinkes"), {"answers": {"q1": 5}}),
        bappeda.post(sub_path(cycle, "dinkes", "/submit")),
        bappeda.get(sub_path(cycle, "dinkes", "/scorecard")),
    ):
        assert response.status == 404, response.body
        # indistinguishable from a participant that does not exist
        assert response.body["detail"].replace("dinkes", "ghost") == ghost
    listed = bappeda.get(f"/cycles/{cycle}/submissions").ok()
    assert [s["unit"] for s in listed] == ["bappeda"]
    other_region = admin.as_("opd", region="kab-pekalongan", unit="dinkes")
    assert other_region.get(sub_path(cycle, "dinkes")).status == 404
    assert other_region.get(f"/cycles/{cycle}").status == 404


def test_a_viewer_sees_only_published_results(make_settings) -> None:  # type: ignore[no-untyped-def]
    admin, _ = make_api(make_settings("evaluation"))
    publish_framework(admin)
    cycle = open_cycle(admin, 2019)
    run_to_final(admin, cycle, "dinkes", {"q1": 4, "q2": True, "q3": 50}, {"q1": 3})
    viewer = admin.as_("viewer")
    opd = admin.as_("opd", unit="bappeda")

    assert viewer.get(sub_path(cycle, "dinkes")).status == 403
    assert viewer.get(f"/cycles/{cycle}/submissions").status == 403
    assert viewer.get(f"/cycles/{cycle}/scorecard").status == 404
    assert viewer.get(sub_path(cycle, "dinkes", "/scorecard")).status == 404
    assert opd.get(f"/cycles/{cycle}/scorecard").status == 404
    assert admin.as_("assessor").get(f"/cycles/{cycle}/scorecard").ok()["published"] is False

    excused = {"excused": [{"unit": "bappeda", "reason": "Tidak ikut evaluasi tahun ini"}]}
    admin.post(f"/cycles/{cycle}/publish", excused).ok()
    card = viewer.get(f"/cycles/{cycle}/scorecard").ok()
    assert card["published"] is True and [r["unit"] for r in card["ranking"]] == ["dinkes"]
    assert viewer.get(sub_path(cycle, "dinkes", "/scorecard")).ok()["final"]["overall"] == 2.63
    assert opd.get(f"/cycles/{cycle}/scorecard").status == 200
    assert viewer.get(sub_path(cycle, "dinkes")).status == 403  # answers stay private
    assert admin.post(f"/cycles/{cycle}/publish").status == 409


def test_an_assessor_with_region_star_reviews_and_another_regions_assessor_sees_nothing(
    make_settings,
) -> None:  # type: ignore[no-untyped-def]
    admin, _ = make_api(make_settings("evaluation"))
    publish_framework(admin)
    cycle = open_cycle(admin, 2020)
    opd = admin.as_("opd", unit="dinkes")
    opd.patch(sub_path(cycle, "dinkes"), {"answers": {"q1": 2, "q2": True, "q3": 1}}).ok()
    opd.post(sub_path(cycle, "dinkes", "/submit")).ok()

    star = admin.as_("assessor", region="*")
    assert star.get("/regions").ok()[0]["id"] == REGION
    assert star.post(sub_path(cycle, "dinkes", "/start-review")).ok()["state"] == "in_review"
    elsewhere = admin.as_("assessor", region="kota-semarang")
    assert elsewhere.get(sub_path(cycle, "dinkes")).status == 404
    assert elsewhere.post(sub_path(cycle, "dinkes", "/verify")).status == 404
    assert star.patch(sub_path(cycle, "dinkes"), {"answers": {"q1": 5}}).status == 403
    assert opd.post(f"/regions/{REGION}/cycles", {}).status == 403
    assert admin.as_("admin", region="kota-semarang").post(f"/cycles/{cycle}/publish").status == 404


def test_frameworks_are_validated_with_field_paths_and_versioned_on_edit(make_settings) -> None:  # type: ignore[no-untyped-def]
    admin, _ = make_api(make_settings("evaluation"))
    broken = copy.deepcopy(TINY)
    broken["dimensions"][0]["indicators"][0]["questions"][0]["weight"] = -1
    broken["dimensions"][1]["indicators"] = []
    broken["bands"][2]["min"] = 1
    broken["dimensions"][0]["indicators"][1]["key"] = "service"
    response = admin.catalogue().post("/frameworks", broken)
    assert response.status == 422
    assert {
        "dimensions.0.indicators.0.questions.0.weight",
        "dimensions.1.indicators",
        "bands.2.min",
        "dimensions.0.indicators.1.key",
    } <= set(response.body["errors"])
    unsafe = admin.catalogue().post("/frameworks", {**TINY, "$set": {"x": 1}})
    assert unsafe.status == 422
    assert admin.as_("opd", unit="dinkes").post("/frameworks", TINY).status == 403

    publish_framework(admin)
    assert admin.catalogue().post("/frameworks", TINY).status == 409
    cycle = open_cycle(admin, 2019)
    edited = copy.deepcopy(TINY)
    edited["dimensions"][1]["indicators"][0]["key"] = "waste-management"
    v2 = admin.catalogue().put("/frameworks/tiny", edited).ok()
    assert (v2["version"], v2["status"]) == (2, "draft")
    viewer = admin.as_("viewer")
    assert viewer.get("/frameworks/tiny/versions/2").status == 404  # drafts: admins only
    assert viewer.get("/frameworks/tiny").ok()["published_version"] == 1
    admin.catalogue().post("/frameworks/tiny/versions/2/publish").ok()
    assert admin.catalogue().post("/frameworks/tiny/versions/2/publish").status == 409
    changes = viewer.get("/frameworks/tiny/changes?since=1").ok()
    assert changes["new_indicators"] == ["waste-management"]
    assert changes["dropped_indicators"] == ["waste"]
    assert admin.get(f"/cycles/{cycle}").ok()["framework_version"] == 1  # frozen
    assert (
        open_cycle(admin, 2020)
        and admin.get(f"/cycles/{REGION}:2020:tiny").ok()["framework_version"] == 2
    )
