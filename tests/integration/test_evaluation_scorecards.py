"""Scorecards by value (the tiny framework scored by hand), trend across two cycles on two
framework versions, region ranking, XLSX and SVG exports, scorecard.published on Kafka.

Hand computation (scale 5; gov = mean(service, policy); env = waste (weight 2, alone);
waste = mean(q3, q4); overall = mean(gov, env)):
- 2019 dinkes: self q1=4 -> service .8, policy 1, gov .9; waste (.5 + .6)/2 = .55;
  overall .725 -> 3.63. Verified q1=3 -> service .6, gov .8, overall .675 -> 3.38 (Baik).
- 2019 bappeda: service .4, policy 0, gov .2; waste (1 + 1)/2 = 1; overall .6 -> 3.00.
  Cycle: (.675 + .6)/2 = .6375 -> 3.19; gov .5 -> 2.50; env .775 -> 3.88.
- 2020 dinkes: gov 1, waste (1 + .8)/2 = .9, overall .95 -> 4.75.
- 2020 bappeda: service .6, gov .8, waste (.8 + .5)/2 = .65, overall .725 -> 3.63.
  Cycle: .8375 -> 4.19 (Sangat Baik), change +.2 -> +1.00; gov .9 -> 4.50 (+2.00).
"""

from __future__ import annotations

import copy
import io
import xml.etree.ElementTree as ET

from openpyxl import load_workbook

from evaluation import bootstrap
from smartcity_shared.worker import WorkerSpec
from tests.integration.test_evaluation_support import (
    REGION,
    TINY,
    make_api,
    open_cycle,
    publish_framework,
    run_to_final,
    sub_path,
)
from tests.support.kafka import events_of, read_all

SVG = "{http://www.w3.org/2000/svg}"


def _two_years(admin):  # type: ignore[no-untyped-def]
    publish_framework(admin)
    c2019 = open_cycle(admin, 2019)
    run_to_final(
        admin, c2019, "dinkes", {"q1": 4, "q2": True, "q3": 50, "q4": "t"}, {"q1": 3}, {"q4": 0.6}
    )
    run_to_final(
        admin, c2019, "bappeda", {"q1": 2, "q2": False, "q3": 100, "q4": "t"}, None, {"q4": 1}
    )
    admin.post(f"/cycles/{c2019}/publish").ok()
    renamed = copy.deepcopy(TINY)
    renamed["dimensions"][1]["indicators"][0]["key"] = "waste-management"
    admin.catalogue().put("/frameworks/tiny", renamed).ok()
    admin.catalogue().post("/frameworks/tiny/versions/2/publish").ok()
    c2020 = open_cycle(admin, 2020)
    run_to_final(
        admin, c2020, "dinkes", {"q1": 5, "q2": True, "q3": 100, "q4": "t"}, None, {"q4": 0.8}
    )
    run_to_final(
        admin, c2020, "bappeda", {"q1": 3, "q2": True, "q3": 80, "q4": "t"}, None, {"q4": 0.5}
    )
    admin.post(f"/cycles/{c2020}/publish").ok()
    return c2019, c2020


def test_scorecards_trend_and_exports_by_value(make_settings, start_worker) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings("evaluation")
    admin, ctx = make_api(settings)
    c2019, c2020 = _two_years(admin)
    viewer = admin.as_("viewer")

    card = viewer.get(sub_path(c2019, "dinkes", "/scorecard")).ok()
    assert (card["self"]["overall"], card["final"]["overall"], card["difference"]["overall"]) == (
        3.63,
        3.38,
        -0.25,
    )
    assert (card["self"]["band"], card["final"]["band"]) == ("Sangat Baik", "Baik")
    assert card["self"]["dimensions"] == {"gov": 4.5, "env": 2.75}
    assert card["final"]["dimensions"] == {"gov": 4.0, "env": 2.75}
    assert card["difference"]["dimensions"] == {"gov": -0.5, "env": 0.0}
    assert card["final"]["indicators"] == {"service": 3.0, "policy": 5.0, "waste": 2.75}
    assert card["final"]["tags"] == {"pillar": {"governance": 4.0, "environment": 2.75}}
    assert card["final"]["questions"]["q1"] == {"status": "scored", "score": 3.0}

    cycle = viewer.get(f"/cycles/{c2019}/scorecard").ok()
    assert (cycle["overall"], cycle["band"], cycle["participants"]) == (3.19, "Baik", 2)
    assert cycle["dimensions"] == {"gov": 2.5, "env": 3.88}
    assert [(r["rank"], r["unit"], r["overall"]) for r in cycle["ranking"]] == [
        (1, "dinkes", 3.38),
        (2, "bappeda", 3.0),
    ]
    later = viewer.get(f"/cycles/{c2020}/scorecard").ok()
    assert (later["overall"], later["band"], later["delta"]) == (4.19, "Sangat Baik", 1.0)

    trend = viewer.get(f"/regions/{REGION}/trend?framework=tiny").ok()["points"]
    assert [(p["year"], p["overall"], p["change"]) for p in trend] == [
        (2019, 3.19, None),
        (2020, 4.19, 1.0),
    ]
    assert trend[1]["dimension_changes"] == {"gov": 2.0, "env": 0.0}
    assert trend[1]["new_indicators"] == ["waste-management"]
    assert trend[1]["dropped_indicators"] == ["waste"]
    unit_trend = viewer.get(f"/regions/{REGION}/trend?framework=tiny&unit=dinkes").ok()
    assert [(p["overall"], p["change"]) for p in unit_trend["points"]] == [
        (3.38, None),
        (4.75, 1.37),  # shown 4.75 - 3.38 (the exact 1.375 would round to 1.38)
    ]

    book = load_workbook(io.BytesIO(viewer.get(f"/cycles/{c2019}/scorecard.xlsx").raw.data))
    assert book.sheetnames == ["Summary", "Indicators"]
    summary = [row for row in book["Summary"].iter_rows(values_only=True)]
    assert ("Overall", 3.19) in [row[:2] for row in summary]
    assert (1, "dinkes", "Dinas Kesehatan", 3.38, "Baik", 3.63, -0.25, 4.0, 2.75) in summary
    indicators = list(book["Indicators"].iter_rows(values_only=True))
    assert indicators[0][:6] == (
        "Dimension",
        "Indicator",
        "Name",
        "Tags",
        "bappeda final",
        "dinkes final",
    )
    assert indicators[1][:6] == ("gov", "service", "Public service", "pillar=governance", 2.0, 3.0)
    unit_book = load_workbook(
        io.BytesIO(admin.get(sub_path(c2019, "dinkes", "/scorecard.xlsx")).raw.data)
    )
    assert unit_book.sheetnames == ["Summary", "Indicators"]

    for path in (f"/cycles/{c2019}/scorecard.svg", sub_path(c2019, "dinkes", "/scorecard.svg")):
        response = viewer.get(path)
        assert response.status == 200 and response.raw.mimetype == "image/svg+xml"
        root = ET.fromstring(response.raw.data)
        assert root.tag == f"{SVG}svg"
        assert len(root.findall(f"{SVG}polygon")) >= 6  # 5 rings + a series
    assert "Governance" in viewer.get(f"/cycles/{c2019}/scorecard.svg").raw.data.decode()

    start_worker(settings, ctx.db, WorkerSpec("evaluation", [], {}, bootstrap.AGGREGATES))
    events = events_of(read_all(settings, "smartcity.evaluation", expect=16))
    published = [e for e in events if e["type"] == "smartcity.scorecard.published"]
    assert [(e["subject"], e["data"]["overall"], e["data"]["delta"]) for e in published] == [
        (c2019, 3.19, None),
        (c2020, 4.19, 1.0),
    ]
    assert (
        published[1]["data"]["participants"] == 2 and published[1]["data"]["band"] == "Sangat Baik"
    )


def test_assessors_rank_regions_and_admins_see_their_own(make_settings) -> None:  # type: ignore[no-untyped-def]
    admin, _ = make_api(make_settings("evaluation"))
    publish_framework(admin)
    c_batang = open_cycle(admin, 2019)
    run_to_final(
        admin, c_batang, "dinkes", {"q1": 2, "q2": False, "q3": 10, "q4": "t"}, None, {"q4": 0}
    )
    other = admin.as_("admin", region="kab-pekalongan")
    other.post("/regions", {"region_id": "kab-pekalongan", "name": "Kabupaten Pekalongan"}).ok(201)
    other.post("/regions/kab-pekalongan/units", {"code": "dinkes", "name": "Dinkes"}).ok(201)
    c_other = open_cycle(other, 2019, region="kab-pekalongan", participants=["dinkes"])
    answers = {"q1": 5, "q2": True, "q3": 100, "q4": "t"}
    run_to_final(other, c_other, "dinkes", answers, None, {"q4": 1}, region="kab-pekalongan")

    ranking = admin.as_("assessor", region="*").get("/rankings/regions?framework=tiny&year=2019")
    assert [(r["rank"], r["region"], r["overall"]) for r in ranking.ok()["ranking"]] == [
        (1, "kab-pekalongan", 5.0),
        (2, REGION, 0.63),
    ]
    own = admin.get("/rankings/regions?framework=tiny&year=2019").ok()["ranking"]
    assert [r["region"] for r in own] == [REGION]
    assert (
        admin.as_("viewer").get("/rankings/regions?framework=tiny&year=2019").ok()["ranking"] == []
    )
