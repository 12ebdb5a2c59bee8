"""Read-only analytics: maturity per OPD and region (0-100 with the index's predicates) and
innovation stats per pillar, type, form, initiator and stage, year on year."""

from __future__ import annotations

from smartcity_shared.errors import NotFound, ValidationProblem
from smartcity_shared.identity import Identity

from . import repository as repo
from .access import require_visible
from .bootstrap import Context
from .domain.maturity import (
    DEFAULT_SLOTS,
    RegionMaturity,
    UnitMaturity,
    region_maturity,
    unit_maturity,
)
from .domain.search import InnovationFilter, matches
from .domain.stats import YearStats, innovation_stats


def _slots(required: int) -> int:
    return required if required > 0 else DEFAULT_SLOTS


def region_score(ctx: Context, who: Identity, region: str, year: int) -> RegionMaturity:
    """Over the region's active, non-exempt OPDs of the directory copy."""
    require_visible(who, region)
    policy = repo.policy(ctx.db, region, year)
    units = [u["code"] for u in repo.active_units(ctx.db, region)]
    return region_maturity(
        region,
        units,
        repo.innovations(ctx.db, region, year=year),
        year=year,
        slots=_slots(policy.required_per_unit),
        exempt_units=policy.exempt_units,
    )


def unit_score(ctx: Context, who: Identity, region: str, unit: str, year: int) -> UnitMaturity:
    require_visible(who, region)
    if unit not in repo.unit_names(ctx.db, region):
        raise NotFound(f"unit {unit} not found in {region}")
    policy = repo.policy(ctx.db, region, year)
    own = repo.innovations(ctx.db, region, year=year, owner_unit=unit)
    return unit_maturity(unit, own, year=year, slots=_slots(policy.required_per_unit))


def stats(
    ctx: Context,
    who: Identity,
    region: str,
    unit: str | None,
    first: int | None,
    last: int | None,
) -> tuple[YearStats, ...]:
    """Year-on-year counts for the region (or one OPD as owner or partner), for the years
    `first`..`last` (default: the years that have innovations)."""
    require_visible(who, region)
    if first is not None and last is not None and first > last:
        raise ValidationProblem({"to": ["May not be before from."]})
    items = [i for i in repo.innovations(ctx.db, region) if matches(i, InnovationFilter(unit=unit))]
    present = [i.year for i in items]
    if first is None and last is None:
        return innovation_stats(items)
    low = first if first is not None else min(present, default=last or 0)
    high = last if last is not None else max(present, default=low)
    return innovation_stats(items, range(low, high + 1))
