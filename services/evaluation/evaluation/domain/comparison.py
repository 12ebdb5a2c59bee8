"""Across scorecards: cycle aggregates, year-on-year deltas and trends, structure diffs, ranking.

Everything compares normalized `s` values by the stable keys of dimensions and indicators, so
two framework versions (even with different `scale_max`) compare like with like; report a
change with `reporting.report(change, scale_max)` on the scale you show (the current one).
All computations use final (verified) scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType

from .model import Framework
from .scorecard import Scorecard


@dataclass(frozen=True)
class CycleAggregate:
    """A cycle's result: the unweighted mean of participants' overall s (and per dimension)."""

    participants: int  # participants with an overall score
    overall: Fraction | None
    band: str | None
    dimensions: Mapping[str, Fraction]
    tags: Mapping[str, Mapping[str, Fraction]] = field(default_factory=dict)  # tag -> value -> s
    indicators: Mapping[str, Fraction] = field(default_factory=dict)


def aggregate_cycle(framework: Framework, scorecards: Iterable[Scorecard]) -> CycleAggregate:
    """Unweighted means over the participants; a scorecard without an overall is left out.

    A dimension's (indicator's, tag value's) mean is over the participants in which it did
    not drop out.
    """
    overall: list[Fraction] = []
    by_dimension: dict[str, list[Fraction]] = {}
    by_indicator: dict[str, list[Fraction]] = {}
    by_tag: dict[str, dict[str, list[Fraction]]] = {}
    for card in scorecards:
        if card.overall is None:
            continue
        overall.append(card.overall)
        for key, s in card.final.dimensions.items():
            by_dimension.setdefault(key, []).append(s)
        for key, s in card.final.indicators.items():
            by_indicator.setdefault(key, []).append(s)
        for name, values in card.final.tags.items():
            for value, s in values.items():
                by_tag.setdefault(name, {}).setdefault(value, []).append(s)
    mean = _mean(overall)
    return CycleAggregate(
        participants=len(overall),
        overall=mean,
        band=None if mean is None else framework.band_for(mean * framework.scale_max),
        dimensions=_means(by_dimension),
        indicators=_means(by_indicator),
        tags=MappingProxyType({name: _means(values) for name, values in by_tag.items()}),
    )


@dataclass(frozen=True)
class Delta:
    current: Fraction | None
    previous: Fraction | None

    @property
    def change(self) -> Fraction | None:
        """current - previous, or None when either side is missing."""
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


@dataclass(frozen=True)
class StructureChanges:
    """Keys present in one framework version but not the other (in document order)."""

    new_dimensions: tuple[str, ...]
    dropped_dimensions: tuple[str, ...]
    new_indicators: tuple[str, ...]
    dropped_indicators: tuple[str, ...]


def structure_changes(
    previous_dimensions: Iterable[str],
    previous_indicators: Iterable[str],
    current_dimensions: Iterable[str],
    current_indicators: Iterable[str],
) -> StructureChanges:
    """Which dimension and indicator keys are new or dropped between two versions."""
    old_d, new_d = tuple(previous_dimensions), tuple(current_dimensions)
    old_i, new_i = tuple(previous_indicators), tuple(current_indicators)
    return StructureChanges(
        new_dimensions=tuple(k for k in new_d if k not in old_d),
        dropped_dimensions=tuple(k for k in old_d if k not in new_d),
        new_indicators=tuple(k for k in new_i if k not in old_i),
        dropped_indicators=tuple(k for k in old_i if k not in new_i),
    )


def framework_changes(previous: Framework, current: Framework) -> StructureChanges:
    """`structure_changes` between two framework versions."""
    return structure_changes(
        previous.dimension_keys,
        previous.indicator_keys,
        current.dimension_keys,
        current.indicator_keys,
    )


@dataclass(frozen=True)
class YearComparison:
    """This year against the previous one, by stable key (union of both years' keys)."""

    overall: Delta
    dimensions: Mapping[str, Delta]
    indicators: Mapping[str, Delta]
    changes: StructureChanges


def compare_years(current: Scorecard, previous: Scorecard | None) -> YearComparison:
    """Deltas of final scores against the previous year's scorecard (None: first year)."""
    if previous is None:
        return YearComparison(
            overall=Delta(current.overall, None),
            dimensions=MappingProxyType(
                {k: Delta(s, None) for k, s in current.final.dimensions.items()}
            ),
            indicators=MappingProxyType(
                {k: Delta(s, None) for k, s in current.final.indicators.items()}
            ),
            changes=structure_changes((), (), (), ()),
        )
    return YearComparison(
        overall=Delta(current.overall, previous.overall),
        dimensions=_deltas(
            current.final.dimensions, previous.final.dimensions, current.dimension_keys
        ),
        indicators=_deltas(
            current.final.indicators, previous.final.indicators, current.indicator_keys
        ),
        changes=structure_changes(
            previous.dimension_keys,
            previous.indicator_keys,
            current.dimension_keys,
            current.indicator_keys,
        ),
    )


@dataclass(frozen=True)
class TrendPoint:
    year: int
    overall: Fraction | None
    change: Fraction | None  # against the previous point in the trend
    band: str | None
    dimensions: Mapping[str, Fraction]


def trend(by_year: Mapping[int, Scorecard]) -> list[TrendPoint]:
    """One point per year, ascending, each with its change from the year before it."""
    points: list[TrendPoint] = []
    previous: Fraction | None = None
    for year in sorted(by_year):
        card = by_year[year]
        change = None if previous is None or card.overall is None else card.overall - previous
        points.append(TrendPoint(year, card.overall, change, card.band, card.final.dimensions))
        previous = card.overall
    return points


@dataclass(frozen=True)
class Ranked:
    participant: str
    rank: int | None  # None: no score, listed last
    s: Fraction | None


def rank(scores: Mapping[str, Fraction | None]) -> list[Ranked]:
    """Rank by exact s, best first; equal scores share a rank and the next rank skips (1, 1, 3).

    Ties are on the exact value, not the rounded one. Participants without a score come last,
    unranked; ties and unranked participants are listed by participant id.
    """
    scored = sorted(
        ((s, p) for p, s in scores.items() if s is not None), key=lambda item: (-item[0], item[1])
    )
    ranked: list[Ranked] = []
    for position, (s, participant) in enumerate(scored, start=1):
        shared = ranked[-1].rank if ranked and ranked[-1].s == s else position
        ranked.append(Ranked(participant, shared, s))
    ranked.extend(Ranked(p, None, None) for p in sorted(p for p, s in scores.items() if s is None))
    return ranked


def _deltas(
    current: Mapping[str, Fraction], previous: Mapping[str, Fraction], order: tuple[str, ...]
) -> Mapping[str, Delta]:
    keys = [k for k in order if k in current or k in previous]
    keys += sorted(k for k in previous if k not in keys)
    return MappingProxyType({k: Delta(current.get(k), previous.get(k)) for k in keys})


def _means(values: Mapping[str, list[Fraction]]) -> Mapping[str, Fraction]:
    return MappingProxyType({k: m for k, v in values.items() if (m := _mean(v)) is not None})


def _mean(values: list[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None
