"""Scorecards: the exact results of scoring one submission, and their reported (JSON) form.

Every score here is a normalized `s` in [0, 1] held as an exact `Fraction`; the reported value
is `reporting.report(s, scale_max)` (2 decimals, half up). A key missing from `dimensions`,
`indicators` or a tag breakdown means that node had nothing visible and dropped out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from .parsing import number_out
from .reporting import as_json_number, report


class QuestionStatus(StrEnum):
    SCORED = "scored"  # answered (or assessor-scored): counts with its s
    UNANSWERED = "unanswered"  # visible, not answered, framework counts it as 0
    SKIPPED = "skipped"  # visible, not answered, framework has `unanswered: skip`
    HIDDEN = "hidden"  # its visible_if is false: leaves the average
    NOT_SCORED = "not_scored"  # text / file without assessor scoring
    PENDING = "pending"  # assessor-scored, answered, no assessor s yet: leaves the average


@dataclass(frozen=True)
class QuestionOutcome:
    status: QuestionStatus
    s: Fraction | None = None  # set for SCORED and UNANSWERED (0) only


@dataclass(frozen=True)
class ScoreSet:
    """The scores of one set of answers (self-assessed or final)."""

    overall: Fraction | None
    band: str | None
    dimensions: Mapping[str, Fraction]
    indicators: Mapping[str, Fraction]
    tags: Mapping[str, Mapping[str, Fraction]]  # tag name -> tag value -> s
    questions: Mapping[str, QuestionOutcome]


@dataclass(frozen=True)
class Difference:
    """final - self, for the nodes scored in both."""

    overall: Fraction | None
    dimensions: Mapping[str, Fraction]
    indicators: Mapping[str, Fraction]


@dataclass(frozen=True)
class Scorecard:
    """A participant's result: self-assessed and final (verified answers win) score sets.

    `overall`, `band`, `dimensions`, ... without a prefix mean the final scores, the ones that
    count for aggregates, trends and rankings. `dimension_keys` / `indicator_keys` list the
    framework version's structure (including nodes that dropped out) for year-on-year diffs.
    """

    framework_key: str
    framework_version: int
    scale_max: Fraction
    self_assessed: ScoreSet
    final: ScoreSet
    dimension_keys: tuple[str, ...]
    indicator_keys: tuple[str, ...]

    @property
    def overall(self) -> Fraction | None:
        return self.final.overall

    @property
    def band(self) -> str | None:
        return self.final.band

    def reported(self, s: Fraction | None) -> Decimal | None:
        """`s` on this scorecard's scale, rounded half up to 2 decimals."""
        return report(s, self.scale_max)

    def difference(self) -> Difference:
        return Difference(
            overall=_minus(self.final.overall, self.self_assessed.overall),
            dimensions=_subtract(self.final.dimensions, self.self_assessed.dimensions),
            indicators=_subtract(self.final.indicators, self.self_assessed.indicators),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON for portals and storage of the published result: reported numbers only."""
        difference = self.difference()
        return {
            "framework": {"key": self.framework_key, "version": self.framework_version},
            "scale_max": number_out(self.scale_max),
            "self": self._score_set_dict(self.self_assessed),
            "final": self._score_set_dict(self.final),
            "difference": {
                "overall": self._number(difference.overall),
                "dimensions": self._numbers(difference.dimensions),
                "indicators": self._numbers(difference.indicators),
            },
        }

    def _score_set_dict(self, scores: ScoreSet) -> dict[str, Any]:
        return {
            "overall": self._number(scores.overall),
            "band": scores.band,
            "dimensions": self._numbers(scores.dimensions),
            "indicators": self._numbers(scores.indicators),
            "tags": {name: self._numbers(values) for name, values in scores.tags.items()},
            "questions": {
                key: {"status": outcome.status.value, "score": self._number(outcome.s)}
                for key, outcome in scores.questions.items()
            },
        }

    def _number(self, s: Fraction | None) -> float | None:
        return as_json_number(self.reported(s))

    def _numbers(self, values: Mapping[str, Fraction]) -> dict[str, float | None]:
        return {key: self._number(s) for key, s in values.items()}


def _minus(left: Fraction | None, right: Fraction | None) -> Fraction | None:
    return None if left is None or right is None else left - right


def _subtract(left: Mapping[str, Fraction], right: Mapping[str, Fraction]) -> dict[str, Fraction]:
    return {key: value - right[key] for key, value in left.items() if key in right}
