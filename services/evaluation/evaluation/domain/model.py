"""The framework model: frozen dataclasses for dimensions > indicators > questions.

Build these with `evaluation.domain.framework.parse_framework`, which validates a document;
constructing them directly skips validation. All numbers are exact `Fraction`s. Keys are unique
across the whole framework (dimensions, indicators and questions share one namespace), and the
keys of dimensions and indicators are meant to stay stable across versions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from types import MappingProxyType

from .conditions import Condition, evaluation_order
from .reporting import round_half_up

EMPTY: Mapping[str, str] = MappingProxyType({})


class QuestionType(StrEnum):
    LEVEL = "level"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    BOOLEAN = "boolean"
    NUMBER = "number"
    TEXT = "text"
    FILE = "file"


UNSCORED_TYPES = frozenset({QuestionType.TEXT, QuestionType.FILE})


class Unanswered(StrEnum):
    """What a visible, unanswered question counts as: 0 (`zero`) or nothing (`skip`)."""

    ZERO = "zero"
    SKIP = "skip"


@dataclass(frozen=True)
class Level:
    """One maturity level; its number is its position (1-based) in `Question.levels`."""

    label: str
    criteria: str


@dataclass(frozen=True)
class Option:
    value: str | int
    label: str
    score: Fraction


@dataclass(frozen=True)
class NumberBand:
    """`[ratio, s]`: a value whose ratio to the target is >= `ratio` earns at least `s`."""

    ratio: Fraction
    s: Fraction


@dataclass(frozen=True)
class EvidenceRule:
    """Evidence needed on submit: always (`required`) or from a level upwards."""

    required: bool = False
    required_from_level: int | None = None

    def needed_for(self, answer: object) -> bool:
        """Whether an answer with this value must carry evidence (unanswered never does)."""
        if answer is None:
            return False
        if self.required:
            return True
        if self.required_from_level is None or isinstance(answer, bool):
            return False
        return isinstance(answer, int) and answer >= self.required_from_level


@dataclass(frozen=True)
class Question:
    key: str
    type: QuestionType
    text: str
    weight: Fraction = Fraction(1)
    required: bool = False
    assessor_scored: bool = False
    evidence: EvidenceRule | None = None
    visible_if: Condition | None = None
    levels: tuple[Level, ...] = ()
    options: tuple[Option, ...] = ()
    target: Fraction | None = None
    bands: tuple[NumberBand, ...] = ()
    unit: str = ""
    help: str = ""

    @property
    def is_scored(self) -> bool:
        """Whether the question can count in the score (text/file only when assessor-scored)."""
        return self.type not in UNSCORED_TYPES or self.assessor_scored

    def option(self, value: object) -> Option | None:
        """The option with exactly this value (same type: `1` never matches `"1"` or `true`)."""
        for option in self.options:
            if type(option.value) is type(value) and option.value == value:
                return option
        return None


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    questions: tuple[Question, ...]
    weight: Fraction = Fraction(1)
    tags: Mapping[str, str] = field(default_factory=lambda: EMPTY, hash=False)
    guidance: str = ""
    description: str = ""


@dataclass(frozen=True)
class Dimension:
    key: str
    name: str
    indicators: tuple[Indicator, ...]
    weight: Fraction = Fraction(1)
    description: str = ""


@dataclass(frozen=True)
class Band:
    """A predicate naming overall scores from `min` (reported scale, inclusive) upwards."""

    label: str
    min: Fraction


@dataclass(frozen=True)
class Lenses:
    """Weights by the value of one indicator tag (e.g. `lens`): an indicator's effective
    weight is its own weight times the weight of its tag value."""

    tag: str
    weights: Mapping[str, Fraction] = field(hash=False)


@dataclass(frozen=True)
class Framework:
    key: str
    name: str
    scale_max: Fraction
    dimensions: tuple[Dimension, ...]
    version: int = 1
    unanswered: Unanswered = Unanswered.ZERO
    bands: tuple[Band, ...] = ()
    lenses: Lenses | None = None
    description: str = ""
    # below it (reported scale) a finalized indicator gets a recommendation; None: the default
    recommendation_threshold: Fraction | None = None

    def questions(self) -> Iterator[Question]:
        for dimension in self.dimensions:
            for indicator in dimension.indicators:
                yield from indicator.questions

    def indicators(self) -> Iterator[tuple[Dimension, Indicator]]:
        for dimension in self.dimensions:
            for indicator in dimension.indicators:
                yield dimension, indicator

    @cached_property
    def question_index(self) -> Mapping[str, Question]:
        return MappingProxyType({q.key: q for q in self.questions()})

    @cached_property
    def condition_order(self) -> tuple[str, ...]:
        """Question keys, each after those its `visible_if` reads (ValueError on a cycle)."""
        return evaluation_order(
            {
                q.key: q.visible_if.references() if q.visible_if else frozenset()
                for q in self.questions()
            }
        )

    @property
    def dimension_keys(self) -> tuple[str, ...]:
        return tuple(d.key for d in self.dimensions)

    @property
    def indicator_keys(self) -> tuple[str, ...]:
        return tuple(i.key for _, i in self.indicators())

    @cached_property
    def indicator_weights(self) -> Mapping[str, Fraction]:
        """`indicator_weight` of every indicator, by key (computed once per framework)."""
        return MappingProxyType({i.key: self.indicator_weight(i) for _, i in self.indicators()})

    def indicator_weight(self, indicator: Indicator) -> Fraction:
        """The weight an indicator carries in its dimension, lens weight included."""
        if self.lenses is None:
            return indicator.weight
        lens = indicator.tags.get(self.lenses.tag)
        return indicator.weight * self.lenses.weights.get(lens or "", Fraction(1))

    def band_for(self, scale_value: Fraction) -> str | None:
        """The label of the band with the highest `min` not above the value as REPORTED (2
        decimals, half up), if any: a card showing 1.80 is in the band starting at 1.80."""
        shown = Fraction(round_half_up(scale_value))
        label = None
        for band in self.bands:
            if band.min <= shown:
                label = band.label
        return label
