"""Rules of an evaluation cycle: its phases and its submission deadline.

Phases in order: self_assessment, document_review, field_review, finalization, closed. An
admin may move a cycle to any other phase (stepping back is allowed, e.g. to reopen the field
review) except out of `closed`, which ends the cycle; moving to the current phase is a Conflict.

A deadline is an instant. `resolve_deadline` reads what an admin types: a date means the end of
that day (23:59:59) in the cycle's time zone, a datetime without offset is local to that zone,
one with an offset is taken as is.

Publishing a cycle's scorecard (`check_publishable`) waits for every participant that has not
submitted, until the deadline passes or the admin excuses that OPD with a reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from smartcity_shared.errors import Conflict, ValidationProblem


class Phase(StrEnum):
    SELF_ASSESSMENT = "self_assessment"
    DOCUMENT_REVIEW = "document_review"
    FIELD_REVIEW = "field_review"
    FINALIZATION = "finalization"
    CLOSED = "closed"


PHASES = tuple(Phase)


def change_phase(current: str, new: str) -> Phase:
    """The phase after moving from `current` to `new`.

    Raises ValidationProblem (`phase`) for an unknown phase, Conflict when the cycle is closed
    or already in that phase.
    """
    if new not in Phase._value2member_map_:
        raise ValidationProblem({"phase": [f"must be one of: {', '.join(Phase)}"]})
    if current == Phase.CLOSED:
        raise Conflict("the cycle is closed")
    if current == new:
        raise Conflict(f"the cycle is already in phase {new}")
    return Phase(new)


def check_phase_plan(phases: list[dict[str, object]]) -> None:
    """A plan `[{phase, starts_on, ends_on}]`: known phases, each once, in order, each
    ending on or after its start and starting on or after the previous one's start.
    Raises ValidationProblem with `phases.<i>.<field>` paths."""
    errors: dict[str, list[str]] = {}
    seen: list[Phase] = []
    previous_start: object = None
    for i, item in enumerate(phases):
        name, start, end = item.get("phase"), item.get("starts_on"), item.get("ends_on")
        if name not in Phase._value2member_map_:
            errors[f"phases.{i}.phase"] = [f"must be one of: {', '.join(Phase)}"]
            continue
        phase = Phase(str(name))
        if phase in seen or (seen and PHASES.index(phase) < PHASES.index(seen[-1])):
            errors[f"phases.{i}.phase"] = ["phases must be listed once each, in order"]
        seen.append(phase)
        if isinstance(start, date) and isinstance(end, date) and end < start:
            errors[f"phases.{i}.ends_on"] = ["must not be before starts_on"]
        if isinstance(start, date) and isinstance(previous_start, date) and start < previous_start:
            errors[f"phases.{i}.starts_on"] = ["must not be before the previous phase starts"]
        previous_start = start
    if errors:
        raise ValidationProblem(errors)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationProblem({"timezone": ["unknown time zone"]}) from exc


def resolve_deadline(value: date | datetime, timezone: str) -> datetime:
    """The deadline instant (timezone-aware) that `value` means in `timezone`."""
    tz = zone(timezone)
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    return datetime.combine(value, time(23, 59, 59), tzinfo=tz)


class PublishBlocked(Conflict):
    """409 naming, per OPD, why publishing must wait (`errors` = `{"excused.<unit>": [...]}`)."""

    def __init__(self, errors: dict[str, list[str]], detail: str) -> None:
        super().__init__(detail)
        self.errors = errors


def check_publishable(
    missing: Iterable[str],
    excused: Mapping[str, str],
    deadline: datetime | None,
    now: datetime,
) -> None:
    """Publishing needs, for every participant that has not submitted (`missing`), either the
    submission deadline passed or an explicit excuse (`excused`: unit -> reason).

    Raises ValidationProblem (`excused.<unit>`) for an excuse of a unit that is not missing or
    without a reason, and PublishBlocked naming each OPD still inside its deadline (no
    deadline set means the OPDs may still submit).
    """
    missing = sorted(set(missing))
    wrong = {
        f"excused.{unit}": ["not a participant still to submit"]
        for unit in excused
        if unit not in missing
    }
    wrong.update(
        {f"excused.{u}": ["give a reason"] for u, why in excused.items() if not why.strip()}
    )
    if wrong:
        raise ValidationProblem(wrong)
    if deadline is not None and now >= deadline:
        return
    waiting = [unit for unit in missing if unit not in excused]
    if waiting:
        until = f"until {deadline.isoformat()}" if deadline else "(no deadline set)"
        raise PublishBlocked(
            {f"excused.{u}": [f"has not submitted and may still submit {until}"] for u in waiting},
            f"OPDs still inside their submission deadline without a submission: "
            f"{', '.join(waiting)}; publish after the deadline or excuse each of them "
            f'(body "excused": [{{"unit", "reason"}}])',
        )
