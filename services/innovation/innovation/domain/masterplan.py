"""The Smart City master plan of a region: period, versions (reviews) and programmes.

A plan covers a period of years (the national guideline: 5-10 years, e.g. 2018-2027; up to
MAX_PERIOD_YEARS is accepted). Programmes belong to one of the six pillars and a horizon, have an
owner unit, targets (indicators) and a status, and lie inside the plan period. A programme's id
is a code the region chooses (e.g. `SG-01`), unique within the plan and never changed, so
innovations link to it by `programme_id`.

Versions: creating a plan records version 1. Programme edits change the current version;
`review_master_plan` closes a review (yearly, as a rule): it records what changed, why, by whom
and when, may change title and period, and bumps the version number. The store may keep a
snapshot per version; the domain keeps the review records.

Progress and the review report are computed in progress.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from smartcity_shared.errors import Conflict, NotFound

from .parsing import Problems, Reader, as_mapping, body, join
from .vocab import Horizon, Pillar, ProgrammeStatus

PLAN_FIELDS = ("title", "start_year", "end_year", "programmes")
PROGRAMME_FIELDS = (
    "id",
    "name",
    "pillar",
    "horizon",
    "owner_unit",
    "start_year",
    "end_year",
    "status",
    "description",
    "targets",
)
TARGET_FIELDS = ("indicator", "baseline", "target", "measure", "year")
REVIEW_FIELDS = ("changes", "reason", "title", "start_year", "end_year")
MAX_PERIOD_YEARS = 20
MAX_PROGRAMMES = 300
HORIZON_YEARS: dict[Horizon, int | None] = {
    Horizon.QUICK_WIN: 2,
    Horizon.SHORT: 3,
    Horizon.MEDIUM: 5,
    Horizon.LONG: None,
}
"""Default length in years of a programme of each horizon from its start (None: to plan end)."""


@dataclass(frozen=True)
class Target:
    """An indicator with an optional baseline and target value in `measure` (%, people, ...)."""

    indicator: str
    baseline: float | None = None
    target: float | None = None
    measure: str = ""
    year: int | None = None


@dataclass(frozen=True)
class Programme:
    """A master-plan programme; years are inclusive and inside the plan period."""

    id: str
    name: str
    pillar: Pillar
    horizon: Horizon
    owner_unit: str
    start_year: int
    end_year: int
    status: ProgrammeStatus = ProgrammeStatus.PLANNED
    description: str = ""
    targets: tuple[Target, ...] = ()


@dataclass(frozen=True)
class PlanReview:
    """One version of the plan: what changed, why, by whom, when."""

    version: int
    on: date
    by: str
    changes: str
    reason: str = ""


@dataclass(frozen=True)
class MasterPlan:
    id: str
    region: str
    title: str
    start_year: int
    end_year: int
    programmes: tuple[Programme, ...] = ()
    reviews: tuple[PlanReview, ...] = ()

    @property
    def version(self) -> int:
        return self.reviews[-1].version if self.reviews else 1

    def programme(self, programme_id: str) -> Programme:
        """The programme with this id; raises NotFound."""
        for programme in self.programmes:
            if programme.id == programme_id:
                return programme
        raise NotFound(f"Programme {programme_id} not found.")


def create_master_plan(
    data: object, *, plan_id: str, region: str, by: str, today: date
) -> MasterPlan:
    """A new plan (version 1) from {title, start_year, end_year, programmes?}.

    Raises ValidationProblem with every problem, including duplicate programme ids.
    """
    problems = Problems()
    reader = Reader(body(data, problems, PLAN_FIELDS), problems)
    title = reader.text("title", required=True, max_len=200)
    before = problems.count()
    start, end = _read_period(reader, required=True)
    if start is not None and end is not None:
        _check_period(start, end, problems, "end_year")
    if problems.count() > before:  # no valid period to place programmes in
        start = end = None
    programmes: list[Programme] = []
    for path, raw in reader.items("programmes", max_items=MAX_PROGRAMMES):
        programme = _parse_programme(raw, problems, path, start, end)
        if programme and any(p.id == programme.id for p in programmes):
            problems.add(join(path, "id"), "Duplicate programme id.")
        elif programme:
            programmes.append(programme)
    problems.raise_if_any()
    assert start is not None and end is not None
    first = PlanReview(1, today, by, "Master plan created.")
    return MasterPlan(plan_id, region, title, start, end, tuple(programmes), (first,))


def add_programme(plan: MasterPlan, data: object) -> MasterPlan:
    """The plan with a new programme; raises ValidationProblem, or Conflict for a used id."""
    problems = Problems()
    programme = _parse_programme(data, problems, "", plan.start_year, plan.end_year)
    problems.raise_if_any()
    assert programme is not None
    if any(p.id == programme.id for p in plan.programmes):
        raise Conflict(f"Programme {programme.id} already exists in this master plan.")
    if len(plan.programmes) >= MAX_PROGRAMMES:
        raise Conflict(f"A master plan has at most {MAX_PROGRAMMES} programmes.")
    return replace(plan, programmes=(*plan.programmes, programme))


def update_programme(plan: MasterPlan, programme_id: str, changes: object) -> MasterPlan:
    """The plan with a partial edit of one programme (its id cannot change).

    Raises NotFound for an unknown programme and ValidationProblem for invalid changes.
    """
    current = plan.programme(programme_id)
    problems = Problems()
    fields = body(changes, problems, PROGRAMME_FIELDS)
    if "id" in fields and fields.pop("id") != programme_id:
        problems.add("id", "A programme's id cannot change.")
    merged = {**_programme_input(current), **fields}
    updated = _parse_programme(merged, problems, "", plan.start_year, plan.end_year)
    problems.raise_if_any()
    assert updated is not None
    programmes = tuple(updated if p.id == programme_id else p for p in plan.programmes)
    return replace(plan, programmes=programmes)


def review_master_plan(plan: MasterPlan, data: object, *, by: str, today: date) -> MasterPlan:
    """The plan after a review {changes, reason, title?, start_year?, end_year?}: next version.

    Raises ValidationProblem: missing changes/reason, a review dated before the last one, or a
    new period that no longer contains every programme.
    """
    problems = Problems()
    reader = Reader(body(data, problems, REVIEW_FIELDS), problems)
    changes = reader.text("changes", required=True, max_len=5000)
    reason = reader.text("reason", required=True, max_len=5000)
    title = reader.text("title", max_len=200) or plan.title
    start, end = _read_period(reader, required=False)
    start, end = start or plan.start_year, end or plan.end_year
    _check_period(start, end, problems, "end_year")
    outside = [p.id for p in plan.programmes if p.start_year < start or p.end_year > end]
    if outside:
        problems.add("end_year", f"Programmes outside the new period: {', '.join(outside)}.")
    if plan.reviews and today < plan.reviews[-1].on:
        problems.add("_schema", f"The last review is dated {plan.reviews[-1].on}.")
    problems.raise_if_any()
    review = PlanReview(plan.version + 1, today, by, changes, reason)
    return replace(
        plan, title=title, start_year=start, end_year=end, reviews=(*plan.reviews, review)
    )


def _read_period(reader: Reader, *, required: bool) -> tuple[int | None, int | None]:
    start = reader.integer("start_year", required=required, minimum=2000, maximum=2100)
    end = reader.integer("end_year", required=required, minimum=2000, maximum=2100)
    return start, end


def _check_period(start: int, end: int, problems: Problems, path: str) -> None:
    if end < start:
        problems.add(path, "May not be before start_year.")
    elif end - start + 1 > MAX_PERIOD_YEARS:
        problems.add(path, f"A period spans at most {MAX_PERIOD_YEARS} years.")


def _parse_programme(
    data: object, problems: Problems, path: str, plan_start: int | None, plan_end: int | None
) -> Programme | None:
    before = problems.count()
    fields = as_mapping(data, problems, path, PROGRAMME_FIELDS)
    if fields is None:
        return None
    reader = Reader(fields, problems, path)
    programme_id = reader.code("id", required=True)
    name = reader.text("name", required=True, max_len=200)
    pillar = reader.choice("pillar", Pillar, required=True)
    horizon = reader.choice("horizon", Horizon, required=True)
    owner_unit = reader.code("owner_unit", required=True)
    status = reader.choice("status", ProgrammeStatus) or ProgrammeStatus.PLANNED
    description = reader.text("description", max_len=5000)
    targets = _read_targets(reader)
    start = reader.integer("start_year", minimum=2000, maximum=2100) or plan_start
    end = reader.integer("end_year", minimum=2000, maximum=2100)
    if end is None and start is not None and horizon is not None and plan_end is not None:
        length = HORIZON_YEARS[horizon]
        end = plan_end if length is None else min(plan_end, start + length - 1)
    _check_within(reader, start, end, plan_start, plan_end)
    if problems.count() > before or start is None or end is None:
        return None  # a problem was reported (no years only when the plan period is invalid)
    assert programme_id and pillar and horizon and owner_unit
    values = (name, pillar, horizon, owner_unit, start, end, status, description, targets)
    return Programme(programme_id, *values)


def _check_within(
    reader: Reader, start: int | None, end: int | None, lo: int | None, hi: int | None
) -> None:
    if start is None or end is None or lo is None or hi is None:
        return
    if end < start:
        reader.problems.add(reader.path("end_year"), "May not be before start_year.")
    if start < lo or end > hi:
        message = f"Must lie within the plan period {lo}-{hi}."
        reader.problems.add(reader.path("start_year"), message)


def _read_targets(reader: Reader) -> tuple[Target, ...]:
    targets: list[Target] = []
    for path, raw in reader.items("targets", max_items=50):
        fields = as_mapping(raw, reader.problems, path, TARGET_FIELDS)
        if fields is None:
            continue
        item = Reader(fields, reader.problems, path)
        indicator = item.text("indicator", required=True, max_len=500)
        baseline = item.number("baseline")
        target = item.number("target")
        measure = item.text("measure", max_len=50)
        year = item.integer("year", minimum=2000, maximum=2100)
        targets.append(Target(indicator, baseline, target, measure, year))
    return tuple(targets)


def _programme_input(programme: Programme) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(programme, name) for name in PROGRAMME_FIELDS}
    values["targets"] = [
        {
            "indicator": t.indicator,
            "baseline": t.baseline,
            "target": t.target,
            "measure": t.measure,
            "year": t.year,
        }
        for t in programme.targets
    ]
    return values
