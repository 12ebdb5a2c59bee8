"""Year-on-year deltas per dimension and per tag in the cycle and participant scorecards, and
the trend workbook across framework versions (a dimension dropped, another new).

Hand computation (scale 5). 2019 on tiny v1 (gov, env), numbers as in the scorecard test:
- dinkes final: gov .8, env .55, overall .675; pillar governance .8, environment .55.
- bappeda: gov .2, env 1, overall .6. Cycle: .6375 (3.19), gov .5 (2.50), env .775 (3.88);
  indicators service .5 (2.50), policy .5 (2.50), waste .775 (3.88); 2020 service .8.
2020 on tiny v2 (gov kept; env dropped; eco new with indicator budget, pillar economy):
- dinkes: gov 1, eco 1, overall 1 (5.00). bappeda: service .6, policy 1, gov .8, eco 0, .4.
- Cycle: .7 (3.50), gov .9 (4.50), eco .5 (2.50); change .0625 -> 0.3125 -> 0.31.
"""

from __future__ import annotations

import copy
import io
from typing import Any

from openpyxl import load_workbook

from tests.integration.test_evaluation_support import (
    REGION,
    TINY,
    make_api,
    open_cycle,
    publish_framework,
    run_to_final,
    sub_path,
)


def _v2() -> dict[str, Any]:
    document = copy.deepcopy(TINY)
    document["dimensions"][1] = {
        "key": "eco",
        "name": "Economy",
        "indicators": [
            {
                "key": "budget",
                "name": "Budget",
                "tags": {"pillar": "economy"},
                "questions": [{"key": "q5", "type": "boolean", "text": "Budget?"}],
            }
        ],
    }
    return document


def _two_versions(admin):  # type: ignore[no-untyped-def]
    publish_framework(admin)
    c2019 = open_cycle(admin, 2019)
    run_to_final(
        admin, c2019, "dinkes", {"q1": 4, "q2": True, "q3": 50, "q4": "t"}, {"q1": 3}, {"q4": 0.6}
    )
    run_to_final(
        admin, c2019, "bappeda", {"q1": 2, "q2": False, "q3": 100, "q4": "t"}, None, {"q4": 1}
    )
    admin.post(f"/cycles/{c2019}/publish").ok()
    admin.post(f"/cycles/{c2019}/phase", {"phase": "closed"}).ok()  # cached from now on
    admin.catalogue().put("/frameworks/tiny", _v2()).ok()
    admin.catalogue().post("/frameworks/tiny/versions/2/publish").ok()
    c2020 = open_cycle(admin, 2020)
    return c2019, c2020


def test_scorecards_compare_each_dimension_and_tag_with_last_year(make_settings) -> None:  # type: ignore[no-untyped-def]
    admin, _ = make_api(make_settings("evaluation"))
    c2019, c2020 = _two_versions(admin)
    first = admin.get(f"/cycles/{c2019}/scorecard").ok()
    assert first["comparison"] is None and first["delta"] is None
    assert first["tags"] == {"pillar": {"governance": 2.5, "environment": 3.88}}

    # before anything is final this year: no current scores, the structure still compares
    empty = admin.get(f"/cycles/{c2020}/scorecard").ok()["comparison"]
    assert empty["dimensions"]["env"] == {
        "current": None,
        "previous": 3.88,
        "delta": None,
        "status": "dropped",
    }

    run_to_final(admin, c2020, "dinkes", {"q1": 5, "q2": True, "q5": True})
    run_to_final(admin, c2020, "bappeda", {"q1": 3, "q2": True, "q5": False})
    viewer = admin.as_("viewer")
    assert viewer.get(f"/cycles/{c2020}/scorecard").status == 404  # not yet published
    admin.post(f"/cycles/{c2020}/publish").ok()
    for _ in range(2):  # the second read comes from the published-cycle cache of 2019
        card = viewer.get(f"/cycles/{c2020}/scorecard").ok()
        assert (card["overall"], card["delta"]) == (3.5, 0.31)
        comparison = card["comparison"]
        assert comparison["previous"] == {"cycle_id": c2019, "year": 2019, "framework_version": 1}
        assert comparison["overall"] == {"current": 3.5, "previous": 3.19, "delta": 0.31}
        assert comparison["dimensions"] == {
            "gov": {"current": 4.5, "previous": 2.5, "delta": 2.0, "status": "kept"},
            "eco": {"current": 2.5, "previous": None, "delta": None, "status": "new"},
            "env": {"current": None, "previous": 3.88, "delta": None, "status": "dropped"},
        }
        assert comparison["tags"]["pillar"] == {
            "governance": {"current": 4.5, "previous": 2.5, "delta": 2.0, "status": "kept"},
            "economy": {"current": 2.5, "previous": None, "delta": None, "status": "new"},
            "environment": {"current": None, "previous": 3.88, "delta": None, "status": "dropped"},
        }

    unit = viewer.get(sub_path(c2020, "dinkes", "/scorecard")).ok()["comparison"]
    # the change is of the shown scores: 5.00 - 3.38 (exactly 5 - 3.375 = 1.625 -> 1.63)
    assert unit["overall"] == {"current": 5.0, "previous": 3.38, "delta": 1.62}
    assert unit["dimensions"]["gov"] == {
        "current": 5.0,
        "previous": 4.0,
        "delta": 1.0,
        "status": "kept",
    }
    assert unit["dimensions"]["env"]["status"] == "dropped"
    assert unit["tags"]["pillar"]["environment"]["previous"] == 2.75
    assert viewer.get(sub_path(c2019, "dinkes", "/scorecard")).ok()["comparison"] is None


def test_the_trend_workbook_keeps_every_version_s_keys(make_settings) -> None:  # type: ignore[no-untyped-def]
    admin, _ = make_api(make_settings("evaluation"))
    _, c2020 = _two_versions(admin)
    run_to_final(admin, c2020, "dinkes", {"q1": 5, "q2": True, "q5": True})
    run_to_final(admin, c2020, "bappeda", {"q1": 3, "q2": True, "q5": False})
    admin.post(f"/cycles/{c2020}/publish").ok()

    response = admin.as_("viewer").get(f"/regions/{REGION}/trend.xlsx?framework=tiny")
    assert response.status == 200 and response.raw.mimetype.endswith(".sheet")
    assert "attachment" in response.raw.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.raw.data))
    assert book.sheetnames == ["Summary", "Indicators"]
    summary = {row[0]: row for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["Key"][3:] == (2019, 2020)
    assert summary["overall"][3:] == (3.19, 3.5)
    assert summary["framework_version"][3:] == (1, 2)
    assert summary["gov"] == ("gov", "Governance", None, 2.5, 4.5)  # an empty note: no cell
    assert summary["env"] == ("env", "Environment", "dropped 2020", 3.88, None)
    assert summary["eco"] == ("eco", "Economy", "new 2020", None, 2.5)
    indicators = {row[1]: row for row in book["Indicators"].iter_rows(values_only=True)}
    assert indicators["Indicator"] == ("Dimension", "Indicator", "Name", "Status", 2019, 2020)
    assert indicators["service"] == ("gov", "service", "Public service", None, 2.5, 4.0)
    assert indicators["waste"] == ("env", "waste", "Waste", "dropped 2020", 3.88, None)
    assert indicators["budget"] == ("eco", "budget", "Budget", "new 2020", None, 2.5)

    unit_book = load_workbook(
        io.BytesIO(admin.get(f"/regions/{REGION}/trend.xlsx?framework=tiny&unit=dinkes").raw.data)
    )
    unit_rows = {row[0]: row for row in unit_book["Summary"].iter_rows(values_only=True)}
    assert unit_rows["overall"][3:] == (3.38, 5.0)
    odd = admin.get(f"/regions/{REGION}/trend.xlsx?framework=%7C%14")  # a control character
    assert odd.status == 200 and load_workbook(io.BytesIO(odd.raw.data)).sheetnames[0] == "Summary"
    other = admin.as_("viewer", region="kab-pekalongan").get(
        f"/regions/{REGION}/trend.xlsx?framework=tiny"
    )
    assert other.status == 404 and other.body["status"] == 404
