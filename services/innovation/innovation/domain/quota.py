"""The innovation quota per region and year, and the compliance report (CONTRACT.md).

Counting: an innovation counts for its OWNER unit (partners get no credit) when it belongs to the
policy's region and year, is active (not discontinued) and its stage is at least `min_stage`.
Per unit: shortfall = max(0, required - counted). Every unit of the region's directory is
listed, also those without any innovation (full shortfall). An exempt unit is listed with
`exempt=True`, `required=0`, `shortfall=0` and status `exempt`.

Status of a unit on a day `today`, the period running from 1 January of the policy year to the
deadline (both included):
- `on_track`: no shortfall; or short, but not fewer innovations than the whole-number share of
  the quota that the elapsed part of the period calls for;
- `at_risk`: short and counted < floor(required x elapsed days / period days), elapsed days
  counting today, checked up to and including the deadline day. With 3 required and a
  31 December deadline in a non-leap year, 0 counted is at risk from 2 May, 1 counted from
  1 September, 2 counted on 31 December;
- `behind`: short after the deadline.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .innovation import Innovation
from .parsing import Problems, Reader, body
from .vocab import ACTIVE_STAGES, Stage, stage_at_least

DEFAULT_REQUIRED_PER_UNIT = 3
DEFAULT_MIN_STAGE = Stage.TRIAL
POLICY_FIELDS = ("required_per_unit", "min_stage", "exempt_units", "deadline")
MAX_REQUIRED = 100


class ComplianceStatus(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BEHIND = "behind"
    EXEMPT = "exempt"


class DeadlinePhase(StrEnum):
    OPEN = "open"
    NEAR = "near"
    PASSED = "passed"


@dataclass(frozen=True)
class QuotaPolicy:
    """The quota of one region and year; `deadline` defaults to 31 December of the year."""

    region: str
    year: int
    required_per_unit: int = DEFAULT_REQUIRED_PER_UNIT
    min_stage: Stage = DEFAULT_MIN_STAGE
    exempt_units: frozenset[str] = frozenset()
    deadline: date | None = None

    @property
    def period_start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def due(self) -> date:
        """The deadline, or 31 December of the year when none was set."""
        return self.deadline or date(self.year, 12, 31)


def default_policy(region: str, year: int) -> QuotaPolicy:
    """The policy that applies when an admin has set none: 3 per unit, at least `trial`."""
    return QuotaPolicy(region, year)


def parse_quota_policy(data: object, *, region: str, year: int) -> QuotaPolicy:
    """A QuotaPolicy from a body {required_per_unit?, min_stage?, exempt_units?, deadline?}.

    Absent fields take the defaults. The deadline must fall between 1 January of the year and
    31 December of the next year. Raises ValidationProblem with every problem.
    """
    problems = Problems()
    reader = Reader(body(data, problems, POLICY_FIELDS), problems)
    required = reader.integer("required_per_unit", minimum=0, maximum=MAX_REQUIRED)
    min_stage = reader.choice("min_stage", Stage) or DEFAULT_MIN_STAGE
    exempt = reader.codes("exempt_units", max_items=500)
    deadline = reader.day("deadline")
    if min_stage is Stage.DISCONTINUED:
        problems.add("min_stage", "Must be an active stage.")
    if deadline and not date(year, 1, 1) <= deadline <= date(year + 1, 12, 31):
        problems.add("deadline", f"Must fall between {year}-01-01 and {year + 1}-12-31.")
    problems.raise_if_any()
    required = DEFAULT_REQUIRED_PER_UNIT if required is None else required
    return QuotaPolicy(region, year, required, min_stage, frozenset(exempt), deadline)


def counts_toward_quota(policy: QuotaPolicy, innovation: Innovation) -> bool:
    """Same region and year, active, and at least the policy's minimum stage."""
    return (
        innovation.region == policy.region
        and innovation.year == policy.year
        and stage_at_least(innovation.stage, policy.min_stage)
    )


def deadline_phase(policy: QuotaPolicy, today: date, *, warn_days: int = 30) -> DeadlinePhase:
    """`passed` after the deadline, `near` within `warn_days` before it (deadline day included)."""
    if today > policy.due:
        return DeadlinePhase.PASSED
    return DeadlinePhase.NEAR if (policy.due - today).days <= warn_days else DeadlinePhase.OPEN


def unit_status(policy: QuotaPolicy, counted: int, today: date) -> ComplianceStatus:
    """The status of a non-exempt unit with `counted` innovations (rule in the module docstring)."""
    required = policy.required_per_unit
    if counted >= required:
        return ComplianceStatus.ON_TRACK
    if today > policy.due:
        return ComplianceStatus.BEHIND
    period = (policy.due - policy.period_start).days + 1
    elapsed = min(period, max(0, (today - policy.period_start).days + 1))
    expected_by_now = (required * elapsed) // period
    return ComplianceStatus.AT_RISK if counted < expected_by_now else ComplianceStatus.ON_TRACK


@dataclass(frozen=True)
class UnitCompliance:
    """One unit's line of the report; `innovation_ids` are the counted innovations."""

    unit: str
    required: int
    counted: int
    shortfall: int
    exempt: bool
    status: ComplianceStatus
    registered: int
    by_stage: Mapping[str, int]
    innovation_ids: tuple[str, ...]


@dataclass(frozen=True)
class ComplianceTotals:
    """Region totals; `required`, `counted` and `shortfall` are sums over non-exempt units."""

    units: int
    exempt_units: int
    units_met: int
    units_short: int
    required: int
    counted: int
    shortfall: int
    on_track: int
    at_risk: int
    behind: int


@dataclass(frozen=True)
class ComplianceReport:
    """The compliance of one region and year on `as_of`, units sorted by code.

    `unlisted_units` names owner units of this region and year's innovations that are not in the
    directory (renamed or removed units), so an admin can see innovations no row accounts for.
    """

    region: str
    year: int
    as_of: date
    required_per_unit: int
    min_stage: Stage
    deadline: date
    units: tuple[UnitCompliance, ...]
    totals: ComplianceTotals
    unlisted_units: tuple[str, ...]

    def unit(self, code: str) -> UnitCompliance | None:
        return next((row for row in self.units if row.unit == code), None)


def compliance(
    policy: QuotaPolicy, units: Iterable[str], innovations: Iterable[Innovation], today: date
) -> ComplianceReport:
    """The compliance report of `policy`'s region and year on `today`.

    `units` are the unit codes of the region from the directory (duplicates ignored);
    `innovations` may contain other regions and years, which are ignored. Pure and total.
    """
    codes = sorted(set(units))
    of_year = [i for i in innovations if i.region == policy.region and i.year == policy.year]
    rows = tuple(_unit_row(policy, code, of_year, today) for code in codes)
    unlisted = sorted({i.owner_unit for i in of_year} - set(codes))
    head = (policy.region, policy.year, today, policy.required_per_unit, policy.min_stage)
    return ComplianceReport(*head, policy.due, rows, _totals(rows), tuple(unlisted))


def _unit_row(
    policy: QuotaPolicy, code: str, of_year: list[Innovation], today: date
) -> UnitCompliance:
    owned = [i for i in of_year if i.owner_unit == code]
    counted_ids = tuple(sorted(i.id for i in owned if counts_toward_quota(policy, i)))
    stages = Counter(i.stage.value for i in owned)
    by_stage = {s.value: stages[s.value] for s in (*ACTIVE_STAGES, Stage.DISCONTINUED)}
    exempt = code in policy.exempt_units
    required = 0 if exempt else policy.required_per_unit
    counted = len(counted_ids)
    status = ComplianceStatus.EXEMPT if exempt else unit_status(policy, counted, today)
    return UnitCompliance(
        unit=code,
        required=required,
        counted=counted,
        shortfall=max(0, required - counted),
        exempt=exempt,
        status=status,
        registered=len(owned),
        by_stage=by_stage,
        innovation_ids=counted_ids,
    )


def _totals(rows: tuple[UnitCompliance, ...]) -> ComplianceTotals:
    liable = [r for r in rows if not r.exempt]
    statuses = Counter(r.status for r in rows)
    return ComplianceTotals(
        units=len(rows),
        exempt_units=len(rows) - len(liable),
        units_met=sum(1 for r in liable if r.shortfall == 0),
        units_short=sum(1 for r in liable if r.shortfall > 0),
        required=sum(r.required for r in liable),
        counted=sum(r.counted for r in liable),
        shortfall=sum(r.shortfall for r in liable),
        on_track=statuses[ComplianceStatus.ON_TRACK],
        at_risk=statuses[ComplianceStatus.AT_RISK],
        behind=statuses[ComplianceStatus.BEHIND],
    )


class ChangeKind(StrEnum):
    SHORTFALL_DETECTED = "shortfall_detected"
    SHORTFALL_CHANGED = "shortfall_changed"
    MET = "met"
    STATUS_CHANGED = "status_changed"


@dataclass(frozen=True)
class ComplianceChange:
    """How one unit's line differs between two reports."""

    unit: str
    kind: ChangeKind
    shortfall_before: int
    shortfall_after: int
    status_before: ComplianceStatus | None
    status_after: ComplianceStatus


def compliance_changes(
    before: ComplianceReport | None, after: ComplianceReport
) -> list[ComplianceChange]:
    """Per unit of `after`, the most significant change since `before`, sorted by unit.

    - `shortfall_detected`: shortfall went from 0 to more (-> quota shortfall detected event);
    - `met`: shortfall went from more to 0, including by becoming exempt (-> quota met event);
    - `shortfall_changed`: still short, by a different number;
    - `status_changed`: same shortfall, other status (e.g. on_track -> at_risk -> behind).
    A unit missing from `before` (or `before` None, a first report) is compared with a line
    without shortfall and without status, so a short unit yields `shortfall_detected`.
    Units only in `before` (left the directory) yield nothing. Identical reports yield [].
    """
    previous = {row.unit: row for row in before.units} if before else {}
    changes: list[ComplianceChange] = []
    for row in after.units:
        old = previous.get(row.unit)
        shortfall_before = old.shortfall if old else 0
        status_before = old.status if old else None
        kind = _change_kind(shortfall_before, row.shortfall, status_before, row.status)
        if kind is not None:
            change = ComplianceChange(
                row.unit, kind, shortfall_before, row.shortfall, status_before, row.status
            )
            changes.append(change)
    return changes


def _change_kind(
    before: int, after: int, status_before: ComplianceStatus | None, status_after: ComplianceStatus
) -> ChangeKind | None:
    if before == 0 and after > 0:
        return ChangeKind.SHORTFALL_DETECTED
    if before > 0 and after == 0:
        return ChangeKind.MET
    if before != after:
        return ChangeKind.SHORTFALL_CHANGED
    if status_before is not None and status_before != status_after:
        return ChangeKind.STATUS_CHANGED
    return None
