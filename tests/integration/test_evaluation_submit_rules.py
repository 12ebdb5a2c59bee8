"""Submitting: one 422 names every missing item, evidence of an unanswered question included."""

from __future__ import annotations

import copy

from tests.integration.test_evaluation_support import (
    TINY,
    make_api,
    open_cycle,
    publish_framework,
    sub_path,
)


def test_one_422_lists_the_required_evidence_of_an_unanswered_question(make_settings) -> None:  # type: ignore[no-untyped-def]
    admin, _ = make_api(make_settings("evaluation"))
    document = copy.deepcopy(TINY)
    decree = document["dimensions"][0]["indicators"][1]["questions"][0]
    decree["evidence"] = {"required": True}  # the decree itself, whatever the answer
    publish_framework(admin, document)
    cycle = open_cycle(admin, 2020, submission_deadline="2999-12-31")
    opd = admin.as_("opd", unit="dinkes")
    opd.patch(sub_path(cycle, "dinkes"), {"answers": {"q1": 1}}).ok()

    missing = opd.post(sub_path(cycle, "dinkes", "/submit"))
    assert missing.status == 422 and missing.raw.mimetype == "application/problem+json"
    assert missing.body["errors"] == {
        "answers.q2": ["required"],
        "evidence.q2": ["evidence required"],
        "answers.q3": ["required"],
    }
    # answering exactly what was listed is enough: no second round of missing items
    body = {"answers": {"q2": False, "q3": 10}, "evidence": {"q2": ["https://dok.example/sk"]}}
    opd.patch(sub_path(cycle, "dinkes"), body).ok()
    assert opd.post(sub_path(cycle, "dinkes", "/submit")).ok()["state"] == "submitted"
