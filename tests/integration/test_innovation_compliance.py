"""Quota compliance on the real path: directory events in through Kafka, innovations through
HTTP, compliance changes out through the outbox to Kafka."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from smartcity_shared.events import encode
from tests.integration.test_innovation_support import (
    REGION,
    directory_events,
    of_type,
    profile,
    start,
)
from tests.support.kafka import produce
from tests.support.stack import eventually


def test_compliance_lists_every_opd_of_the_directory_including_one_without_innovations(
    make_settings, start_worker
) -> None:  # type: ignore[no-untyped-def]
    svc = start(make_settings, start_worker)
    admin = svc.as_("admin")
    year = svc.ctx.today(REGION).year
    r = admin(
        "POST",
        f"/regions/{REGION}/innovations",
        json=profile("dinkes", "SIRUP", stage="trial", trial_start=f"{year}-01-15"),
    )
    assert r.status_code == 201, r.get_json()

    viewer = svc.as_("viewer")
    r = viewer("GET", f"/regions/{REGION}/quota/{year}/compliance")
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    rows = {row["unit"]: row for row in body["units"]}
    assert set(rows) == {"dinkes", "disparpora", "dishub"}
    assert rows["dishub"]["counted"] == 0 and rows["dishub"]["shortfall"] == 3
    assert rows["dishub"]["registered"] == 0
    assert rows["dishub"]["unit_name"] == "Dinas Perhubungan"
    assert rows["dinkes"]["counted"] == 1 and rows["dinkes"]["shortfall"] == 2
    assert body["totals"]["units"] == 3 and body["totals"]["shortfall"] == 8

    r = viewer("GET", f"/regions/{REGION}/quota/{year}/compliance?format=csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    assert [line[0] for line in lines] == ["unit", "dinkes", "dishub", "disparpora", "TOTAL"]

    r = viewer("GET", f"/regions/{REGION}/quota/{year}/compliance.xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.get_data()))["compliance"]
    assert [row[0] for row in sheet.iter_rows(values_only=True)][1:4] == [
        "dinkes",
        "dishub",
        "disparpora",
    ]

    other = svc.as_("admin", region="kab-pekalongan")
    assert other("GET", f"/regions/{REGION}/quota/{year}/compliance").status_code == 404


def test_three_innovations_moved_to_trial_meet_the_quota_and_say_so_on_kafka(
    make_settings, start_worker
) -> None:  # type: ignore[no-untyped-def]
    svc = start(
        make_settings,
        start_worker,
        opds={"dinkes": "Dinas Kesehatan", "dishub": "Dinas Perhubungan"},
    )
    opd = svc.as_("opd", unit="dinkes")
    ids = []
    for name, kind in (
        ("SIRUP", "digital"),
        ("Posyandu Keliling", "non_digital"),
        ("e-Puskesmas", "digital"),
    ):
        r = opd("POST", f"/regions/{REGION}/innovations", json=profile("dinkes", name, type=kind))
        assert r.status_code == 201, r.get_json()
        assert r.get_json()["stage"] == "initiative"
        ids.append(r.get_json()["id"])
    for innovation_id in ids:
        r = opd(
            "POST", f"/regions/{REGION}/innovations/{innovation_id}/stage", json={"to": "trial"}
        )
        assert r.status_code == 200, r.get_json()
        assert r.get_json()["trial_start"] is not None

    events = svc.wait_for("smartcity.quota.met")
    met = of_type(events, "smartcity.quota.met")
    assert len(met) == 1
    data = met[0]["data"]
    assert met[0]["subject"] == f"{REGION}:{svc.ctx.today(REGION).year}"
    assert (data["unit"], data["unit_code"], data["unit_name"]) == (
        "kab-batang:dinkes",
        "dinkes",
        "Dinas Kesehatan",
    )
    assert (data["required"], data["counted"], data["shortfall"]) == (3, 3, 0)
    assert {i["name"] for i in data["innovations"]} == {"SIRUP", "Posyandu Keliling", "e-Puskesmas"}
    assert data["contact_emails"] == ["dinkes@batangkab.go.id"]

    detected = {
        e["data"]["unit_code"] for e in of_type(events, "smartcity.quota.shortfall_detected")
    }
    assert detected == {"dinkes", "dishub"}
    assert len(of_type(events, "smartcity.innovation.registered")) == 3
    assert len(of_type(events, "smartcity.innovation.stage_changed")) == 3
    snapshot = svc.ctx.db["compliance"].find_one({"region": REGION}, sort=[("seq", -1)])
    assert {u["unit"]: u["shortfall"] for u in snapshot["units"]} == {"dinkes": 0, "dishub": 3}


def test_an_opd_added_or_deactivated_in_the_directory_moves_compliance_once(
    make_settings, start_worker
) -> None:  # type: ignore[no-untyped-def]
    svc = start(make_settings, start_worker, opds={"dinkes": "Dinas Kesehatan"})
    year = svc.ctx.today(REGION).year
    first = svc.wait_for("smartcity.quota.shortfall_detected")
    assert [
        e["data"]["unit_code"] for e in of_type(first, "smartcity.quota.shortfall_detected")
    ] == ["dinkes"]

    ((_, dlh),) = directory_events(REGION, {"dlh": "Dinas Lingkungan Hidup"})[1:]
    produce(svc.settings, "smartcity.directory", dlh["subject"], encode(dlh))
    events = svc.wait_for("smartcity.quota.shortfall_detected", count=2)
    added = of_type(events, "smartcity.quota.shortfall_detected")[-1]["data"]
    assert (added["unit_code"], added["unit_name"], added["shortfall"]) == (
        "dlh",
        "Dinas Lingkungan Hidup",
        3,
    )
    snapshots = svc.ctx.db["compliance_heads"]
    seq = snapshots.find_one({"_id": f"{REGION}:{year}"})["seq"]

    produce(svc.settings, "smartcity.directory", dlh["subject"], encode(dlh))  # redelivered
    gone = {**dlh, "id": "00000000-0000-4000-8000-00000000d1e0", "time": "2999-01-01T00:00:00Z"}
    gone["data"] = {**dlh["data"], "active": False}
    produce(svc.settings, "smartcity.directory", dlh["subject"], encode(gone))
    viewer = svc.as_("viewer")
    eventually(
        lambda: (
            len(viewer("GET", f"/regions/{REGION}/quota/{year}/compliance").get_json()["units"])
            == 1
        ),
        message="deactivated OPD left the report",
    )
    eventually(lambda: snapshots.find_one({"_id": f"{REGION}:{year}"})["seq"] == seq + 1)
    assert (
        len(of_type(svc.events(expect=10**6, timeout=1.0), "smartcity.quota.shortfall_detected"))
        == 2
    )
