"""Milestones: derived status, due-soon / overdue detection, edits."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innovation.domain.milestones import (
    AlertKind,
    Milestone,
    add_milestone,
    complete_milestone,
    is_due_soon,
    is_overdue,
    milestone_alerts,
    milestone_status,
    milestone_summary,
    parse_milestone,
    update_milestone,
)
from innovation.domain.vocab import MilestoneStatus, Stage
from smartcity_shared.errors import Conflict, NotFound, ValidationProblem
from tests.unit.innovation.inno_factories import TODAY, make_innovation, milestone

PLANNED = date(2020, 6, 15)


@pytest.mark.parametrize(
    ("actual", "today", "status"),
    [
        (None, PLANNED, MilestoneStatus.PLANNED),
        (None, PLANNED + timedelta(1), MilestoneStatus.LATE),
        (PLANNED, PLANNED + timedelta(30), MilestoneStatus.DONE),
        (PLANNED - timedelta(3), PLANNED, MilestoneStatus.DONE),
        (PLANNED + timedelta(1), PLANNED + timedelta(30), MilestoneStatus.LATE),
    ],
)
def test_status_is_derived_from_the_dates(
    actual: date | None, today: date, status: MilestoneStatus
) -> None:
    assert milestone_status(milestone("m", PLANNED, actual), today) is status


def test_overdue_starts_the_day_after_the_planned_date() -> None:
    open_one = milestone("m", PLANNED)
    assert not is_overdue(open_one, PLANNED)
    assert is_overdue(open_one, PLANNED + timedelta(1))
    assert not is_overdue(milestone("m", PLANNED, PLANNED), PLANNED + timedelta(9))


def test_due_soon_includes_today_and_the_window_end() -> None:
    open_one = milestone("m", PLANNED)
    assert is_due_soon(open_one, PLANNED)
    assert is_due_soon(open_one, PLANNED - timedelta(14))
    assert not is_due_soon(open_one, PLANNED - timedelta(15))
    assert is_due_soon(open_one, PLANNED - timedelta(15), within_days=15)
    assert not is_due_soon(open_one, PLANNED + timedelta(1))


def test_alerts_cover_active_innovations_most_urgent_first() -> None:
    overdue = milestone("m1", TODAY - timedelta(10))
    soon = milestone("m2", TODAY + timedelta(3))
    far = milestone("m3", TODAY + timedelta(60))
    done = milestone("m4", TODAY - timedelta(5), TODAY - timedelta(6))
    active = make_innovation("a", unit="dinkes", milestones=(soon, overdue, far, done))
    stopped = make_innovation("b", stage=Stage.DISCONTINUED, milestones=(overdue,))
    alerts = milestone_alerts([stopped, active], TODAY)
    assert [(a.kind, a.milestone.id, a.days) for a in alerts] == [
        (AlertKind.OVERDUE, "m1", 10),
        (AlertKind.DUE_SOON, "m2", 3),
    ]
    assert {(a.innovation_id, a.unit) for a in alerts} == {("a", "dinkes")}


def test_parse_milestone_validates_the_body() -> None:
    parsed = parse_milestone(
        {"title": "Pilot in 2 villages", "planned_date": "2020-08-01"},
        milestone_id="m1",
        today=TODAY,
    )
    assert parsed == Milestone("m1", "Pilot in 2 villages", date(2020, 8, 1))
    with pytest.raises(ValidationProblem) as caught:
        parse_milestone(
            {"title": " ", "actual_date": "2099-01-01", "$x": 1}, milestone_id="m", today=TODAY
        )
    assert set(caught.value.errors) == {"title", "planned_date", "actual_date", "$x"}


def test_add_keeps_milestones_in_planned_order_and_refuses_duplicates() -> None:
    later, earlier = milestone("b", PLANNED), milestone("a", PLANNED - timedelta(10))
    both = add_milestone(add_milestone((), later), earlier)
    assert [m.id for m in both] == ["a", "b"]
    with pytest.raises(Conflict):
        add_milestone(both, milestone("a", PLANNED))


def test_complete_sets_the_actual_date_once() -> None:
    milestones = (milestone("m", PLANNED),)
    completed = complete_milestone(milestones, "m", on=TODAY, today=TODAY)
    assert completed[0].actual_date == TODAY
    with pytest.raises(Conflict):
        complete_milestone(completed, "m", on=TODAY, today=TODAY)
    with pytest.raises(NotFound):
        complete_milestone(milestones, "x", on=TODAY, today=TODAY)
    with pytest.raises(ValidationProblem):
        complete_milestone(milestones, "m", on=TODAY + timedelta(1), today=TODAY)


def test_update_can_reschedule_and_reopen() -> None:
    milestones = (milestone("m", PLANNED, PLANNED),)
    changed = update_milestone(
        milestones, "m", {"planned_date": "2020-07-01", "actual_date": None}, today=TODAY
    )
    assert (changed[0].planned_date, changed[0].actual_date) == (date(2020, 7, 1), None)


def test_summary_counts_each_status() -> None:
    milestones = [
        milestone("a", TODAY - timedelta(1)),
        milestone("b", TODAY),
        milestone("c", TODAY - timedelta(9), TODAY - timedelta(9)),
    ]
    summary = milestone_summary(milestones, TODAY)
    assert summary == {"planned": 1, "done": 1, "late": 1, "overdue": 1}


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    planned=st.dates(date(2019, 1, 1), date(2021, 12, 31)),
    actual=st.none() | st.dates(date(2019, 1, 1), date(2021, 12, 31)),
    today=st.dates(date(2019, 1, 1), date(2021, 12, 31)),
)
def test_overdue_and_due_soon_never_overlap(
    planned: date, actual: date | None, today: date
) -> None:
    m = replace(milestone("m", planned), actual_date=actual)
    assert not (is_overdue(m, today) and is_due_soon(m, today))
    if is_overdue(m, today):
        assert milestone_status(m, today) is MilestoneStatus.LATE
