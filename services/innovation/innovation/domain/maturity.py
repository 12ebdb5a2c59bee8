"""Maturity of units and regions on the regional innovation index's 0-100 scale.

The formula, meant to be shown to users as is:

- An innovation earns points only when it is active and has evidence (profile evidence or
  evidence attached to a stage change); without evidence a claim earns nothing:
  stage points (initiative 20, trial 50, implemented 80) + 10 for having evidence + 10 when an
  assessor verified it at its current stage. So 30..100 per evidenced innovation.
- Unit score = the sum of the points of the unit's (owner's) active innovations of the year,
  divided by max(slots, their number), `slots` being the quota (default 3): missing
  innovations count as empty slots of 0 points, extra ones are averaged in.
- Region score = the mean of the scores of the region's non-exempt units, units without any
  innovation included with 0.
- A unit (region) that has no active innovation with evidence cannot be assessed: score 0.
- Scores are rounded half up to 2 decimals, and the predicate is read from the rounded score:
  > 60 Sangat Inovatif, 35-60 Inovatif, < 35 Kurang Inovatif, 0 Tidak Dapat Dinilai.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from .innovation import Innovation
from .parsing import round_half_up
from .vocab import Stage

STAGE_POINTS: Mapping[Stage, int] = MappingProxyType(
    {Stage.INITIATIVE: 20, Stage.TRIAL: 50, Stage.IMPLEMENTED: 80}
)
EVIDENCE_POINTS = 10
VERIFIED_POINTS = 10
DEFAULT_SLOTS = 3


class Predicate(StrEnum):
    SANGAT_INOVATIF = "sangat_inovatif"
    INOVATIF = "inovatif"
    KURANG_INOVATIF = "kurang_inovatif"
    TIDAK_DAPAT_DINILAI = "tidak_dapat_dinilai"


PREDICATE_LABELS: Mapping[Predicate, str] = MappingProxyType(
    {
        Predicate.SANGAT_INOVATIF: "Sangat Inovatif",
        Predicate.INOVATIF: "Inovatif",
        Predicate.KURANG_INOVATIF: "Kurang Inovatif",
        Predicate.TIDAK_DAPAT_DINILAI: "Tidak Dapat Dinilai",
    }
)


def predicate(score: float) -> Predicate:
    """The predicate of a 0-100 score: > 60, 35-60 (both included), > 0 and < 35, or 0."""
    if score <= 0:
        return Predicate.TIDAK_DAPAT_DINILAI
    if score > 60:
        return Predicate.SANGAT_INOVATIF
    if score >= 35:
        return Predicate.INOVATIF
    return Predicate.KURANG_INOVATIF


@dataclass(frozen=True)
class InnovationPoints:
    """How one innovation scored; `total` is 0 without evidence."""

    innovation_id: str
    stage: Stage
    stage_points: int
    evidence_points: int
    verification_points: int

    @property
    def total(self) -> int:
        return self.stage_points + self.evidence_points + self.verification_points


@dataclass(frozen=True)
class UnitMaturity:
    unit: str
    year: int
    score: float
    predicate: Predicate
    label: str
    assessable: bool
    slots: int
    innovations: tuple[InnovationPoints, ...]


@dataclass(frozen=True)
class RegionMaturity:
    region: str
    year: int
    score: float
    predicate: Predicate
    label: str
    assessable: bool
    units: tuple[UnitMaturity, ...]


def innovation_points(innovation: Innovation) -> InnovationPoints:
    """Points of one innovation (0 in every part when discontinued or without evidence)."""
    if not innovation.active or not innovation.all_evidence:
        return InnovationPoints(innovation.id, innovation.stage, 0, 0, 0)
    verified = VERIFIED_POINTS if innovation.is_verified else 0
    stage_points = STAGE_POINTS[innovation.stage]
    return InnovationPoints(
        innovation.id, innovation.stage, stage_points, EVIDENCE_POINTS, verified
    )


def unit_maturity(
    unit: str, innovations: Iterable[Innovation], *, year: int, slots: int = DEFAULT_SLOTS
) -> UnitMaturity:
    """The unit's score for `year` from the innovations it owns (others are ignored)."""
    own = sorted(
        (i for i in innovations if i.owner_unit == unit and i.year == year and i.active),
        key=lambda i: i.id,
    )
    points = tuple(innovation_points(i) for i in own)
    assessable = any(p.total > 0 for p in points)
    divisor = max(slots, len(points))
    score = round_half_up(sum(p.total for p in points) / divisor) if assessable else 0.0
    found = predicate(score)
    return UnitMaturity(
        unit, year, score, found, PREDICATE_LABELS[found], assessable, slots, points
    )


def region_maturity(
    region: str,
    units: Iterable[str],
    innovations: Iterable[Innovation],
    *,
    year: int,
    slots: int = DEFAULT_SLOTS,
    exempt_units: Iterable[str] = (),
) -> RegionMaturity:
    """The region's score for `year` over its non-exempt `units` (directory codes).

    Innovations of other regions are ignored.
    """
    own = [i for i in innovations if i.region == region]
    exempt = set(exempt_units)
    scored = tuple(
        unit_maturity(u, own, year=year, slots=slots) for u in sorted(set(units) - exempt)
    )
    assessable = any(u.assessable for u in scored)
    mean = sum(u.score for u in scored) / len(scored) if scored else 0.0
    score = round_half_up(mean) if assessable else 0.0
    found = predicate(score)
    return RegionMaturity(region, year, score, found, PREDICATE_LABELS[found], assessable, scored)
