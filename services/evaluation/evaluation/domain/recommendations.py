"""Recommendations for improvement: generated from a final scorecard's weakest indicators, and
their follow-up statuses.

Generation (`generate_recommendations`): every indicator whose final score is below the
threshold becomes a draft, weakest first. The gap is `threshold - score` (normalized, so it
means the same on any scale); priority is `high` for a gap >= 0.3, `medium` >= 0.15, else
`low`. The text is the indicator's `guidance` (or a plain fallback naming the indicator). The
caller decides that the scorecard is final and which unit owns the result.

Statuses: open -> in_progress | done | dropped; in_progress -> done | dropped;
done -> in_progress (reopened when the evidence does not hold); dropped is terminal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Protocol, TypeVar

from smartcity_shared.errors import Conflict, ValidationProblem

from .model import Framework
from .parsing import to_fraction
from .scorecard import Scorecard

DEFAULT_THRESHOLD_SHARE = Fraction(3, 5)  # 60 % of scale_max
DEFAULT_DUE_DAYS = 90
HIGH_GAP = Fraction(3, 10)
MEDIUM_GAP = Fraction(3, 20)


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class RecommendationStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


ALLOWED_STATUS_CHANGES: dict[RecommendationStatus, frozenset[RecommendationStatus]] = {
    RecommendationStatus.OPEN: frozenset(
        {RecommendationStatus.IN_PROGRESS, RecommendationStatus.DONE, RecommendationStatus.DROPPED}
    ),
    RecommendationStatus.IN_PROGRESS: frozenset(
        {RecommendationStatus.DONE, RecommendationStatus.DROPPED}
    ),
    RecommendationStatus.DONE: frozenset({RecommendationStatus.IN_PROGRESS}),
    RecommendationStatus.DROPPED: frozenset(),
}
ACTIVE_STATUSES = frozenset({RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS})


@dataclass(frozen=True)
class RecommendationDraft:
    """A generated recommendation, ready to store with status `open`."""

    dimension_key: str
    indicator_key: str
    indicator_name: str
    text: str
    score: Fraction  # the indicator's final s
    gap: Fraction  # threshold s - score
    priority: Priority
    owner_unit: str
    due: date
    status: RecommendationStatus = RecommendationStatus.OPEN


def generate_recommendations(
    framework: Framework,
    scorecard: Scorecard,
    *,
    owner_unit: str,
    issued_on: date,
    threshold: Decimal | float | int | None = None,
    due_in_days: int = DEFAULT_DUE_DAYS,
    limit: int | None = None,
) -> list[RecommendationDraft]:
    """Drafts for the indicators scoring below `threshold`, weakest first (ties by framework order).

    `threshold` is on the reported scale (e.g. 3 of 5; default the framework's
    `recommendation_threshold`, else 60 % of `scale_max`); due date =
    `issued_on` + `due_in_days`; `limit` keeps the N weakest. Raises ValidationProblem for a
    threshold outside [0, scale_max], a negative `due_in_days` or a `limit` below 1.
    """
    cut = _threshold_s(framework, threshold)
    _check_options(due_in_days, limit)
    due = issued_on + timedelta(days=due_in_days)
    drafts = []
    for position, (dimension, indicator) in enumerate(framework.indicators()):
        s = scorecard.final.indicators.get(indicator.key)
        if s is None or s >= cut:
            continue
        gap = cut - s
        text = (
            indicator.guidance.strip()
            or f"Improve '{indicator.name}': it scores below the threshold."
        )
        draft = RecommendationDraft(
            dimension.key,
            indicator.key,
            indicator.name,
            text,
            s,
            gap,
            _priority(gap),
            owner_unit,
            due,
        )
        drafts.append((s, position, draft))
    drafts.sort(key=lambda item: (item[0], item[1]))
    chosen = [draft for _, _, draft in drafts]
    return chosen if limit is None else chosen[:limit]


def change_status(current: str, new: str) -> RecommendationStatus:
    """The new status when the change is allowed; Conflict (409) otherwise, ValidationProblem
    for an unknown status."""
    if new not in RecommendationStatus._value2member_map_:
        raise ValidationProblem({"status": [f"must be one of: {', '.join(RecommendationStatus)}"]})
    old, target = RecommendationStatus(current), RecommendationStatus(new)
    if target not in ALLOWED_STATUS_CHANGES[old]:
        raise Conflict(f"a recommendation that is {old.value} cannot become {target.value}")
    return target


class _HasDueAndStatus(Protocol):
    @property
    def due(self) -> date: ...

    @property
    def status(self) -> str: ...


T = TypeVar("T", bound=_HasDueAndStatus)


def is_overdue(item: _HasDueAndStatus, today: date) -> bool:
    """Open or in progress, and due before `today`."""
    return item.status in ACTIVE_STATUSES and item.due < today


def overdue(items: Iterable[T], today: date) -> list[T]:
    """The overdue items, most overdue first."""
    return sorted((item for item in items if is_overdue(item, today)), key=lambda item: item.due)


def _threshold_s(framework: Framework, threshold: Decimal | float | int | None) -> Fraction:
    if threshold is None:
        if framework.recommendation_threshold is not None:
            return framework.recommendation_threshold / framework.scale_max
        return DEFAULT_THRESHOLD_SHARE
    if isinstance(threshold, Decimal):
        value = Fraction(threshold) if threshold.is_finite() else None
    else:
        value = to_fraction(threshold)
    if value is None or not 0 <= value <= framework.scale_max:
        raise ValidationProblem(
            {"threshold": [f"must be a number from 0 to {framework.scale_max}"]}
        )
    return value / framework.scale_max


def _check_options(due_in_days: int, limit: int | None) -> None:
    errors: dict[str, list[str]] = {}
    if isinstance(due_in_days, bool) or not isinstance(due_in_days, int) or due_in_days < 0:
        errors["due_in_days"] = ["must be an integer >= 0"]
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        errors["limit"] = ["must be an integer >= 1"]
    if errors:
        raise ValidationProblem(errors)


def _priority(gap: Fraction) -> Priority:
    if gap >= HIGH_GAP:
        return Priority.HIGH
    if gap >= MEDIUM_GAP:
        return Priority.MEDIUM
    return Priority.LOW
