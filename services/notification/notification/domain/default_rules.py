"""The recipient rules shipped with the service, as data (loaded through `rule_from_dict`).

Scheduled reminders reach the rules as notices of type `smartcity.reminder.<kind>.<stage>`
(see `reminders.reminder_event`), so deadline and overdue mails are routed like any event.
The upstream "due/overdue" facts of the innovation service (`smartcity.milestone.due`,
`smartcity.milestone.overdue`, `smartcity.quota.deadline_neared`,
`smartcity.quota.deadline_passed`) are shipped disabled: the service schedules those
reminders itself, and enabling both would mail twice. An admin may switch one source for the
other.
"""

from __future__ import annotations

from typing import Any

from notification.domain.rules import RecipientRule, rule_from_dict

UNIT = ["unit_contacts"]
UNIT_AND_ADMINS = ["unit_contacts", "region_admins"]
HIGH_RISK = [{"path": "data.rating", "in": ["high", "extreme"]}]

DEFAULT_RULES: list[dict[str, Any]] = [
    # Cycle deadlines, per participant that has not submitted (scheduled reminders).
    {"id": "submission-deadline", "event_type": "smartcity.reminder.submission.due",
     "audiences": UNIT, "template": "submission_deadline", "category": "deadline",
     "urgent": True},
    {"id": "submission-overdue", "event_type": "smartcity.reminder.submission.overdue",
     "audiences": UNIT_AND_ADMINS, "template": "submission_overdue", "category": "overdue",
     "urgent": True},
    # A moved cycle deadline, once per participant that has not submitted (old -> new).
    {"id": "submission-deadline-moved", "event_type": "smartcity.submission.deadline_moved",
     "audiences": UNIT, "template": "submission_deadline_moved", "category": "deadline",
     "urgent": True},
    # Review results.
    {"id": "submission-returned", "event_type": "smartcity.submission.returned",
     "audiences": UNIT, "template": "submission_returned", "category": "review",
     "urgent": True},
    {"id": "submission-verified", "event_type": "smartcity.submission.verified",
     "audiences": UNIT, "template": "submission_verified", "category": "review"},
    {"id": "submission-finalized", "event_type": "smartcity.submission.finalized",
     "audiences": UNIT_AND_ADMINS, "template": "submission_finalized", "category": "review"},
    {"id": "scorecard-published", "event_type": "smartcity.scorecard.published",
     "audiences": UNIT_AND_ADMINS, "template": "scorecard_published", "category": "info"},
    # Recommendations.
    {"id": "recommendation-issued", "event_type": "smartcity.recommendation.issued",
     "audiences": UNIT, "template": "recommendation_issued", "category": "recommendation"},
    {"id": "recommendation-due", "event_type": "smartcity.reminder.recommendation.due",
     "audiences": UNIT, "template": "recommendation_due", "category": "deadline",
     "urgent": True},
    {"id": "recommendation-overdue", "event_type": "smartcity.reminder.recommendation.overdue",
     "audiences": UNIT_AND_ADMINS, "template": "recommendation_overdue",
     "category": "overdue", "urgent": True},
    # Innovation quota.
    {"id": "quota-shortfall", "event_type": "smartcity.quota.shortfall_detected",
     "audiences": UNIT_AND_ADMINS, "template": "quota_shortfall", "category": "quota"},
    {"id": "quota-deadline", "event_type": "smartcity.reminder.quota.due",
     "audiences": UNIT, "template": "quota_deadline", "category": "deadline", "urgent": True},
    {"id": "quota-overdue", "event_type": "smartcity.reminder.quota.overdue",
     "audiences": UNIT_AND_ADMINS, "template": "quota_overdue", "category": "overdue",
     "urgent": True},
    {"id": "upstream-quota-deadline", "event_type": "smartcity.quota.deadline_neared",
     "audiences": UNIT, "template": "quota_deadline", "category": "deadline", "urgent": True,
     "enabled": False},
    {"id": "upstream-quota-overdue", "event_type": "smartcity.quota.deadline_passed",
     "audiences": UNIT_AND_ADMINS, "template": "quota_overdue", "category": "overdue",
     "urgent": True, "enabled": False},
    # Innovation milestones and verification.
    {"id": "milestone-due", "event_type": "smartcity.reminder.milestone.due",
     "audiences": UNIT, "template": "milestone_due", "category": "deadline", "urgent": True},
    {"id": "milestone-overdue", "event_type": "smartcity.reminder.milestone.overdue",
     "audiences": UNIT, "template": "milestone_overdue", "category": "overdue",
     "urgent": True},
    {"id": "upstream-milestone-due", "event_type": "smartcity.milestone.due",
     "audiences": UNIT, "template": "milestone_due", "category": "deadline", "urgent": True,
     "enabled": False},
    {"id": "upstream-milestone-overdue", "event_type": "smartcity.milestone.overdue",
     "audiences": UNIT, "template": "milestone_overdue", "category": "overdue",
     "urgent": True, "enabled": False},
    {"id": "innovation-verified", "event_type": "smartcity.innovation.verified",
     "audiences": UNIT, "template": "innovation_verified", "category": "innovation"},
    # Risks rated high or extreme, when raised or re-rated.
    {"id": "risk-raised-high", "event_type": "smartcity.risk.raised",
     "audiences": UNIT_AND_ADMINS, "template": "risk_raised", "category": "risk",
     "urgent": True, "conditions": HIGH_RISK},
    {"id": "risk-rerated-high", "event_type": "smartcity.risk.rating_changed",
     "audiences": UNIT_AND_ADMINS, "template": "risk_raised", "category": "risk",
     "urgent": True, "conditions": HIGH_RISK},
]  # fmt: skip


def default_rules() -> tuple[RecipientRule, ...]:
    """The shipped rules, validated. Raises `ValidationProblem` if the data above is broken."""
    return tuple(rule_from_dict(raw) for raw in DEFAULT_RULES)
