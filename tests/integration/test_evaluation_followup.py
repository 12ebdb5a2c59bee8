"""Recommendations (generated and written, follow-up by the OPD, overdue list) and the risk
register (OPD writes its own, re-assessment history, heatmap), with their events on Kafka."""

from __future__ import annotations

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


def test_recommendations_from_weak_indicators_followed_up_by_the_opd(
    make_settings, start_worker
) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings("evaluation")
    admin, ctx = make_api(settings)
    publish_framework(admin)
    cycle = open_cycle(admin, 2019)
    # final: service .6 (3.0), policy 1 (5.0), waste (.5 + .6)/2 = .55 (2.75)
    run_to_final(
        admin, cycle, "dinkes", {"q1": 4, "q2": True, "q3": 50, "q4": "t"}, {"q1": 3}, {"q4": 0.6}
    )
    assessor = admin.as_("assessor", region="*")
    dinkes = admin.as_("opd", unit="dinkes")
    # finalizing generated them already, below 60 % of the framework's scale (3.0 of 5)
    auto = dinkes.get(f"/regions/{REGION}/recommendations").ok()
    assert [(r["indicator_key"], r["priority"], r["source"]) for r in auto] == [
        ("waste", "low", "generated")  # gap (3.0 - 2.75) / 5 = .05
    ]
    waste = auto[0]["id"]
    # the manual call re-runs with other options: only what is new is created
    generated = assessor.post(
        sub_path(cycle, "dinkes", "/recommendations"), {"threshold": 3.5, "due_in_days": 0}
    ).ok(201)
    created = generated["created"]
    assert [(r["indicator_key"], r["priority"]) for r in created] == [("service", "low")]
    assert generated["existing"] == [waste]
    assert created[0]["text"] == "Publish service standards online."
    again = assessor.post(sub_path(cycle, "dinkes", "/recommendations"), {"threshold": 3.5})
    assert again.ok(201)["created"] == [] and len(again.body["existing"]) == 2
    assert assessor.post(sub_path(cycle, "bappeda", "/recommendations"), {}).status == 409

    written = assessor.post(
        f"/regions/{REGION}/recommendations",
        {
            "recommendation_id": "rec-bappeda-data",
            "unit": "bappeda",
            "title": "Open the planning data",
            "priority": "high",
            "due_date": "2020-01-31",
        },
    ).ok(201)
    assert written["status"] == "open" and written["unit_name"] == "Bappeda"

    assert [r["unit"] for r in dinkes.get(f"/regions/{REGION}/recommendations").ok()] == [
        "dinkes"
    ] * 2
    assert dinkes.get(f"/regions/{REGION}/recommendations/rec-bappeda-data").status == 404
    base = f"/regions/{REGION}/recommendations/{waste}"
    progress = dinkes.post(
        f"{base}/status",
        {
            "status": "in_progress",
            "note": "Scales ordered",
            "evidence": ["https://dok.example/po.pdf"],
        },
    ).ok()
    assert progress["status"] == "in_progress" and progress["notes"][0]["evidence"]
    assert dinkes.post(f"{base}/status", {"status": "dropped"}).status == 403
    assert dinkes.post(f"{base}/notes", {"text": "Weighing started"}).ok(201)["notes"][1]["text"]
    moved = assessor.patch(base, {"due_date": "2030-12-31"}).ok()
    assert moved["due_date"] == "2030-12-31"
    done = dinkes.post(f"{base}/status", {"status": "done", "note": "Records attached"}).ok()
    assert done["status"] == "done"
    assert assessor.post(f"{base}/status", {"status": "open"}).status == 409

    overdue = admin.get(f"/regions/{REGION}/recommendations/overdue?on=2099-01-01").ok()
    assert [(r["id"], r["days_overdue"] > 0) for r in overdue] == [
        (f"{REGION}:rec-bappeda-data", True),
        (created[0]["id"], True),
    ]
    assert admin.as_("viewer").get(f"/regions/{REGION}/recommendations").status == 403

    start_worker(settings, ctx.db, WorkerSpec("evaluation", [], {}, bootstrap.AGGREGATES))
    events = events_of(read_all(settings, "smartcity.evaluation", expect=10))
    assert len(events) == 10
    issued = [e for e in events if e["type"] == "smartcity.recommendation.issued"]
    assert {e["subject"] for e in issued} == {
        waste,
        created[0]["id"],
        f"{REGION}:rec-bappeda-data",
    }
    bappeda = next(e for e in issued if e["subject"] == f"{REGION}:rec-bappeda-data")["data"]
    assert (bappeda["unit"], bappeda["due_date"], bappeda["priority"]) == (
        f"{REGION}:bappeda",
        "2020-01-31",
        "high",
    )
    status = [e["data"] for e in events if e["type"] == "smartcity.recommendation.status_changed"]
    assert [(d["previous_status"], d["status"]) for d in status] == [
        ("open", "in_progress"),
        ("in_progress", "done"),
    ]
    due = next(e["data"] for e in events if e["type"] == "smartcity.recommendation.due_changed")
    assert due["previous_due_date"] != due["due_date"] == "2030-12-31"


def test_risk_register_heatmap_history_and_rating_events(make_settings, start_worker) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings("evaluation")
    admin, ctx = make_api(settings)
    dlh = admin.as_("opd", unit="dlh")
    base = f"/regions/{REGION}/risks"
    risk = {
        "risk_id": "risk-waste-bank",
        "unit": "dlh",
        "programme": "Bank Sampah",
        "title": "Villages stop running the waste bank",
        "perspective": "sustainability",
        "likelihood": 3,
        "impact": 3,
        "mitigation": "Village budget line",
        "owner": "Kabid Persampahan",
        "review_date": "2020-06-30",
    }
    raised = dlh.post(base, risk).ok(201)
    assert (raised["score"], raised["rating"]) == (9, "medium")
    assert dlh.post(base, {**risk, "risk_id": "x", "unit": "dinkes"}).status == 403
    assert admin.as_("assessor").post(base, {**risk, "risk_id": "y"}).status == 403
    admin.post(
        base,
        {
            **risk,
            "risk_id": "risk-forum",
            "unit": "dinkes",
            "perspective": "community_engagement",
            "title": "Citizens ignore the health forum",
            "likelihood": 5,
            "impact": 4,
        },
    ).ok(201)
    admin.post(
        base, {**risk, "risk_id": "risk-small", "unit": "bappeda", "likelihood": 1, "impact": 2}
    ).ok(201)
    bad = admin.post(base, {**risk, "risk_id": "z", "likelihood": 6, "perspective": "vibes"})
    assert bad.status == 422 and {"likelihood", "perspective"} <= set(bad.body["errors"])

    same_level = dlh.post(f"{base}/risk-waste-bank/assessments", {"likelihood": 2, "impact": 4}).ok(
        201
    )
    assert same_level["rating"] == "medium"
    worse = dlh.post(
        f"{base}/risk-waste-bank/assessments", {"likelihood": 4, "impact": 4, "note": "two stopped"}
    ).ok(201)
    assert (worse["score"], worse["rating"], len(worse["history"])) == (16, "high", 3)
    assert admin.as_("opd", unit="dinkes").get(f"{base}/risk-waste-bank").status == 404

    heat = admin.get(f"{base}/heatmap").ok()
    assert heat["total"] == 3 and heat["grid"][3][3] == 1 and heat["grid"][4][3] == 1
    assert heat["grid"][0][1] == 1 and sum(map(sum, heat["grid"])) == 3
    assert heat["by_level"] == {"low": 1, "medium": 0, "high": 1, "extreme": 1}
    assert heat["by_perspective"]["sustainability"] == 2
    assert heat["by_perspective"]["community_engagement"] == 1
    grouped = admin.get(f"{base}/by-perspective").ok()
    assert [r["id"] for r in grouped["sustainability"]] == [
        f"{REGION}:risk-waste-bank",
        f"{REGION}:risk-small",
    ]
    assert [r["id"] for r in dlh.get(base).ok()] == [f"{REGION}:risk-waste-bank"]
    first = admin.get(f"{base}?limit=2")  # paged, worst first, the whole count in a header
    assert [r["id"] for r in first.ok()] == [f"{REGION}:risk-forum", f"{REGION}:risk-waste-bank"]
    assert first.raw.headers["X-Total-Count"] == "3"
    assert [r["id"] for r in admin.get(f"{base}?limit=2&offset=2").ok()] == [f"{REGION}:risk-small"]
    assert admin.get(f"{base}?limit=0").status == 422
    assert dlh.get(f"{base}/heatmap").ok()["total"] == 1

    start_worker(settings, ctx.db, WorkerSpec("evaluation", [], {}, bootstrap.AGGREGATES))
    events = events_of(read_all(settings, "smartcity.evaluation", expect=4))
    assert sorted(e["type"] for e in events) == ["smartcity.risk.raised"] * 3 + [
        "smartcity.risk.rating_changed"
    ]
    changed = next(e for e in events if e["type"] == "smartcity.risk.rating_changed")
    assert changed["subject"] == f"{REGION}:risk-waste-bank"
    assert (changed["data"]["previous_rating"], changed["data"]["rating"]) == ("medium", "high")
    assert changed["data"]["unit"] == f"{REGION}:dlh"


def test_finalizing_uses_the_frameworks_own_recommendation_threshold(make_settings) -> None:  # type: ignore[no-untyped-def]
    admin, _ = make_api(make_settings("evaluation"))
    publish_framework(admin, {**TINY, "recommendation_threshold": 4})
    cycle = open_cycle(admin, 2019)
    # final: service .6 (3.0), policy 1 (5.0), waste .55 (2.75): with the framework's 4 of 5
    # service and waste are below it (the default 3.0 would catch waste only)
    run_to_final(
        admin, cycle, "dinkes", {"q1": 4, "q2": True, "q3": 50, "q4": "t"}, {"q1": 3}, {"q4": 0.6}
    )
    issued = admin.as_("opd", unit="dinkes").get(f"/regions/{REGION}/recommendations").ok()
    assert sorted(r["indicator_key"] for r in issued) == ["service", "waste"]
    stored = admin.get("/frameworks/tiny/versions/1").ok()
    assert stored["document"]["recommendation_threshold"] == 4
