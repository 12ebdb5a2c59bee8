"""Counts of innovations per pillar, type, form, initiator and stage, year on year.

Every value of each enumeration is listed, with 0 where nothing matches, so charts keep their
axes. `total` counts every registered innovation of the year, discontinued ones included;
`active` leaves those out. `change` is `total` minus the previous calendar year's total, or None
when the previous year precedes the earliest year of the data given.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from .innovation import Innovation
from .vocab import Initiator, InnovationForm, InnovationType, Pillar, Stage


@dataclass(frozen=True)
class YearStats:
    year: int
    total: int
    active: int
    by_pillar: Mapping[str, int]
    by_type: Mapping[str, int]
    by_form: Mapping[str, int]
    by_initiator: Mapping[str, int]
    by_stage: Mapping[str, int]
    change: int | None


def innovation_stats(
    innovations: Iterable[Innovation], years: Iterable[int] | None = None
) -> tuple[YearStats, ...]:
    """Stats per year, ascending, for `years` (default: every year present in the data).

    The caller filters by region or unit beforehand.
    """
    items = list(innovations)
    present = {i.year for i in items}
    wanted = sorted(set(years) if years is not None else present)
    earliest = min(present, default=None)
    totals = Counter(i.year for i in items)
    return tuple(_year(y, items, totals, earliest) for y in wanted)


def _year(
    year: int, items: list[Innovation], totals: Counter[int], earliest: int | None
) -> YearStats:
    mine = [i for i in items if i.year == year]
    has_previous = earliest is not None and year - 1 >= earliest
    return YearStats(
        year=year,
        total=len(mine),
        active=sum(1 for i in mine if i.active),
        by_pillar=_count(Pillar, (i.pillar for i in mine)),
        by_type=_count(InnovationType, (i.type for i in mine)),
        by_form=_count(InnovationForm, (i.form for i in mine)),
        by_initiator=_count(Initiator, (i.initiator for i in mine)),
        by_stage=_count(Stage, (i.stage for i in mine)),
        change=totals[year] - totals[year - 1] if has_previous else None,
    )


def _count(enum: type[StrEnum], values: Iterable[StrEnum]) -> dict[str, int]:
    counted = Counter(v.value for v in values)
    return {member.value: counted[member.value] for member in enum}
