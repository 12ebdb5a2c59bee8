"""The master plan through HTTP: programmes, linked innovations, a review (new version with
what changed and why) and the review report naming what is behind schedule."""

from __future__ import annotations

from datetime import timedelta

from tests.integration.test_innovation_support import REGION, of_type, profile, start


def plan_body(year: int) -> dict[str, object]:
    return {
        "title": "Masterplan Smart City Kabupaten Batang",
        "start_year": year - 2,
        "end_year": year + 7,
        "programmes": [
            {
                "id": "SG-01",
                "name": "Layanan publik terintegrasi",
                "pillar": "governance",
                "horizon": "quick_win",
                "owner_unit": "dinkes",
                "start_year": year,
                "end_year": year,
            },
            {
                "id": "SL-02",
                "name": "Transportasi terpadu",
                "pillar": "living",
                "horizon": "short",
                "owner_unit": "dishub",
                "start_year": year - 2,
                "end_year": year,
            },
        ],
    }


def test_the_review_report_shows_linked_innovations_and_programmes_behind_schedule(
    make_settings, start_worker
) -> None:  # type: ignore[no-untyped-def]
    svc = start(make_settings, start_worker)
    admin = svc.as_("admin")
    today = svc.ctx.today(REGION)
    base = f"/regions/{REGION}/masterplans"

    r = admin("POST", base, json=plan_body(today.year))
    assert r.status_code == 201, r.get_json()
    plan = r.get_json()
    plan_id = plan["id"]
    assert plan["version"] == 1 and r.headers["ETag"] == '"1"'
    assert admin("POST", base, json=plan_body(today.year)).status_code == 409
    assert (
        svc.as_("opd", unit="dinkes")("POST", base, json=plan_body(today.year)).status_code == 403
    )

    r = admin(
        "POST",
        f"{base}/{plan_id}/programmes",
        json={
            "id": "SE-01",
            "name": "Bank sampah",
            "pillar": "environment",
            "horizon": "medium",
            "owner_unit": "ghost",
        },
    )
    assert r.status_code == 422 and "owner_unit" in r.get_json()["errors"]

    opd = svc.as_("opd", unit="dinkes")
    r = opd(
        "POST",
        f"/regions/{REGION}/innovations",
        json=profile("dinkes", "SIRUP", programme_id="SG-01"),
    )
    assert r.status_code == 201, r.get_json()
    innovation_id = r.get_json()["id"]
    late = (today - timedelta(days=3)).isoformat()
    r = opd(
        "POST",
        f"/regions/{REGION}/innovations/{innovation_id}/milestones",
        json={"title": "Go live", "planned_date": late},
    )
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["milestones"][0]["overdue"] is True

    r = admin(
        "POST",
        f"{base}/{plan_id}/reviews",
        json={"changes": "SG-01 accelerated.", "reason": "Annual review."},
        headers={"If-Match": '"1"'},
    )
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["version"] == 2
    assert r.get_json()["reviews"][-1]["reason"] == "Annual review."
    stale = admin(
        "POST",
        f"{base}/{plan_id}/reviews",
        json={"changes": "x", "reason": "y"},
        headers={"If-Match": '"1"'},
    )
    assert stale.status_code == 412

    r = svc.as_("viewer")("GET", f"{base}/{plan_id}/report")
    assert r.status_code == 200, r.get_json()
    report = r.get_json()
    lines = {p["id"]: p for p in report["programmes"]}
    assert lines["SG-01"]["innovations"][0]["name"] == "SIRUP"
    assert lines["SG-01"]["stage_counts"]["initiative"] == 1
    assert lines["SG-01"]["behind_schedule"] is True
    assert any("overdue" in reason for reason in lines["SG-01"]["reasons"])
    assert lines["SL-02"]["behind_schedule"] is True and lines["SL-02"]["innovations"] == []
    assert lines["SL-02"]["owner_unit_name"] == "Dinas Perhubungan"
    assert report["behind"] == 2 and report["weights"]["stage_share"] == 0.7

    reviewed = of_type(
        svc.wait_for("smartcity.masterplan.reviewed"), "smartcity.masterplan.reviewed"
    )
    data = reviewed[0]["data"]
    assert (data["version"], data["changes"]) == (2, "SG-01 accelerated.")
    assert {p["programme_id"] for p in data["behind_schedule"]} == {"SG-01", "SL-02"}
    assert svc.as_("admin", region="kab-pekalongan")("GET", f"{base}/{plan_id}").status_code == 404
