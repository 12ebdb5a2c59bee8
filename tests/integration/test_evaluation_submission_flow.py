"""The submission lifecycle over HTTP against the real store, with its events on Kafka."""

from __future__ import annotations

import copy

from evaluation import bootstrap
from smartcity_shared.worker import WorkerSpec
from tests.integration.test_evaluation_support import (
    REGION,
    TINY,
    make_api,
    open_cycle,
    publish_framework,
    sub_path,
)
from tests.support.kafka import events_of, read_all

ANSWERS = {"q1": 4, "q2": True, "q3": 50, "q4": "We sort waste in 12 villages."}


def test_return_for_revision_then_resubmit_verify_finalize_with_events(
    make_settings, start_worker
) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings("evaluation")
    admin, ctx = make_api(settings)
    publish_framework(admin)
    cycle = open_cycle(admin, 2020, submission_deadline="2999-12-31")
    opd = admin.as_("opd", unit="dinkes")
    assessor = admin.as_("assessor", region="*")
    path = sub_path(cycle, "dinkes")

    draft = opd.get(path)
    assert draft.ok()["state"] == "draft" and draft.body["allowed_actions"] == ["save", "submit"]
    saved = opd.patch(path, {"answers": {"q1": 4}}, if_match=draft.etag).ok()
    assert saved["answers"] == {"q1": 4}

    missing = opd.post(sub_path(cycle, "dinkes", "/submit"))
    assert missing.status == 422
    assert missing.raw.mimetype == "application/problem+json"
    assert missing.body["errors"] == {
        "evidence.q1": ["evidence required for level 3 and above"],
        "answers.q2": ["required"],
        "answers.q3": ["required"],
    }

    opd.patch(path, {"answers": ANSWERS, "evidence": {"q1": ["https://dok.example/sop.pdf"]}}).ok()
    submitted = opd.post(sub_path(cycle, "dinkes", "/submit"), {"reason": "done"}).ok()
    assert submitted["state"] == "submitted" and submitted["late"] is False
    assert opd.patch(path, {"answers": {"q1": 5}}).status == 409  # locked while in review

    assessor.post(sub_path(cycle, "dinkes", "/start-review")).ok()
    comments = {"q1": "The SOP is not signed.", "q3": "Attach the weighing records."}
    returned = assessor.post(
        sub_path(cycle, "dinkes", "/return"),
        {"reason": "Evidence incomplete", "comments": comments},
    ).ok()
    assert returned["state"] == "returned"

    seen = opd.get(path).ok()
    assert seen["comments"] == comments and seen["return_reason"] == "Evidence incomplete"
    opd.patch(path, {"answers": {"q3": 50}}).ok()  # re-checked against the records
    again = opd.post(sub_path(cycle, "dinkes", "/submit")).ok()
    assert again["state"] == "submitted" and again["submission_count"] == 2

    assessor.post(sub_path(cycle, "dinkes", "/start-review")).ok()
    review = {
        "verified": {"q1": 3},
        "notes": {"q1": "Field review: level 3 only"},
        "assessor_scores": {"q4": 0.6},
    }
    assessor.patch(sub_path(cycle, "dinkes", "/review"), review).ok()
    assessor.post(sub_path(cycle, "dinkes", "/verify")).ok()
    final = assessor.post(sub_path(cycle, "dinkes", "/finalize")).ok()
    assert final["state"] == "final" and final["result"]["band"] == "Baik"
    assert assessor.post(sub_path(cycle, "dinkes", "/return"), {"reason": "x"}).status == 409

    audit = opd.get(sub_path(cycle, "dinkes", "/audit")).ok()
    assert [(a["from"], a["to"]) for a in audit] == [
        ("draft", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "returned"),
        ("returned", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "verified"),
        ("verified", "final"),
    ]
    assert audit[0]["who"] == "opd dinkes" and audit[0]["why"] == "done"
    assert all(a["when"] for a in audit)

    start_worker(settings, ctx.db, WorkerSpec("evaluation", [], {}, bootstrap.AGGREGATES))
    records = read_all(settings, "smartcity.evaluation", expect=7)
    events = events_of(records)
    types = [e["type"] for e in events]
    assert types.count("smartcity.submission.submitted") == 2
    assert {"smartcity.cycle.opened", "smartcity.cycle.deadline_set"} <= set(types)
    sub_id = f"{cycle}:dinkes"
    by_key = [e for r, e in zip(records, events, strict=True) if r.key == sub_id.encode()]
    assert [e["type"].rsplit(".", 1)[1] for e in by_key] == [
        "submitted",
        "returned",
        "submitted",
        "verified",
        "finalized",
    ]
    returned_event = by_key[1]["data"]
    assert returned_event["comments"] == 2 and returned_event["unit"] == f"{REGION}:dinkes"
    assert returned_event["reason"] == "Evidence incomplete"
    assert by_key[2]["data"]["resubmission"] is True
    assert by_key[4]["data"]["overall"] == 3.38 and by_key[4]["data"]["band"] == "Baik"
    opened = next(e for e in events if e["type"] == "smartcity.cycle.opened")
    assert opened["subject"] == cycle and opened["data"]["participants"][0]["unit_name"]


def test_illegal_transition_is_409_and_stale_edit_is_412(make_settings) -> None:  # type: ignore[no-untyped-def]
    admin, ctx = make_api(make_settings("evaluation"))
    publish_framework(admin)
    cycle = open_cycle(admin, 2020)
    opd = admin.as_("opd", unit="bappeda")
    assessor = admin.as_("assessor")
    path = sub_path(cycle, "bappeda")

    first = opd.get(path)
    opd.patch(path, {"answers": {"q2": True}}, if_match=first.etag).ok()
    stale = opd.patch(path, {"answers": {"q2": False}}, if_match=first.etag)
    assert stale.status == 412 and stale.raw.mimetype == "application/problem+json"
    assert ctx.db["submissions"].find_one({"_id": f"{cycle}:bappeda"})["answers"]["q2"] is True

    bad = opd.patch(path, {"answers": {"q1": 9, "nope": 1}})
    assert bad.status == 422 and set(bad.body["errors"]) == {"answers.q1", "answers.nope"}
    unsafe = opd.patch(path, {"answers": {"$where": 1}})
    assert unsafe.status == 422 and set(unsafe.body["errors"]) == {"answers"}

    # an assessor cannot review a draft (it does not see it) nor finalize a submitted one
    assert assessor.post(sub_path(cycle, "bappeda", "/start-review")).status == 404
    opd.patch(path, {"answers": {"q1": 2, "q3": 10}}).ok()
    opd.post(sub_path(cycle, "bappeda", "/submit")).ok()
    illegal = assessor.post(sub_path(cycle, "bappeda", "/finalize"))
    assert illegal.status == 409 and "submitted" in illegal.body["detail"]
    assert opd.post(sub_path(cycle, "bappeda", "/verify")).status == 403


def test_a_submission_after_the_deadline_is_marked_late_not_lost(make_settings) -> None:  # type: ignore[no-untyped-def]
    admin, _ = make_api(make_settings("evaluation"))
    publish_framework(admin)
    cycle = open_cycle(admin, 2019, submission_deadline="2019-07-31")
    opd = admin.as_("opd", unit="dinkes")
    opd.patch(sub_path(cycle, "dinkes"), {"answers": {"q1": 2, "q2": False, "q3": 5}}).ok()
    submitted = opd.post(sub_path(cycle, "dinkes", "/submit")).ok()
    assert submitted["state"] == "submitted" and submitted["late"] is True
    deadline = admin.get(f"/cycles/{cycle}").ok()["submission_deadline"]
    assert deadline == "2019-07-31T16:59:59Z"  # end of day in Asia/Jakarta


def test_a_submission_names_the_questions_its_answers_hide(make_settings) -> None:  # type: ignore[no-untyped-def]
    admin, _ = make_api(make_settings("evaluation"))
    follow_up = {"key": "q2-link", "type": "file", "text": "Decree link",
                 "visible_if": {"question": "q2", "op": "eq", "value": True}}  # fmt: skip
    document = copy.deepcopy(TINY)
    document["dimensions"][0]["indicators"][1]["questions"].append(follow_up)
    publish_framework(admin, document)
    cycle = open_cycle(admin, 2020)
    opd = admin.as_("opd", unit="bappeda")
    path = sub_path(cycle, "bappeda")
    assert opd.get(path).ok()["hidden_questions"] == ["q2-link"]
    opd.patch(path, {"answers": {"q2": True}}).ok()
    assert opd.get(path).ok()["hidden_questions"] == []
    opd.patch(path, {"answers": {"q2": False}}).ok()
    assert opd.get(path).ok()["hidden_questions"] == ["q2-link"]
