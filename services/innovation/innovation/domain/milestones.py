"""Milestones of an innovation and their due-soon / overdue detection.

Milestones live inside their innovation (`Innovation.milestones`), so one write and one revision
cover both. The functions here take and return the tuple of milestones; the caller puts the
result back with `dataclasses.replace(innovation, milestones=...)`.

Status is derived from the dates on a given day, never stored, so it cannot go stale:
- `done`: completed on or before its planned date;
- `late`: completed after its planned date, or not completed and the planned date has passed;
- `planned`: not completed and the planned date is today or later.
A milestone is *overdue* when it is not completed and its planned date is before today, and
*due soon* when it is not completed and due today or within `within_days` days.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Protocol

from smartcity_shared.errors import Conflict, NotFound

from .parsing import Problems, Reader, body
from .vocab import MilestoneStatus

MILESTONE_FIELDS = ("title", "planned_date", "actual_date", "note")
MAX_MILESTONES = 100
DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class Milestone:
    """A step of an innovation with its planned date and, once completed, its actual date."""

    id: str
    title: str
    planned_date: date
    actual_date: date | None = None
    note: str = ""

    @property
    def done(self) -> bool:
        return self.actual_date is not None


def milestone_status(milestone: Milestone, today: date) -> MilestoneStatus:
    """`done`, `late` or `planned` on `today` (rule in the module docstring)."""
    if milestone.actual_date is not None:
        on_time = milestone.actual_date <= milestone.planned_date
        return MilestoneStatus.DONE if on_time else MilestoneStatus.LATE
    return MilestoneStatus.LATE if milestone.planned_date < today else MilestoneStatus.PLANNED


def is_overdue(milestone: Milestone, today: date) -> bool:
    """Not completed and planned before `today`."""
    return not milestone.done and milestone.planned_date < today


def is_due_soon(milestone: Milestone, today: date, within_days: int = DUE_SOON_DAYS) -> bool:
    """Not completed and planned between `today` and `today + within_days`, both included."""
    return not milestone.done and today <= milestone.planned_date <= today + timedelta(within_days)


def parse_milestone(data: object, *, milestone_id: str, today: date) -> Milestone:
    """A new milestone from a posted body {title, planned_date, actual_date?, note?}.

    Raises ValidationProblem with every problem (an actual date after `today` is one).
    """
    problems = Problems()
    fields = body(data, problems, MILESTONE_FIELDS)
    milestone = _read(Reader(fields, problems), milestone_id, today)
    problems.raise_if_any()
    assert milestone is not None
    return milestone


def _read(reader: Reader, milestone_id: str, today: date) -> Milestone | None:
    title = reader.text("title", required=True, max_len=200)
    planned = reader.day("planned_date", required=True)
    actual = reader.day("actual_date")
    note = reader.text("note", max_len=2000)
    if actual is not None and actual > today:
        reader.problems.add(reader.path("actual_date"), "May not be in the future.")
    if planned is None:
        return None
    return Milestone(milestone_id, title, planned, actual, note)


def add_milestone(milestones: tuple[Milestone, ...], new: Milestone) -> tuple[Milestone, ...]:
    """`milestones` plus `new`, ordered by planned date.

    Raises Conflict for a duplicate id or beyond MAX_MILESTONES.
    """
    if any(m.id == new.id for m in milestones):
        raise Conflict(f"Milestone {new.id} already exists.")
    if len(milestones) >= MAX_MILESTONES:
        raise Conflict(f"An innovation has at most {MAX_MILESTONES} milestones.")
    return tuple(sorted((*milestones, new), key=lambda m: (m.planned_date, m.id)))


def update_milestone(
    milestones: tuple[Milestone, ...], milestone_id: str, changes: object, *, today: date
) -> tuple[Milestone, ...]:
    """Applies a partial body (any of MILESTONE_FIELDS; null clears actual_date or note).

    Raises NotFound for an unknown id and ValidationProblem for invalid changes. Setting
    `actual_date` completes the milestone; clearing it re-opens it.
    """
    current = find_milestone(milestones, milestone_id)
    problems = Problems()
    fields = body(changes, problems, MILESTONE_FIELDS)
    merged: dict[str, Any] = {
        "title": current.title,
        "planned_date": current.planned_date,
        "actual_date": current.actual_date,
        "note": current.note,
        **fields,
    }
    updated = _read(Reader(merged, problems), milestone_id, today)
    problems.raise_if_any()
    assert updated is not None
    rest = tuple(m for m in milestones if m.id != milestone_id)
    return add_milestone(rest, updated)


def complete_milestone(
    milestones: tuple[Milestone, ...], milestone_id: str, *, on: date, today: date
) -> tuple[Milestone, ...]:
    """Marks a milestone completed on `on`.

    Raises NotFound (unknown id), Conflict (already completed) or ValidationProblem (`on` after
    `today`).
    """
    current = find_milestone(milestones, milestone_id)
    if current.done:
        raise Conflict(f"Milestone {milestone_id} was already completed on {current.actual_date}.")
    return update_milestone(milestones, milestone_id, {"actual_date": on}, today=today)


def find_milestone(milestones: Iterable[Milestone], milestone_id: str) -> Milestone:
    """The milestone with this id; raises NotFound."""
    for milestone in milestones:
        if milestone.id == milestone_id:
            return milestone
    raise NotFound(f"Milestone {milestone_id} not found.")


class HasMilestones(Protocol):
    """What milestone_alerts needs of an innovation (Innovation satisfies it)."""

    @property
    def id(self) -> str: ...
    @property
    def region(self) -> str: ...
    @property
    def owner_unit(self) -> str: ...
    @property
    def active(self) -> bool: ...
    @property
    def milestones(self) -> tuple[Milestone, ...]: ...


class AlertKind(StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class MilestoneAlert:
    """A milestone to remind someone of; `days` is days left (due soon) or days late (overdue)."""

    kind: AlertKind
    innovation_id: str
    region: str
    unit: str
    milestone: Milestone
    days: int


def milestone_alerts(
    innovations: Iterable[HasMilestones], today: date, within_days: int = DUE_SOON_DAYS
) -> list[MilestoneAlert]:
    """Due-soon and overdue milestones of active innovations, most urgent first.

    Discontinued innovations raise no alerts. The result is the same for the same inputs, so a
    caller can derive an idempotent event id from (innovation, milestone, kind, planned date).
    """
    alerts: list[MilestoneAlert] = []
    for innovation in innovations:
        if not innovation.active:
            continue
        for m in innovation.milestones:
            kind = _alert_kind(m, today, within_days)
            if kind is not None:
                days = abs((m.planned_date - today).days)
                args = (innovation.id, innovation.region, innovation.owner_unit, m, days)
                alerts.append(MilestoneAlert(kind, *args))
    return sorted(alerts, key=lambda a: (a.milestone.planned_date, a.innovation_id, a.milestone.id))


def _alert_kind(milestone: Milestone, today: date, within_days: int) -> AlertKind | None:
    if is_overdue(milestone, today):
        return AlertKind.OVERDUE
    if is_due_soon(milestone, today, within_days):
        return AlertKind.DUE_SOON
    return None


def milestone_summary(milestones: Iterable[Milestone], today: date) -> Mapping[str, int]:
    """Counts per derived status plus `overdue`, for display."""
    counts = {status.value: 0 for status in MilestoneStatus} | {"overdue": 0}
    for m in milestones:
        counts[milestone_status(m, today).value] += 1
        counts["overdue"] += is_overdue(m, today)
    return counts
