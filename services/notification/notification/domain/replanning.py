"""Plans made again: a unit no longer done with a subject, and reminders whose details changed.

- `reopen_scopes(event)`: the units an event makes not done any more (a submission returned
  for revision, an OPD short of its quota again). The caller clears their done mark, so the
  subject's reminders apply to them again; a whole subject done (`*`, a closed cycle) stays
  done.
- `plan_after_return(...)`: a returned submission names no deadline, so the unit is planned
  again from the subject's last known deadline. Before the deadline: the reminders still ahead
  (days before, and the overdue notice), without catching up missed ones (the return mail has
  just told the OPD). After the deadline: no burst of missed reminders but exactly one overdue
  notice, marked `resubmit`, on the day after the return at the policy hour (unless the OPD
  resubmits first). Its id is new for each return: the first overdue notice may have gone
  out already, and a redelivered return gives the same id.
- `refreshed(pending, plan)`: pending reminders that `reconcile` keeps but whose details
  changed (a new shortfall): the store rewrites their details, so the mail quotes the news.
- `revive_scopes(event)`: what an event undoes of a cancel by detail (a reactivated
  innovation gets back its milestone reminders cancelled when it was discontinued, those
  still ahead).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fnmatch import fnmatchcase
from typing import Any

from notification.domain.events import Event, lookup
from notification.domain.reminders import (
    DEFAULT_POLICY,
    Deadline,
    Reminder,
    ReminderPolicy,
    Stage,
    SubjectKind,
    deadline_key,
    deadline_passed_at,
    local_deadline_date,
    plan_reminders,
    zone,
)
from notification.domain.rules import Condition


@dataclass(frozen=True)
class ReopenRule:
    """An event type after which a unit is not done with a subject any more. With `replan`
    (the event names no deadline) the unit is planned again from the last known deadline."""

    event_type: str
    kind: SubjectKind
    subject_path: str
    unit_path: str
    replan: bool = False


@dataclass(frozen=True)
class Reopen:
    """`unit` is not done with `subject_id` any more; `event_id` is the reopening event."""

    kind: SubjectKind
    subject_id: str
    unit: str
    event_id: str
    replan: bool = False
    unit_name: str | None = None


K = SubjectKind
DEFAULT_REOPEN_RULES: tuple[ReopenRule, ...] = (
    ReopenRule("smartcity.submission.returned", K.SUBMISSION, "data.cycle_id", "data.unit", True),
    ReopenRule("smartcity.quota.shortfall_detected", K.QUOTA, "data.policy_id", "data.unit"),
    ReopenRule("smartcity.quota.compliance_changed", K.QUOTA, "data.policy_id", "data.unit"),
    ReopenRule("smartcity.cycle.participant_added", K.SUBMISSION, "data.cycle_id", "data.unit"),
)


@dataclass(frozen=True)
class ReviveRule:
    """An event type that brings back the reminders of `kind` whose `details[detail]` is the
    value at `value_path` and that were cancelled for `reason` (only those still ahead)."""

    event_type: str
    kind: SubjectKind
    detail: str
    value_path: str
    reason: str
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Revive:
    kind: SubjectKind
    detail: str
    value: str
    reason: str


DEFAULT_REVIVE_RULES: tuple[ReviveRule, ...] = (
    ReviveRule(
        "smartcity.innovation.stage_changed", K.MILESTONE, "innovation_id", "data.innovation_id",
        "discontinued", (Condition("data.from_stage", ("discontinued",)),),
    ),
)  # fmt: skip


def revive_scopes(event: Event, rules: Iterable[ReviveRule] = DEFAULT_REVIVE_RULES) -> list[Revive]:
    """The cancelled reminders `event` brings back (empty for unrelated events)."""
    event_type = str(event.get("type", ""))
    found = []
    for rule in rules:
        value = lookup(event, rule.value_path)
        applies = all(c.holds(event) for c in rule.conditions)
        if fnmatchcase(event_type, rule.event_type) and value and applies:
            found.append(Revive(rule.kind, rule.detail, str(value), rule.reason))
    return found


def reopen_scopes(event: Event, rules: Iterable[ReopenRule] = DEFAULT_REOPEN_RULES) -> list[Reopen]:
    """The units `event` makes not done any more (empty for unrelated events)."""
    event_type, event_id = str(event.get("type", "")), str(event.get("id", ""))
    name = lookup(event, "data.unit_name")
    found = []
    for rule in rules:
        subject, unit = lookup(event, rule.subject_path), lookup(event, rule.unit_path)
        if fnmatchcase(event_type, rule.event_type) and subject and unit:
            reopen = Reopen(
                rule.kind, str(subject), str(unit), event_id, rule.replan, str(name or "") or None
            )
            found.append(reopen)
    return found


def plan_after_return(
    reopen: Reopen,
    region: str,
    deadline: Deadline,
    now: datetime,
    *,
    timezone: str,
    details: Mapping[str, Any],
    policy: ReminderPolicy = DEFAULT_POLICY,
) -> list[Reminder]:
    """The reminders for `reopen.unit` after its submission came back (see the module doc).
    `now` must be aware; raises `ValidationProblem` for an unknown time zone."""
    tz = zone(timezone)
    named = {**details, **({"unit_name": reopen.unit_name} if reopen.unit_name else {})}
    plan = plan_reminders(
        reopen.kind, reopen.subject_id, region, [reopen.unit], deadline, now,
        timezone=tz.key, policy=policy, details=named,
    )  # fmt: skip
    fixed = deadline.replace(tzinfo=tz) if _naive(deadline) else deadline
    if now < deadline_passed_at(fixed, tz):
        return [r for r in plan if r.due_at > now]
    if policy.overdue_days_after is None:
        return []
    day = now.astimezone(tz).date() + timedelta(days=max(policy.overdue_days_after, 1))
    due_at = datetime.combine(day, policy.at, tzinfo=tz).astimezone(UTC)
    deadline_date = local_deadline_date(fixed, tz)
    aware = fixed.astimezone(UTC) if isinstance(fixed, datetime) else fixed
    return [
        Reminder(
            id=resubmit_id(reopen, aware),
            kind=reopen.kind,
            subject_id=reopen.subject_id,
            region=region,
            unit=reopen.unit,
            deadline=aware,
            deadline_date=deadline_date,
            offset_days=-(day - deadline_date).days,
            stage=Stage.OVERDUE,
            due_at=due_at,
            timezone=tz.key,
            details={**named, "resubmit": True},
        )
    ]


def _naive(deadline: Deadline) -> bool:
    return isinstance(deadline, datetime) and deadline.tzinfo is None


def resubmit_id(reopen: Reopen, deadline: Deadline) -> str:
    """Deterministic per (subject, unit, deadline, reopening event)."""
    raw = "|".join(
        (reopen.kind.value, reopen.subject_id, reopen.unit, deadline_key(deadline), "resubmit")
    )
    return hashlib.sha256(f"{raw}|{reopen.event_id}".encode()).hexdigest()[:32]


def refreshed(pending: Iterable[Reminder], plan: Iterable[Reminder]) -> list[Reminder]:
    """The planned reminders already pending under the same id whose details differ."""
    known = {r.id: r for r in pending}
    return [r for r in plan if r.id in known and dict(known[r.id].details) != dict(r.details)]
