"""Which events plan reminders and which cancel them, as data over event field paths.

`plan_requests(event)` says "plan reminders of this kind for this subject, these units and this
deadline"; the service removes units that are already done, calls
`reminders.plan_reminders` and applies `reminders.reconcile` against the subject's pending
reminders (so a moved deadline reschedules). `cancel_scopes(event)` says which pending
reminders an event makes pointless (submitted, recommendation done, quota met, milestone done).

Field paths follow the event schemas of the evaluation and innovation services; when a schema
names a field differently, change the data here, not the code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from fnmatch import fnmatchcase
from typing import Any

from notification.domain.events import Event, event_region, lookup
from notification.domain.reminders import Deadline, Reminder, SubjectKind
from notification.domain.rules import Condition


@dataclass(frozen=True)
class PlanTrigger:
    """An event type that sets a deadline. `units_path` may hold one unit id or a list; an
    empty `units_path` means "the units already planned for this subject" (a moved deadline
    that names no units): the request then has no units and `reuse_units` set."""

    event_type: str
    kind: SubjectKind
    subject_path: str
    deadline_path: str
    units_path: str
    details: tuple[tuple[str, str], ...] = ()  # (name in reminder data, event path)
    #: The trigger is skipped when any of these holds (a compliance change to "met").
    unless: tuple[Condition, ...] = ()
    #: Where the event names the deadline it replaces (a moved cycle deadline): the units
    #: still to submit then get one "deadline changed" notice. Empty: no such notice.
    previous_path: str = ""


@dataclass(frozen=True)
class PlanRequest:
    """Plan reminders of `kind` for `subject_id`, before filtering out units already done."""

    kind: SubjectKind
    subject_id: str
    region: str
    units: tuple[str, ...]
    deadline: Deadline
    details: Mapping[str, Any] = field(default_factory=dict)
    #: True when `units` is the subject's whole list (a cycle's participants): the caller
    #: reconciles every unit's reminders; False (one unit named): only that unit's.
    complete: bool = False
    #: Display names given with the units (`participants[].unit_name`, `data.unit_name`).
    unit_names: Mapping[str, str] = field(default_factory=dict)
    #: The units are those with pending reminders of the subject (the caller looks them up).
    reuse_units: bool = False
    #: The deadline this one replaces, when the trigger reads one and it differs.
    previous: Deadline | None = None


@dataclass(frozen=True)
class CancelRule:
    """An event type that ends reminders. `unit_path=None`: every unit of the subject."""

    event_type: str
    kind: SubjectKind
    subject_path: str
    unit_path: str | None = None
    conditions: tuple[Condition, ...] = ()
    #: Match the value at `subject_path` against this reminder detail instead of the subject
    #: id (a discontinued innovation's milestones: `innovation_id`). Such a cancel marks
    #: nothing done: a milestone planned later (a reactivated innovation) is reminded again.
    by_detail: str | None = None
    reason: str = "done"


@dataclass(frozen=True)
class CancelScope:
    """Pending reminders of `kind` and `subject_id` (and `unit`, when set) to cancel; with
    `by_detail`, those whose `details[by_detail]` is `subject_id`."""

    kind: SubjectKind
    subject_id: str
    unit: str | None = None
    by_detail: str | None = None
    reason: str = "done"

    def covers(self, reminder: Reminder) -> bool:
        subject = reminder.details.get(self.by_detail) if self.by_detail else reminder.subject_id
        return (
            reminder.kind is self.kind
            and subject == self.subject_id
            and (self.unit is None or reminder.unit == self.unit)
        )


K = SubjectKind
DONE_STATUSES = Condition("data.status", ("done", "dropped"))
CYCLE_CLOSED = Condition("data.phase", ("closed",))
QUOTA_MET = Condition("data.shortfall", (0,))
QUOTA_EXEMPT = Condition("data.status", ("exempt",))
QUOTA_DETAILS = (("year", "data.year"), ("required", "data.required"),
                 ("counted", "data.counted"), ("shortfall", "data.shortfall"))  # fmt: skip

CYCLE_DETAILS = (("title", "data.name"), ("year", "data.year"), ("cycle_name", "data.name"))
DEFAULT_PLAN_TRIGGERS: tuple[PlanTrigger, ...] = (
    PlanTrigger(
        "smartcity.cycle.opened", K.SUBMISSION, "data.cycle_id", "data.submission_deadline",
        "data.participants", CYCLE_DETAILS,
    ),
    PlanTrigger(
        "smartcity.cycle.deadline_set", K.SUBMISSION, "data.cycle_id",
        "data.submission_deadline", "data.participants", CYCLE_DETAILS,
        previous_path="data.previous_deadline",
    ),
    # An OPD added to an opened cycle: its own reminders only (the others' stay as they are).
    PlanTrigger(
        "smartcity.cycle.participant_added", K.SUBMISSION, "data.cycle_id",
        "data.submission_deadline", "data.unit", CYCLE_DETAILS,
    ),
    PlanTrigger(
        "smartcity.recommendation.issued", K.RECOMMENDATION, "data.recommendation_id",
        "data.due_date", "data.unit", (("title", "data.title"), ("priority", "data.priority")),
    ),
    PlanTrigger(
        "smartcity.recommendation.due_changed", K.RECOMMENDATION,
        "data.recommendation_id", "data.due_date", "data.unit", (("title", "data.title"),),
    ),
    PlanTrigger(
        "smartcity.quota.shortfall_detected", K.QUOTA, "data.policy_id", "data.deadline",
        "data.unit", QUOTA_DETAILS,
    ),
    # Still short by another number: the unit's pending reminders quote the new shortfall.
    PlanTrigger(
        "smartcity.quota.compliance_changed", K.QUOTA, "data.policy_id", "data.deadline",
        "data.unit", QUOTA_DETAILS, unless=(QUOTA_MET, QUOTA_EXEMPT),
    ),
    # A new quota deadline moves the reminders of the OPDs already being reminded.
    PlanTrigger(
        "smartcity.quota.policy_set", K.QUOTA, "data.policy_id", "data.deadline", "",
        (("year", "data.year"),),
    ),
    PlanTrigger(
        "smartcity.milestone.planned", K.MILESTONE, "data.milestone_id", "data.planned_date",
        "data.unit", (("title", "data.name"), ("innovation_id", "data.innovation_id"),
                      ("innovation_name", "data.innovation_name")),
    ),
)  # fmt: skip

DEFAULT_CANCEL_RULES: tuple[CancelRule, ...] = (
    # `*submitted` covers a first submission and a resubmission after a return.
    CancelRule("smartcity.submission.*submitted", K.SUBMISSION, "data.cycle_id", "data.unit"),
    CancelRule("smartcity.submission.verified", K.SUBMISSION, "data.cycle_id", "data.unit"),
    CancelRule("smartcity.submission.finalized", K.SUBMISSION, "data.cycle_id", "data.unit"),
    CancelRule("smartcity.cycle.phase_changed", K.SUBMISSION, "data.cycle_id",
               conditions=(CYCLE_CLOSED,)),
    # A published scorecard ends the cycle's "please submit" reminders for everyone.
    CancelRule("smartcity.scorecard.published", K.SUBMISSION, "data.cycle_id",
               reason="published"),
    CancelRule("smartcity.cycle.participant_removed", K.SUBMISSION, "data.cycle_id",
               "data.unit", reason="removed"),
    CancelRule(
        "smartcity.recommendation.status_changed", K.RECOMMENDATION, "data.recommendation_id",
        conditions=(DONE_STATUSES,),
    ),
    CancelRule("smartcity.quota.met", K.QUOTA, "data.policy_id", "data.unit"),
    CancelRule("smartcity.quota.compliance_changed", K.QUOTA, "data.policy_id", "data.unit",
               conditions=(QUOTA_MET,)),
    CancelRule("smartcity.quota.compliance_changed", K.QUOTA, "data.policy_id", "data.unit",
               conditions=(QUOTA_EXEMPT,)),
    CancelRule("smartcity.milestone.completed", K.MILESTONE, "data.milestone_id"),
    CancelRule("smartcity.innovation.discontinued", K.MILESTONE, "data.innovation_id",
               by_detail="innovation_id", reason="discontinued"),
)  # fmt: skip


def parse_deadline(value: Any) -> Deadline | None:
    """An ISO date (`2020-07-07`) or datetime (naive = region-local); None when unusable."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value:
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def plan_requests(
    event: Event, triggers: Iterable[PlanTrigger] = DEFAULT_PLAN_TRIGGERS
) -> list[PlanRequest]:
    """What `event` asks to plan. An event lacking subject, region, deadline or units asks
    nothing (a deadline cleared to null plans nothing; its old reminders stay until reconciled
    with an empty plan by the caller)."""
    event_type = str(event.get("type", ""))
    region = event_region(event)
    requests = []
    for trigger in triggers:
        if not fnmatchcase(event_type, trigger.event_type) or region is None:
            continue
        if any(c.holds(event) for c in trigger.unless):
            continue
        subject = lookup(event, trigger.subject_path)
        deadline = parse_deadline(lookup(event, trigger.deadline_path))
        if not trigger.units_path:
            if subject and deadline is not None:
                details = {name: lookup(event, path) for name, path in trigger.details}
                requests.append(
                    PlanRequest(
                        trigger.kind, str(subject), region, (), deadline, details,
                        complete=True, reuse_units=True,
                    )
                )  # fmt: skip
            continue
        value = lookup(event, trigger.units_path)
        units = _units(value)
        if subject and deadline is not None and units:
            details = {name: lookup(event, path) for name, path in trigger.details}
            complete = isinstance(value, list | tuple)
            names = _unit_names(value, lookup(event, "data.unit_name"))
            previous = _previous(event, trigger, deadline)
            requests.append(
                PlanRequest(
                    trigger.kind, str(subject), region, units, deadline, details, complete, names,
                    previous=previous,
                )
            )  # fmt: skip
    return requests


def _previous(event: Event, trigger: PlanTrigger, deadline: Deadline) -> Deadline | None:
    """The deadline the event replaces, when the trigger reads one and it is another one."""
    if not trigger.previous_path:
        return None
    previous = parse_deadline(lookup(event, trigger.previous_path))
    return previous if previous is not None and previous != deadline else None


def _units(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list | tuple) else [value]
    found = []
    for item in items:
        unit = item.get("unit") if isinstance(item, Mapping) else item
        if unit:
            found.append(str(unit))
    return tuple(dict.fromkeys(found))


def _unit_names(value: Any, single_name: Any) -> dict[str, str]:
    if not isinstance(value, list | tuple):
        return {str(value): str(single_name)} if value and single_name else {}
    return {
        str(item["unit"]): str(item["unit_name"])
        for item in value
        if isinstance(item, Mapping) and item.get("unit") and item.get("unit_name")
    }


def cancel_scopes(
    event: Event, rules: Iterable[CancelRule] = DEFAULT_CANCEL_RULES
) -> list[CancelScope]:
    """The pending reminders `event` makes pointless (empty for unrelated events)."""
    event_type = str(event.get("type", ""))
    scopes = []
    for rule in rules:
        if not fnmatchcase(event_type, rule.event_type):
            continue
        if not all(c.holds(event) for c in rule.conditions):
            continue
        subject = lookup(event, rule.subject_path)
        unit = lookup(event, rule.unit_path) if rule.unit_path else None
        if subject and (rule.unit_path is None or unit):
            unit_id = str(unit) if unit else None
            scopes.append(
                CancelScope(rule.kind, str(subject), unit_id, rule.by_detail, rule.reason)
            )
    return scopes


def to_cancel(pending: Iterable[Reminder], scopes: Iterable[CancelScope]) -> list[Reminder]:
    """The pending reminders any of `scopes` covers."""
    scope_list = list(scopes)
    return [r for r in pending if any(s.covers(r) for s in scope_list)]
