"""The demo loader against the real app and store: it loads Kabupaten Batang with 2018/2019
final and published, 2020 open, recommendations and risks; a second run changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from evaluation import bootstrap
from evaluation.app import create_app
from evaluation.demo import Demo
from evaluation.domain import shipped_documents

COLLECTIONS = ("regions", "units", "people", "frameworks", "cycles", "submissions",
               "recommendations", "risks")  # fmt: skip


def _revisions(ctx: bootstrap.Context) -> dict[str, dict[str, int]]:
    return {
        name: {d["_id"]: d["_rev"] for d in ctx.db[name].find({}, {"_rev": 1})}
        for name in COLLECTIONS
    }


@pytest.mark.slow  # ~850 store operations: 10 s on a quiet store
def test_the_demo_loads_batang_and_a_second_run_changes_nothing(make_settings) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings("evaluation")
    ctx = bootstrap.build(settings)
    client = create_app(settings, ctx).test_client()

    def send(method: str, path: str, headers: dict[str, str], body: Any) -> tuple[int, Any]:
        response = client.open(path, method=method, headers=headers, json=body)
        return response.status_code, response.get_json(silent=True)

    Demo(send, settings.jwt_secret).run()
    first = _revisions(ctx)
    Demo(send, settings.jwt_secret).run()
    assert _revisions(ctx) == first

    db = ctx.db
    assert db["units"].count_documents({"region": "kab-batang"}) == 11
    assert db["people"].count_documents({"role": "assessor"}) == 2
    cycles = {c["year"]: c for c in db["cycles"].find()}
    assert cycles[2018]["published"] and cycles[2019]["published"]
    assert cycles[2018]["phase"] == cycles[2019]["phase"] == "closed"
    assert (cycles[2018]["framework_version"], cycles[2019]["framework_version"]) == (1, 2)
    assert not cycles[2020]["published"] and cycles[2020]["phase"] == "self_assessment"
    assert cycles[2020]["submission_deadline"] > "2026"
    assert cycles[2019]["result"]["delta"] not in (None, 0)
    finals = db["submissions"].count_documents({"state": "final"})
    assert finals == 6 + 8
    assert db["submissions"].count_documents({"state": "final", "late": True}) == 0
    returned = db["submissions"].find_one({"_id": "kab-batang:2019:smart-city-6-pillars:dinkes"})
    assert returned["submission_count"] == 2 and returned["returns"]
    assert (
        db["submissions"].count_documents({"cycle_id": cycles[2020]["_id"], "state": "submitted"})
        == 2
    )
    perspectives = set(db["risks"].distinct("perspective"))
    assert {"community_engagement", "sustainability"} <= perspectives
    statuses = set(db["recommendations"].distinct("status"))
    assert {"open", "in_progress", "done"} <= statuses
    assert db["recommendations"].count_documents({"source": "generated"}) >= 8


def test_the_shipped_frameworks_load_by_command_once(make_settings) -> None:  # type: ignore[no-untyped-def]
    from evaluation import frameworks_cli

    ctx = bootstrap.build(make_settings("evaluation"))
    first = frameworks_cli.load(ctx)
    assert sorted(line for line in first if "published" in line) == [
        f"{key}: published version 1" for key in sorted(shipped_documents())
    ]
    assert len(shipped_documents()) == 7
    assert all(line.endswith("present") for line in frameworks_cli.load(ctx))
    assert ctx.db["frameworks"].count_documents({"status": "published"}) == 7


def test_the_openapi_document_lists_the_evaluation_endpoints(make_settings) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings("evaluation")
    client = create_app(settings, bootstrap.build(settings)).test_client()
    spec = client.get("/openapi.json").get_json()
    paths = spec["paths"]
    for path in (
        "/frameworks",
        "/regions/{region}/cycles",
        "/cycles/{cycle_id}/submissions/{unit}/submit",
        "/cycles/{cycle_id}/scorecard",
        "/regions/{region}/recommendations/overdue",
        "/regions/{region}/risks/heatmap",
    ):
        assert path in paths, path
