"""Risk rating: likelihood 1-5 x impact 1-5, rated per CONTRACT.md, and register summaries.

Ratings by score: 1-4 low, 5-9 medium, 10-16 high, 20-25 extreme (17-19 cannot occur).
`heatmap` counts risks in a 5 x 5 grid indexed `[likelihood - 1][impact - 1]`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from smartcity_shared.errors import ValidationProblem


class Perspective(StrEnum):
    COMMUNITY_ENGAGEMENT = "community_engagement"
    SUSTAINABILITY = "sustainability"
    GOVERNANCE = "governance"
    TECHNOLOGY = "technology"
    FINANCIAL = "financial"
    OPERATIONAL = "operational"
    LEGAL = "legal"


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    EXTREME = "extreme"


@dataclass(frozen=True)
class RiskRating:
    likelihood: int
    impact: int
    score: int
    level: RiskLevel


def rate_risk(likelihood: object, impact: object) -> RiskRating:
    """The rating of a risk; raises ValidationProblem (`likelihood`, `impact`) unless both are
    integers from 1 to 5."""
    errors = {
        field: ["must be an integer from 1 to 5"]
        for field, value in (("likelihood", likelihood), ("impact", impact))
        if not _is_scale_value(value)
    }
    if errors:
        raise ValidationProblem(errors)
    assert isinstance(likelihood, int) and isinstance(impact, int)
    score = likelihood * impact
    return RiskRating(likelihood, impact, score, level_for(score))


def level_for(score: int) -> RiskLevel:
    """The rating of a likelihood x impact score (1..25)."""
    if not 1 <= score <= 25:
        raise ValueError(f"a risk score is between 1 and 25, not {score}")
    if score <= 4:
        return RiskLevel.LOW
    if score <= 9:
        return RiskLevel.MEDIUM
    if score <= 16:
        return RiskLevel.HIGH
    return RiskLevel.EXTREME


def parse_perspective(value: object) -> Perspective:
    """The perspective named by `value`; raises ValidationProblem (`perspective`) otherwise."""
    if isinstance(value, str) and value in Perspective._value2member_map_:
        return Perspective(value)
    raise ValidationProblem({"perspective": [f"must be one of: {', '.join(Perspective)}"]})


def rating_changed(before: RiskRating | None, after: RiskRating) -> bool:
    """Whether a re-assessment changed the rating level (worth an event / a reminder)."""
    return before is None or before.level is not after.level


def heatmap(ratings: Iterable[RiskRating]) -> list[list[int]]:
    """5 x 5 counts: `grid[likelihood - 1][impact - 1]`."""
    grid = [[0] * 5 for _ in range(5)]
    for rating in ratings:
        grid[rating.likelihood - 1][rating.impact - 1] += 1
    return grid


def count_by_level(ratings: Iterable[RiskRating]) -> dict[RiskLevel, int]:
    """Counts per rating level, every level present (zeros included)."""
    counts = Counter(rating.level for rating in ratings)
    return {level: counts.get(level, 0) for level in RiskLevel}


def count_by_perspective(perspectives: Iterable[Perspective]) -> dict[Perspective, int]:
    """Counts per perspective, every perspective present (zeros included)."""
    counts = Counter(perspectives)
    return {perspective: counts.get(perspective, 0) for perspective in Perspective}


def _is_scale_value(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5
