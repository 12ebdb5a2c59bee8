"""Publishing waits for the OPDs still inside their deadline, unless each is excused."""

from __future__ import annotations

from evaluation import bootstrap
from smartcity_shared.worker import WorkerSpec
from tests.integration.test_evaluation_support import (
    make_api,
    open_cycle,
    publish_framework,
    run_to_final,
)
from tests.support.kafka import events_of, read_all

DINKES = {"q1": 4, "q2": True, "q3": 50, "q4": "t"}


def test_publishing_needs_the_deadline_passed_or_an_excuse_per_missing_opd(
    make_settings, start_worker
) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings("evaluation")
    admin, ctx = make_api(settings)
    publish_framework(admin)
    cycle = open_cycle(admin, 2020, submission_deadline="2999-12-31")
    run_to_final(admin, cycle, "dinkes", DINKES)  # bappeda has not submitted

    blocked = admin.post(f"/cycles/{cycle}/publish")
    assert blocked.status == 409 and blocked.raw.mimetype == "application/problem+json"
    assert list(blocked.body["errors"]) == ["excused.bappeda"]
    assert "bappeda" in blocked.body["detail"]
    assert admin.get(f"/cycles/{cycle}").ok()["published"] is False

    wrong = admin.post(f"/cycles/{cycle}/publish", {"excused": [{"unit": "dinkes", "reason": "x"}]})
    assert wrong.status == 422 and "excused.dinkes" in wrong.body["errors"]
    no_reason = admin.post(f"/cycles/{cycle}/publish", {"excused": [{"unit": "bappeda"}]})
    assert no_reason.status == 422

    why = "Bappeda dilebur ke Bapperida; tidak dinilai tahun ini"
    done = admin.post(f"/cycles/{cycle}/publish", {"excused": [{"unit": "bappeda", "reason": why}]})
    published = done.ok()
    assert published["published"] is True
    assert published["excused"] == [{"unit": "bappeda", "reason": why}]
    assert published["history"][-1]["change"] == "excused"
    assert (published["history"][-1]["to"], published["history"][-1]["why"]) == ("bappeda", why)

    start_worker(settings, ctx.db, WorkerSpec("evaluation", [], {}, bootstrap.AGGREGATES))
    events = events_of(read_all(settings, "smartcity.evaluation", expect=1))
    assert [e["subject"] for e in events if e["type"] == "smartcity.scorecard.published"] == [cycle]


def test_after_the_deadline_the_missing_opds_take_no_part(make_settings) -> None:  # type: ignore[no-untyped-def]
    admin, _ = make_api(make_settings("evaluation"))
    publish_framework(admin)
    cycle = open_cycle(admin, 2020, submission_deadline="2999-12-31")
    run_to_final(admin, cycle, "dinkes", DINKES)
    assert admin.post(f"/cycles/{cycle}/publish").status == 409

    moved = {"submission_deadline": "2020-08-31", "reason": "Batas pengisian telah lewat"}
    admin.put(f"/cycles/{cycle}/deadline", moved).ok()
    published = admin.post(f"/cycles/{cycle}/publish").ok()
    assert published["published"] is True and published["excused"] == []
