"""Deadline reminders: planned from a deadline, reconciled when it moves, rendered as events.

Times: a deadline is a local date (or a moment) in the region's time zone (Asia/Jakarta by
default). With the default policy a unit gets reminders 7, 3 and 1 days before the deadline
and an overdue notice the day after, each at 08:00 local time; `due_at` is stored in UTC.

Reminders already due when planned (a participant added late, a deadline moved earlier) are
skipped while a later "due" reminder is still ahead: the 3-day one for a deadline 2 days away
is not sent, the 1-day one still goes. Only when none is ahead is the latest missed one kept,
and that one only if it fell due within `policy.catch_up` (default 2 days) and, for a "due"
reminder, the deadline has not passed yet (so a deadline set for tomorrow still gets its
reminder). It keeps its original `due_at`, so the worker sends it at once. Old deadlines
(last year's cycles loaded as history) therefore cause no mail at all.

Ids are deterministic (hash of kind, subject, unit, deadline and offset): planning the same
deadline twice gives the same ids, so a redelivered event creates nothing new and a sent
reminder is never planned again, provided the store inserts by id only if absent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from notification.domain.directory import DEFAULT_TIMEZONE
from smartcity_shared.errors import ValidationProblem

Deadline = date | datetime


class SubjectKind(StrEnum):
    SUBMISSION = "submission"  # a cycle's submission deadline, per participant unit
    RECOMMENDATION = "recommendation"  # a recommendation's due date, for its owner unit
    QUOTA = "quota"  # the innovation quota deadline, for units still short
    MILESTONE = "milestone"  # an innovation milestone's planned date


class Stage(StrEnum):
    DUE = "due"
    OVERDUE = "overdue"


class ReminderStatus(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"  # taken by one worker (under a lease) to be turned into notices
    SENT = "sent"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class ReminderPolicy:
    """When reminders go out, in the region's local time."""

    days_before: tuple[int, ...] = (7, 3, 1)
    at: time = time(8, 0)
    overdue_days_after: int | None = 1  # None: no overdue notice
    catch_up: timedelta = timedelta(days=2)


DEFAULT_POLICY = ReminderPolicy()


@dataclass(frozen=True)
class Reminder:
    """One planned reminder for one unit. `offset_days` > 0: days before; < 0: days after.

    `deadline` is the deadline as given (a date, or an aware UTC datetime); `deadline_date`
    its local date. `details` are display values copied from the scheduling event.
    """

    id: str
    kind: SubjectKind
    subject_id: str
    region: str
    unit: str
    deadline: Deadline
    deadline_date: date
    offset_days: int
    stage: Stage
    due_at: datetime
    timezone: str = DEFAULT_TIMEZONE
    details: Mapping[str, Any] = field(default_factory=dict)
    status: ReminderStatus = ReminderStatus.PENDING

    @property
    def event_type(self) -> str:
        """The notice type recipient rules match, e.g. `smartcity.reminder.submission.due`."""
        return f"smartcity.reminder.{self.kind.value}.{self.stage.value}"


def zone(name: str) -> ZoneInfo:
    """The time zone `name`; raises `ValidationProblem` (field `timezone`) when unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationProblem({"timezone": [f"Unknown time zone {name!r}."]}) from None


def reminder_id(
    kind: SubjectKind, subject_id: str, unit: str, deadline: Deadline, offset_days: int
) -> str:
    """Deterministic id: the same subject, unit, deadline and offset always give the same id."""
    raw = "|".join((kind.value, subject_id, unit, deadline_key(deadline), str(offset_days)))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def deadline_key(deadline: Deadline) -> str:
    """ISO text of a deadline: `2020-07-07`, or an aware datetime in UTC."""
    if isinstance(deadline, datetime):
        return deadline.astimezone(UTC).isoformat()
    return deadline.isoformat()


def plan_reminders(
    kind: SubjectKind,
    subject_id: str,
    region: str,
    units: Iterable[str],
    deadline: Deadline,
    now: datetime,
    *,
    timezone: str = DEFAULT_TIMEZONE,
    policy: ReminderPolicy = DEFAULT_POLICY,
    details: Mapping[str, Any] | None = None,
) -> list[Reminder]:
    """The reminders to keep pending for `units` (those not done yet) of one subject.

    A naive `deadline` datetime is local time in `timezone`; `now` must be aware. Sorted by
    `due_at`, then unit. Raises `ValidationProblem` for an unknown time zone or empty ids.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    required = (("subject_id", subject_id), ("region", region))
    missing = {name: ["Required."] for name, value in required if not value}
    if missing:
        raise ValidationProblem(missing, "A reminder needs a subject and a region.")
    tz = zone(timezone)
    fixed = _aware(deadline, tz)
    template = Reminder(
        id="",
        kind=kind,
        subject_id=subject_id,
        region=region,
        unit="",
        deadline=fixed,
        deadline_date=local_deadline_date(fixed, tz),
        offset_days=0,
        stage=Stage.DUE,
        due_at=now,
        timezone=tz.key,
        details=dict(details or {}),
    )
    planned = [
        reminder
        for unit in dict.fromkeys(units)
        if unit
        for reminder in _for_unit(replace(template, unit=unit), tz, policy, now)
    ]
    return sorted(planned, key=lambda r: (r.due_at, r.unit, r.offset_days))


def _aware(deadline: Deadline, tz: ZoneInfo) -> Deadline:
    if isinstance(deadline, datetime):
        local = deadline if deadline.tzinfo else deadline.replace(tzinfo=tz)
        return local.astimezone(UTC)
    return deadline


def _for_unit(
    base: Reminder, tz: ZoneInfo, policy: ReminderPolicy, now: datetime
) -> list[Reminder]:
    offsets = [(d, Stage.DUE) for d in sorted(set(policy.days_before), reverse=True)]
    if policy.overdue_days_after is not None:
        offsets.append((-policy.overdue_days_after, Stage.OVERDUE))
    candidates = [
        replace(
            base,
            id=reminder_id(base.kind, base.subject_id, base.unit, base.deadline, offset),
            offset_days=offset,
            stage=stage,
            due_at=_at(base.deadline_date - timedelta(days=offset), policy.at, tz),
        )
        for offset, stage in offsets
    ]
    return _drop_missed(candidates, deadline_passed_at(base.deadline, tz), policy, now)


def _at(day: date, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def _drop_missed(
    candidates: Sequence[Reminder], passed_at: datetime, policy: ReminderPolicy, now: datetime
) -> list[Reminder]:
    future = [r for r in candidates if r.due_at > now]
    missed = [r for r in candidates if r.due_at <= now]
    if not missed or any(r.stage is Stage.DUE for r in future):
        return future  # a reminder still ahead tells the unit in time: skip the missed ones
    latest = max(missed, key=lambda r: r.due_at)
    recent = now - latest.due_at <= policy.catch_up
    still_relevant = latest.stage is Stage.OVERDUE or now < passed_at
    return [latest, *future] if recent and still_relevant else future


def local_deadline_date(deadline: Deadline, tz: ZoneInfo) -> date:
    """The deadline's calendar date in the region's time zone."""
    if isinstance(deadline, datetime):
        return deadline.astimezone(tz).date()
    return deadline


def deadline_passed_at(deadline: Deadline, tz: ZoneInfo) -> datetime:
    """The UTC moment a deadline is missed: the moment itself, or the end of the local day."""
    if isinstance(deadline, datetime):
        return deadline.astimezone(UTC)
    return datetime.combine(deadline + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)


def reconcile(
    existing_pending: Iterable[Reminder], new_plan: Iterable[Reminder]
) -> tuple[list[Reminder], list[Reminder]]:
    """(to_cancel, to_create) that turn the pending reminders into the new plan.

    `existing_pending` must be every pending reminder of the planned subject (all units), so a
    moved deadline cancels every reminder for the old date and a unit that left (or is done)
    loses its reminders. Reminders whose id is in both are kept untouched. The store must
    create `to_create` insert-if-absent by id: an id already sent is never sent again.
    """
    pending = list(existing_pending)
    plan = list(new_plan)
    plan_ids = {r.id for r in plan}
    pending_ids = {r.id for r in pending}
    to_cancel = [r for r in pending if r.id not in plan_ids]
    to_create = [r for r in plan if r.id not in pending_ids]
    return to_cancel, to_create


def days_left(reminder: Reminder, now: datetime) -> int:
    """Whole local days from `now` to the deadline date (0 = today, negative = overdue)."""
    today = now.astimezone(zone(reminder.timezone)).date()
    return (reminder.deadline_date - today).days


def reminder_event(reminder: Reminder, now: datetime) -> dict[str, Any]:
    """The reminder as an event envelope that `notices_for_event` routes through the rules.

    Its id is the reminder id, so the delivery log de-duplicates a reminder like an event.
    `data` holds the scheduling event's details plus the deadline facts templates print.
    """
    data = {
        **reminder.details,
        "subject_id": reminder.subject_id,
        "unit": reminder.unit,
        "deadline": deadline_key(reminder.deadline),
        "deadline_date": reminder.deadline_date.isoformat(),
        "days_before": reminder.offset_days,
        "days_left": days_left(reminder, now),
        "stage": reminder.stage.value,
    }
    return {
        "specversion": "1.0",
        "id": reminder.id,
        "source": "notification",
        "type": reminder.event_type,
        "time": reminder.due_at.isoformat(),
        "subject": reminder.subject_id,
        "region": reminder.region,
        "datacontenttype": "application/json",
        "data": data,
    }


def with_status(reminder: Reminder, status: ReminderStatus) -> Reminder:
    """A copy with another status (the store records sent and cancelled this way)."""
    return replace(reminder, status=status)
