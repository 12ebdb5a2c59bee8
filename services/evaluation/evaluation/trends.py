"""Across cycles: a region's trend over the years (2018 -> 2019 -> 2020) and rankings of regions.

Years compare by the stable keys of dimensions and indicators, so cycles on different framework
versions compare like with like; each point names the dimensions and indicators that are new or
dropped against the point before. Changes are reported on the later year's scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from smartcity_shared.identity import Identity

from .common import Doc, is_reviewer, require_visible
from .domain import (
    Framework,
    aggregate_cycle,
    as_json_number,
    framework_changes,
    rank,
    reported_change,
)
from .scorecards import final_cards, framework_for, number

if TYPE_CHECKING:
    from .bootstrap import Context


def _cycles(c: Context, who: Identity, region: str, framework_key: str) -> list[Doc]:
    """The region's cycles of this framework the caller may compare (published ones, and
    for assessors and the admin also unpublished ones), by year."""
    query: Doc = {"region": region, "framework_key": framework_key}
    if not is_reviewer(who, region):
        query["published"] = True
    return sorted(c.store("cycles").collection.find(query, {"_outbox": 0}), key=lambda d: d["year"])


@dataclass(frozen=True)
class TrendYear:
    cycle: Doc
    framework: Framework
    overall: Fraction | None
    band: str | None
    dimensions: dict[str, Fraction]
    indicators: dict[str, Fraction]


def comparable_years(
    c: Context, who: Identity, region: str, key: str, unit: str | None
) -> list[TrendYear]:
    """Each comparable cycle's final result: the aggregate, or `unit`'s own scores."""
    years = []
    for cycle in _cycles(c, who, region, key):
        framework = framework_for(c, cycle)
        cards = final_cards(c, cycle)
        if unit is None:
            agg = aggregate_cycle(framework, (card for _, card in cards.values()))
            dims, inds = dict(agg.dimensions), dict(agg.indicators)
            years.append(TrendYear(cycle, framework, agg.overall, agg.band, dims, inds))
        elif unit in cards:
            card = cards[unit][1]
            dims, inds = dict(card.final.dimensions), dict(card.final.indicators)
            years.append(TrendYear(cycle, framework, card.overall, card.band, dims, inds))
    return years


def _point(year: TrendYear, before: TrendYear | None) -> Doc:
    scale = year.framework.scale_max
    change = reported_change(year.overall, before.overall if before else None, scale)
    moved = {
        k: reported_change(s, before.dimensions[k], scale)
        for k, s in year.dimensions.items()
        if before is not None and k in before.dimensions
    }
    diff = framework_changes(before.framework, year.framework) if before else None
    return {
        "year": year.cycle["year"],
        "cycle_id": year.cycle["_id"],
        "framework_version": year.framework.version,
        "published": bool(year.cycle.get("published")),
        "overall": number(year.overall, scale),
        "band": year.band,
        "change": as_json_number(change),
        "dimensions": {k: number(s, scale) for k, s in year.dimensions.items()},
        "dimension_changes": {k: as_json_number(d) for k, d in moved.items()},
        "new_dimensions": list(diff.new_dimensions) if diff else [],
        "dropped_dimensions": list(diff.dropped_dimensions) if diff else [],
        "new_indicators": list(diff.new_indicators) if diff else [],
        "dropped_indicators": list(diff.dropped_indicators) if diff else [],
    }


def region_trend(
    c: Context, who: Identity, region: str, framework_key: str, unit: str | None
) -> Doc:
    """One point per year: overall, band, per dimension, change from the year before, and
    the structure changes (new / dropped dimensions and indicators). With `unit`, the trend of
    that participant's final scores instead of the cycle aggregate."""
    require_visible(who, region)
    years = comparable_years(c, who, region, framework_key, unit)
    points = [_point(year, years[i - 1] if i else None) for i, year in enumerate(years)]
    return {"region": region, "framework_key": framework_key, "unit": unit, "points": points}


def region_ranking(c: Context, who: Identity, framework_key: str, year: int) -> Doc:
    """Regions ranked by their cycle aggregate for one framework and year: an assessor sees
    every region it is given, everyone else its own region's published result."""
    query: Doc = {"framework_key": framework_key, "year": year}
    cycles = [
        cycle
        for cycle in c.store("cycles").collection.find(query, {"_outbox": 0})
        if who.sees_region(cycle["region"])
        and (is_reviewer(who, cycle["region"]) or cycle.get("published"))
    ]
    results: dict[str, tuple[Doc, Fraction | None, str | None, int, Fraction]] = {}
    for cycle in cycles:
        framework = framework_for(c, cycle)
        cards = final_cards(c, cycle)
        aggregate = aggregate_cycle(framework, (card for _, card in cards.values()))
        entry = (cycle, aggregate.overall, aggregate.band, aggregate.participants)
        results[cycle["region"]] = (*entry, framework.scale_max)
    ranking = []
    for ranked in rank({region: item[1] for region, item in results.items()}):
        cycle, overall, band, participants, scale = results[ranked.participant]
        ranking.append(
            {
                "rank": ranked.rank,
                "region": ranked.participant,
                "cycle_id": cycle["_id"],
                "overall": number(overall, scale),
                "band": band,
                "participants": participants,
                "published": bool(cycle.get("published")),
            }
        )
    return {"framework_key": framework_key, "year": year, "ranking": ranking}
