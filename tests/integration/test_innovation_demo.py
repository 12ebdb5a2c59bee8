"""The demo loader against the real store (through the API's test client): the Batang data of
docs/DEMO.md, loaded twice without changing anything the second time."""

from __future__ import annotations

from typing import Any

from innovation import demo, demo_data
from tests.integration.test_innovation_support import REGION, Innovation, start

OPDS = {code: code.upper() for code in demo_data.OPDS}


def send_through(svc: Innovation) -> demo.Send:
    def send(method: str, path: str, headers: dict[str, str], body: Any) -> tuple[int, Any]:
        response = svc.client.open(path, method=method, headers=headers, json=body)
        if method != "GET":
            svc.settle()
        return response.status_code, response.get_json()

    return send


def test_the_demo_loads_batang_once_with_compliant_short_and_empty_opds(
    make_settings, start_worker
) -> None:  # type: ignore[no-untyped-def]
    svc = start(make_settings, start_worker, opds=OPDS)
    loader = demo.Demo(send_through(svc), svc.settings.jwt_secret)
    first = loader.run()
    assert first == {"plans": 1, "policies": 2, "innovations": len(demo_data.INNOVATIONS)}
    assert loader.run() == {"plans": 0, "policies": 0, "innovations": 0}
    assert svc.ctx.db["innovations"].count_documents({}) == len(demo_data.INNOVATIONS)

    viewer = svc.as_("viewer")
    rows = {
        r["unit"]: r
        for r in viewer("GET", f"/regions/{REGION}/quota/2020/compliance").get_json()["units"]
    }
    assert len(rows) == 11
    assert {u for u, r in rows.items() if r["shortfall"] == 0} == {
        "dinkes",
        "disparpora",
        "diskominfo",
        "dpmptsp",
    }
    assert rows["dishub"]["registered"] == 0 and rows["dishub"]["shortfall"] == 3
    assert rows["dlh"]["by_stage"]["discontinued"] == 1

    found = viewer("GET", f"/regions/{REGION}/innovations?q=minggon&type=non_digital").get_json()
    assert {i["name"] for i in found["items"]} == {
        "Minggon Jatinan",
        "Minggon Jatinan Edisi Festival",
    }
    jatinan = next(i for i in found["items"] if i["year"] == 2019)
    assert jatinan["verified"] is True and len(jatinan["milestones"]) == 2

    plan = viewer("GET", f"/regions/{REGION}/masterplans/mp-2018-2027").get_json()
    assert plan["version"] == 2
    report = viewer("GET", f"/regions/{REGION}/masterplans/mp-2018-2027/report").get_json()
    assert all(p["programmes"] >= 2 for p in report["pillars"])

    maturity = viewer("GET", f"/regions/{REGION}/maturity?year=2020").get_json()
    scores = {u["unit"]: u for u in maturity["units"]}
    assert scores["dishub"]["score"] == 0 and scores["dishub"]["label"] == "Tidak Dapat Dinilai"
    assert scores["dinkes"]["score"] > 60
    stats = viewer("GET", f"/regions/{REGION}/stats?from=2019&to=2020").get_json()["years"]
    assert [y["year"] for y in stats] == [2019, 2020]
    assert stats[1]["change"] == stats[1]["total"] - stats[0]["total"]
    assert stats[1]["by_type"]["non_digital"] > 0
