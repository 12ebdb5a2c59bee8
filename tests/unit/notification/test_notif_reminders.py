"""Deadline reminders: exact times in Asia/Jakarta, deterministic ids, missed ones, moves."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notification.domain.documents import reminder_from_dict, reminder_to_dict
from notification.domain.reminders import (
    ReminderPolicy,
    Stage,
    SubjectKind,
    days_left,
    plan_reminders,
    reconcile,
    reminder_event,
)
from smartcity_shared.errors import ValidationProblem

UNIT = "kab-batang:dinkes"
EARLY = datetime(2020, 6, 1, tzinfo=UTC)


def plan(deadline, now=EARLY, units=(UNIT,), **kwargs):
    return plan_reminders(
        SubjectKind.SUBMISSION, "cycle-2020", "kab-batang", units, deadline, now, **kwargs
    )


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_reminders_fall_at_eight_local_time_in_jakarta_as_exact_utc_times():
    reminders = plan(date(2020, 7, 7))

    assert [(r.offset_days, r.stage, r.due_at) for r in reminders] == [
        (7, Stage.DUE, utc(2020, 6, 30, 1, 0)),
        (3, Stage.DUE, utc(2020, 7, 4, 1, 0)),
        (1, Stage.DUE, utc(2020, 7, 6, 1, 0)),
        (-1, Stage.OVERDUE, utc(2020, 7, 8, 1, 0)),
    ]
    assert all(r.due_at.tzinfo is UTC for r in reminders)


def test_region_time_zone_moves_the_utc_times():
    reminders = plan(date(2020, 7, 7), timezone="Asia/Jayapura")  # UTC+9

    assert reminders[0].due_at == utc(2020, 6, 29, 23, 0)


def test_a_deadline_with_a_time_uses_its_local_date():
    # 16:59 UTC on 7 July is 23:59 WIB on 7 July; the overdue notice comes on 8 July.
    reminders = plan(datetime(2020, 7, 7, 16, 59, tzinfo=UTC))

    assert reminders[-1].due_at == utc(2020, 7, 8, 1, 0)
    assert {r.deadline_date for r in reminders} == {date(2020, 7, 7)}


def test_a_naive_deadline_time_is_read_as_local_time():
    naive = plan(datetime(2020, 7, 7, 23, 59))
    aware = plan(datetime(2020, 7, 7, 16, 59, tzinfo=UTC))

    assert [r.id for r in naive] == [r.id for r in aware]


def test_same_input_gives_the_same_ids():
    first = plan(date(2020, 7, 7), units=[UNIT, "kab-batang:bappeda"])
    again = plan(date(2020, 7, 7), units=["kab-batang:bappeda", UNIT], now=EARLY + timedelta(1))

    assert sorted(r.id for r in first) == sorted(r.id for r in again)
    assert len({r.id for r in first}) == 8


def test_ids_differ_by_unit_deadline_offset_and_kind():
    base = {r.id for r in plan(date(2020, 7, 7))}
    other_unit = {r.id for r in plan(date(2020, 7, 7), units=["kab-batang:bappeda"])}
    other_date = {r.id for r in plan(date(2020, 7, 28))}
    other_kind = plan_reminders(
        SubjectKind.QUOTA, "cycle-2020", "kab-batang", [UNIT], date(2020, 7, 7), EARLY
    )

    assert base.isdisjoint(other_unit)
    assert base.isdisjoint(other_date)
    assert base.isdisjoint({r.id for r in other_kind})


def test_a_missed_reminder_is_skipped_while_a_later_one_is_ahead():
    # Planned on 5 July 10:00 WIB for 7 July: the 7- and 3-day reminders are past. The 3-day
    # one is not sent at once: the 1-day one (6 July 08:00) still goes.
    now = utc(2020, 7, 5, 3, 0)
    reminders = plan(date(2020, 7, 7), now=now)

    assert [r.offset_days for r in reminders] == [1, -1]
    assert all(r.due_at > now for r in reminders)


def test_the_last_missed_reminder_goes_when_none_is_ahead_before_the_deadline():
    # Planned on 6 July 10:00 WIB for 7 July: the 1-day one (6 July 08:00) is the last before
    # the deadline and is within the catch-up window, so it goes at once.
    now = utc(2020, 7, 6, 3, 0)
    reminders = plan(date(2020, 7, 7), now=now)

    assert [r.offset_days for r in reminders] == [1, -1]
    assert reminders[0].due_at < now


def test_no_catch_up_for_a_due_reminder_once_the_deadline_passed():
    now = utc(2020, 7, 7, 17, 30)  # 00:30 WIB on 8 July: the deadline day is over
    reminders = plan(date(2020, 7, 7), now=now)

    assert [(r.stage, r.due_at) for r in reminders] == [(Stage.OVERDUE, utc(2020, 7, 8, 1, 0))]


def test_old_deadlines_plan_nothing():
    assert plan(date(2019, 7, 7), now=utc(2020, 7, 1)) == []


def test_the_overdue_notice_is_caught_up_within_the_window():
    reminders = plan(date(2020, 7, 7), now=utc(2020, 7, 9))

    assert [r.stage for r in reminders] == [Stage.OVERDUE]


def test_policy_controls_offsets_hour_and_overdue():
    policy = ReminderPolicy(days_before=(14, 2), overdue_days_after=None)
    reminders = plan(date(2020, 7, 7), policy=policy)

    assert [(r.offset_days, r.due_at) for r in reminders] == [
        (14, utc(2020, 6, 23, 1, 0)),
        (2, utc(2020, 7, 5, 1, 0)),
    ]


def test_moving_the_deadline_cancels_old_reminders_and_creates_new_ones():
    old = plan(date(2020, 7, 7))
    # On 5 July the 7- and 3-day reminders were sent; the rest is still pending.
    moved_at = utc(2020, 7, 5, 3, 0)
    pending = [r for r in old if r.due_at > moved_at]
    new_plan = plan(date(2020, 7, 28), now=moved_at)

    to_cancel, to_create = reconcile(pending, new_plan)

    assert {r.id for r in to_cancel} == {r.id for r in pending}
    assert {r.deadline_date for r in to_create} == {date(2020, 7, 28)}
    assert [r.due_at for r in to_create] == [
        utc(2020, 7, 21, 1, 0),
        utc(2020, 7, 25, 1, 0),
        utc(2020, 7, 27, 1, 0),
        utc(2020, 7, 29, 1, 0),
    ]


def test_replanning_the_same_deadline_changes_nothing():
    pending = plan(date(2020, 7, 7))

    assert reconcile(pending, plan(date(2020, 7, 7), now=EARLY + timedelta(hours=1))) == ([], [])


def test_a_unit_left_out_of_the_new_plan_loses_its_reminders():
    pending = plan(date(2020, 7, 7), units=[UNIT, "kab-batang:bappeda"])
    to_cancel, to_create = reconcile(pending, plan(date(2020, 7, 7)))

    assert {r.unit for r in to_cancel} == {"kab-batang:bappeda"}
    assert to_create == []


def test_unknown_time_zone_is_a_validation_problem():
    with pytest.raises(ValidationProblem) as caught:
        plan(date(2020, 7, 7), timezone="Mars/Olympus")
    assert "timezone" in caught.value.errors


def test_now_must_be_aware():
    with pytest.raises(ValueError):
        plan(date(2020, 7, 7), now=datetime(2020, 6, 1))


def test_reminder_event_carries_the_deadline_facts_and_the_reminder_id():
    reminder = plan(date(2020, 7, 7), details={"title": "Evaluasi 2020"})[1]
    event = reminder_event(reminder, reminder.due_at)

    assert event["id"] == reminder.id
    assert event["type"] == "smartcity.reminder.submission.due"
    assert event["region"] == "kab-batang"
    assert event["data"] | {} == {
        "title": "Evaluasi 2020",
        "subject_id": "cycle-2020",
        "unit": UNIT,
        "deadline": "2020-07-07",
        "deadline_date": "2020-07-07",
        "days_before": 3,
        "days_left": 3,
        "stage": "due",
    }


def test_days_left_counts_local_days():
    reminder = plan(date(2020, 7, 7))[0]

    assert days_left(reminder, utc(2020, 7, 6, 17, 30)) == 0  # 00:30 WIB on 7 July
    assert days_left(reminder, utc(2020, 7, 6, 16, 30)) == 1


def test_reminder_documents_round_trip_including_naive_store_datetimes():
    for reminder in plan(datetime(2020, 7, 7, 16, 59, tzinfo=UTC)) + plan(date(2020, 7, 7)):
        document = reminder_to_dict(reminder)
        assert reminder_from_dict(document) == reminder
        naive = document | {"due_at": document["due_at"].replace(tzinfo=None)}
        assert reminder_from_dict(naive) == reminder


@settings(max_examples=200, deadline=None)
@given(
    deadline=st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31)),
    hours=st.integers(min_value=-24 * 20, max_value=24 * 20),
)
def test_planning_late_keeps_at_most_one_missed_reminder_from_the_full_plan(deadline, hours):
    now = datetime.combine(deadline, time(0), tzinfo=UTC) + timedelta(hours=hours)
    planned = plan(deadline, now=now)
    full = plan(deadline, now=datetime.combine(deadline, time(0), tzinfo=UTC) - timedelta(30))

    assert {r.id for r in planned} <= {r.id for r in full}
    missed = [r for r in planned if r.due_at <= now]
    assert len(missed) <= 1
    assert all(now - r.due_at <= timedelta(days=2) for r in missed)
    assert all(r.due_at > now for r in planned if r not in missed)
