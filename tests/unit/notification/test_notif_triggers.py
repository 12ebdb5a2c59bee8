"""Which events plan reminders and which cancel them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from notification.domain.reminders import SubjectKind, plan_reminders
from notification.domain.triggers import (
    CancelScope,
    cancel_scopes,
    parse_deadline,
    plan_requests,
    to_cancel,
)

REGION = "kab-batang"
DINKES, BAPPEDA = "kab-batang:dinkes", "kab-batang:bappeda"
EARLY = datetime(2020, 6, 1, tzinfo=UTC)


def event(type_: str, **data: object) -> dict[str, object]:
    return {"id": "e1", "type": type_, "region": REGION, "data": data}


def pending_submission_reminders():
    return plan_reminders(
        SubjectKind.SUBMISSION, "cycle-2020", REGION, [DINKES, BAPPEDA], date(2020, 7, 7), EARLY
    )


def test_submitting_cancels_only_that_participants_reminders():
    pending = pending_submission_reminders()
    submitted = event("smartcity.submission.submitted", cycle_id="cycle-2020", unit=DINKES)

    cancelled = to_cancel(pending, cancel_scopes(submitted))

    assert len(cancelled) == 4
    assert {r.unit for r in cancelled} == {DINKES}


def test_resubmitting_after_a_return_also_cancels():
    resubmitted = event("smartcity.submission.resubmitted", cycle_id="cycle-2020", unit=DINKES)

    assert cancel_scopes(resubmitted) == [CancelScope(SubjectKind.SUBMISSION, "cycle-2020", DINKES)]


def test_closing_a_cycle_cancels_every_participant():
    pending = pending_submission_reminders()
    closed = event("smartcity.cycle.phase_changed", cycle_id="cycle-2020", phase="closed")
    reviewing = event(
        "smartcity.cycle.phase_changed", cycle_id="cycle-2020", phase="document_review"
    )

    assert to_cancel(pending, cancel_scopes(closed)) == pending
    assert cancel_scopes(reviewing) == []


def test_a_recommendation_done_or_dropped_cancels_and_in_progress_does_not():
    def scopes(status: str) -> list[CancelScope]:
        changed = event(
            "smartcity.recommendation.status_changed", recommendation_id="rec-1", status=status
        )
        return cancel_scopes(changed)

    assert scopes("done") == [CancelScope(SubjectKind.RECOMMENDATION, "rec-1")]
    assert scopes("dropped") == [CancelScope(SubjectKind.RECOMMENDATION, "rec-1")]
    assert scopes("in_progress") == []


def test_quota_met_cancels_for_that_unit_and_milestone_done_for_the_milestone():
    met = event("smartcity.quota.met", policy_id="kab-batang:2020", unit=DINKES)
    done = event("smartcity.milestone.completed", milestone_id="ms-3")

    assert cancel_scopes(met) == [CancelScope(SubjectKind.QUOTA, "kab-batang:2020", DINKES)]
    assert cancel_scopes(done) == [CancelScope(SubjectKind.MILESTONE, "ms-3")]


def test_unrelated_or_incomplete_events_cancel_nothing():
    assert cancel_scopes(event("smartcity.submission.returned", cycle_id="c", unit=DINKES)) == []
    assert cancel_scopes(event("smartcity.submission.submitted", cycle_id="c")) == []


def test_a_cycle_deadline_plans_for_each_participant():
    deadline_set = event(
        "smartcity.cycle.deadline_set",
        cycle_id="cycle-2020",
        submission_deadline="2020-07-07",
        participants=[DINKES, {"unit": BAPPEDA, "unit_name": "Bappeda"}, DINKES],
        name="Evaluasi Smart City 2020",
        year=2020,
    )

    [request] = plan_requests(deadline_set)

    assert request.kind is SubjectKind.SUBMISSION
    assert request.subject_id == "cycle-2020"
    assert request.units == (DINKES, BAPPEDA)
    assert request.deadline == date(2020, 7, 7)
    assert request.details["title"] == "Evaluasi Smart City 2020"
    assert request.complete and request.unit_names == {BAPPEDA: "Bappeda"}


def test_a_single_unit_deadline_reconciles_only_that_unit():
    issued = event(
        "smartcity.recommendation.issued",
        recommendation_id="rec-1",
        unit=DINKES,
        unit_name="Dinas Kesehatan",
        due_date="2020-09-30",
        title="t",
    )

    [request] = plan_requests(issued)

    assert not request.complete and request.unit_names == {DINKES: "Dinas Kesehatan"}


def test_a_new_quota_deadline_moves_the_reminders_already_planned():
    policy = event("smartcity.quota.policy_set", policy_id="kab-batang:2020", deadline="2020-12-15")

    [request] = plan_requests(policy)

    assert request.kind is SubjectKind.QUOTA and request.reuse_units and request.units == ()
    assert request.deadline == date(2020, 12, 15)


def test_an_event_without_a_deadline_plans_nothing():
    issued = event("smartcity.recommendation.issued", recommendation_id="r", unit=DINKES)

    assert plan_requests(issued) == []


def test_deadlines_parse_as_dates_or_datetimes():
    assert parse_deadline("2020-07-28") == date(2020, 7, 28)
    assert parse_deadline("2020-07-28T23:59:00+07:00") == datetime.fromisoformat(
        "2020-07-28T23:59:00+07:00"
    )
    assert parse_deadline("28 July") is None
    assert parse_deadline(None) is None
