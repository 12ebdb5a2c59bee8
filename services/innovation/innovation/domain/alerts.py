"""Reminder facts the periodic scan emits once each: quota deadlines and milestone dates.

A fact has a deterministic id built from its subject and phase, so storing it under that id
makes emitting it idempotent (a second scan, or a second worker, finds the id taken):
- quota: `quota:<region>:<year>:<unit>:<deadline>:<near|passed>`, for each non-exempt unit
  with a shortfall while the deadline is near (within `warn_days`, deadline day included) or
  has passed, but not longer ago than `passed_window_days` (an old year is no news);
- milestone: `milestone:<innovation>:<milestone>:<planned date>:<due_soon|overdue>` (moving
  the planned date makes a new fact).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .milestones import (
    DUE_SOON_DAYS,
    AlertKind,
    HasMilestones,
    MilestoneAlert,
    milestone_alerts,
)
from .quota import ComplianceReport, DeadlinePhase, QuotaPolicy, UnitCompliance, deadline_phase

WARN_DAYS = 30
PASSED_WINDOW_DAYS = 30


@dataclass(frozen=True)
class QuotaAlert:
    """One unit short of its quota while the deadline is near or has passed."""

    fact_id: str
    phase: DeadlinePhase
    row: UnitCompliance
    days: int  # days left (near) or days since the deadline (passed)


def quota_alerts(
    policy: QuotaPolicy,
    report: ComplianceReport,
    today: date,
    *,
    warn_days: int = WARN_DAYS,
    passed_window_days: int = PASSED_WINDOW_DAYS,
) -> list[QuotaAlert]:
    """The quota facts of `report` on `today` (rules in the module docstring), by unit."""
    phase = deadline_phase(policy, today, warn_days=warn_days)
    if phase is DeadlinePhase.OPEN:
        return []
    days = abs((policy.due - today).days)
    if phase is DeadlinePhase.PASSED and days > passed_window_days:
        return []
    head = f"quota:{policy.region}:{policy.year}"
    return [
        QuotaAlert(f"{head}:{row.unit}:{policy.due.isoformat()}:{phase.value}", phase, row, days)
        for row in report.units
        if row.shortfall > 0 and not row.exempt
    ]


def milestone_fact_id(alert: MilestoneAlert) -> str:
    m = alert.milestone
    return f"milestone:{alert.innovation_id}:{m.id}:{m.planned_date.isoformat()}:{alert.kind.value}"


def milestone_facts(
    innovations: Iterable[HasMilestones], today: date, within_days: int = DUE_SOON_DAYS
) -> list[tuple[str, MilestoneAlert]]:
    """(fact id, alert) for every due-soon or overdue milestone of active innovations."""
    alerts = milestone_alerts(innovations, today, within_days)
    return [(milestone_fact_id(a), a) for a in alerts]


__all__ = [
    "AlertKind",
    "QuotaAlert",
    "milestone_fact_id",
    "milestone_facts",
    "quota_alerts",
]
