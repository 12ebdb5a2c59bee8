"""Cycles over HTTP: open with participants, deadline extensions and phases (with their
events), carry forward of last year's verified answers."""

from __future__ import annotations

from evaluation import bootstrap
from smartcity_shared.worker import WorkerSpec
from tests.integration.test_evaluation_support import (
    REGION,
    make_api,
    open_cycle,
    publish_framework,
    run_to_final,
    sub_path,
)
from tests.support.kafka import events_of, read_all


def test_deadline_extension_and_phases_are_announced(make_settings, start_worker) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings("evaluation")
    admin, ctx = make_api(settings)
    publish_framework(admin)
    bad = admin.post(
        f"/regions/{REGION}/cycles",
        {"year": 2020, "framework_key": "tiny", "participants": ["dinkes", "ghost", "dinkes"]},
    )
    assert bad.status == 422 and set(bad.body["errors"]) == {"participants.1", "participants.2"}
    unpublished = admin.post(
        f"/regions/{REGION}/cycles",
        {"year": 2020, "framework_key": "nope", "participants": ["dinkes"]},
    )
    assert unpublished.status == 422 and "framework_key" in unpublished.body["errors"]

    cycle = open_cycle(
        admin,
        2020,
        participants=["dinkes", REGION],
        submission_deadline="2999-07-31",
        phases=[
            {"phase": "self_assessment", "starts_on": "2999-06-01", "ends_on": "2999-07-31"},
            {"phase": "field_review", "starts_on": "2999-08-01", "ends_on": "2999-08-31"},
        ],
    )
    assert (
        admin.post(
            f"/regions/{REGION}/cycles",
            {"year": 2020, "framework_key": "tiny", "participants": ["dinkes"]},
        ).status
        == 409
    )
    doc = admin.get(f"/cycles/{cycle}")
    assert [p["unit"] for p in doc.ok()["participants"]] == [f"{REGION}:dinkes", REGION]
    moved = admin.put(
        f"/cycles/{cycle}/deadline",
        {"submission_deadline": "2999-08-14T12:00:00+07:00", "reason": "extension"},
        if_match=doc.etag,
    ).ok()
    assert moved["submission_deadline"] == "2999-08-14T05:00:00Z"
    stale = admin.put(f"/cycles/{cycle}/deadline", {"submission_deadline": "2999-09-01"}, doc.etag)
    assert stale.status == 412
    admin.post(f"/cycles/{cycle}/phase", {"phase": "document_review"}).ok()
    assert admin.post(f"/cycles/{cycle}/phase", {"phase": "document_review"}).status == 409
    assert (
        admin.as_("opd", unit="dinkes").post(f"/cycles/{cycle}/phase", {"phase": "closed"}).status
        == 403
    )
    admin.post(f"/cycles/{cycle}/phase", {"phase": "closed", "reason": "done"}).ok()
    # the regency itself is a participant that its admin fills in; a closed cycle is locked
    assert admin.patch(sub_path(cycle, REGION), {"answers": {"q1": 1}}).status == 409
    history = admin.get(f"/cycles/{cycle}").ok()["history"]
    assert [(h["change"], h["to"]) for h in history] == [
        ("deadline", "2999-08-14T05:00:00Z"),
        ("phase", "document_review"),
        ("phase", "closed"),
    ]

    start_worker(settings, ctx.db, WorkerSpec("evaluation", [], {}, bootstrap.AGGREGATES))
    records = read_all(settings, "smartcity.evaluation", expect=5)
    assert {r.key for r in records} == {cycle.encode()}
    events = events_of(records)
    assert [e["type"].rsplit(".", 1)[1] for e in events] == [
        "opened",
        "deadline_set",
        "deadline_set",
        "phase_changed",
        "phase_changed",
    ]
    extension = events[2]["data"]
    assert extension["previous_deadline"] == "2999-07-31T16:59:59Z"
    assert extension["submission_deadline"] == "2999-08-14T05:00:00Z"
    assert extension["timezone"] == "Asia/Jakarta" and extension["name"] == "Tiny 2020"
    assert extension["participants"][1] == {
        "unit": REGION,
        "unit_code": REGION,
        "unit_name": "Kabupaten Batang",
    }
    assert events[4]["data"]["previous_phase"] == "document_review"


def test_carry_forward_prefills_drafts_with_last_years_verified_answers(make_settings) -> None:  # type: ignore[no-untyped-def]
    admin, _ = make_api(make_settings("evaluation"))
    publish_framework(admin)
    c2019 = open_cycle(admin, 2019)
    run_to_final(admin, c2019, "dinkes", {"q1": 4, "q2": True, "q3": 50, "q4": "t"}, {"q1": 3})
    c2020 = open_cycle(admin, 2020, carry_forward_from=c2019)
    dinkes = admin.as_("opd", unit="dinkes")
    draft = dinkes.get(sub_path(c2020, "dinkes")).ok()
    assert draft["state"] == "draft"
    assert draft["answers"] == {"q1": 3, "q2": True, "q3": 50, "q4": "t"}
    assert draft["evidence"] == {"q1": ["https://dok.example/q1.pdf"]}
    assert dinkes.get(sub_path(c2020, "bappeda")).status == 404
    assert admin.get(sub_path(c2020, "bappeda")).ok()["answers"] == {}
    again = admin.post(f"/cycles/{c2020}/carry-forward", {"from_cycle": c2020})
    assert again.status == 422
