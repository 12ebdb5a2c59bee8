"""Programme progress rolled up from linked innovations, and the master-plan review report.

Progress of a programme (0..1), with the weights returned beside the result so clients show them:
- stage component: the mean over the ACTIVE linked innovations of the weight of their stage
  (default initiative 0.25, trial 0.6, implemented 1.0); discontinued innovations are listed
  but excluded;
- milestone component: completed milestones / all milestones of the active linked innovations;
- progress = stage_share x stage + milestone_share x milestone (default 0.7 / 0.3), or the stage
  component alone when those innovations have no milestones; None when no active innovation
  is linked (nothing to measure, shown as "no data", not as 0 %).

Behind schedule (never for `completed` or `cancelled` programmes), with one reason per cause:
- a milestone of an active linked innovation is overdue (see milestones.is_overdue);
- the programme's period (1 Jan start_year .. 31 Dec end_year) is over and it is not completed;
- pace: the share of the period elapsed exceeds progress (0 when None) by more than
  `pace_tolerance` (default 0.25).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from .innovation import Innovation
from .masterplan import MasterPlan, Programme
from .milestones import Milestone, is_overdue
from .parsing import round_half_up
from .vocab import ACTIVE_STAGES, Pillar, ProgrammeStatus, Stage

DEFAULT_STAGE_WEIGHTS: Mapping[Stage, float] = MappingProxyType(
    {Stage.INITIATIVE: 0.25, Stage.TRIAL: 0.6, Stage.IMPLEMENTED: 1.0}
)
FINISHED = frozenset({ProgrammeStatus.COMPLETED, ProgrammeStatus.CANCELLED})


@dataclass(frozen=True)
class ProgressWeights:
    """The weights of the roll-up; returned with every result."""

    stages: Mapping[Stage, float] = field(default_factory=lambda: DEFAULT_STAGE_WEIGHTS)
    stage_share: float = 0.7
    milestone_share: float = 0.3
    pace_tolerance: float = 0.25


@dataclass(frozen=True)
class ProgrammeProgress:
    """The roll-up of one programme; components are 0..1 rounded to 4 places, or None."""

    programme_id: str
    progress: float | None
    stage_component: float | None
    milestone_component: float | None
    active_innovations: int
    discontinued_innovations: int
    milestones_total: int
    milestones_done: int
    weights: ProgressWeights


def programme_progress(
    programme_id: str, innovations: Iterable[Innovation], weights: ProgressWeights | None = None
) -> ProgrammeProgress:
    """The progress of the programme from the innovations whose programme_id is `programme_id`.

    Other innovations are ignored; pass only the plan's region's innovations.
    """
    weights = weights or ProgressWeights()
    linked = [i for i in innovations if i.programme_id == programme_id]
    active = [i for i in linked if i.active]
    milestones = [m for i in active for m in i.milestones]
    done = sum(1 for m in milestones if m.done)
    stage = _mean([weights.stages.get(i.stage, 0.0) for i in active])
    milestone = done / len(milestones) if milestones else None
    if stage is None:
        progress = None
    elif milestone is None:
        progress = stage
    else:
        progress = weights.stage_share * stage + weights.milestone_share * milestone
    return ProgrammeProgress(
        programme_id=programme_id,
        progress=_round(progress),
        stage_component=_round(stage),
        milestone_component=_round(milestone),
        active_innovations=len(active),
        discontinued_innovations=len(linked) - len(active),
        milestones_total=len(milestones),
        milestones_done=done,
        weights=weights,
    )


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _round(value: float | None) -> float | None:
    return None if value is None else round_half_up(value, 4)


@dataclass(frozen=True)
class LinkedInnovation:
    """A linked innovation as the review shows it."""

    id: str
    name: str
    owner_unit: str
    year: int
    stage: Stage
    milestones_total: int
    milestones_done: int
    overdue_milestones: tuple[Milestone, ...]


@dataclass(frozen=True)
class ProgrammeReview:
    """One programme in the master-plan review; `elapsed` is the share of its period passed."""

    programme: Programme
    progress: ProgrammeProgress
    elapsed: float
    innovations: tuple[LinkedInnovation, ...]
    stage_counts: Mapping[str, int]
    behind_schedule: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PillarSummary:
    """Programmes of one pillar: how many, how many behind, mean progress of those measured."""

    pillar: Pillar
    programmes: int
    behind: int
    progress: float | None


@dataclass(frozen=True)
class MasterPlanReport:
    plan_id: str
    region: str
    version: int
    as_of: date
    programmes: tuple[ProgrammeReview, ...]
    pillars: tuple[PillarSummary, ...]
    behind: int


def elapsed_share(programme: Programme, today: date) -> float:
    """Share (0..1) of the programme's period (1 Jan start_year .. 31 Dec end_year) passed."""
    start, end = date(programme.start_year, 1, 1), date(programme.end_year, 12, 31)
    total = (end - start).days + 1
    passed = min(total, max(0, (today - start).days + 1))
    return round_half_up(passed / total, 4)


def review_programme(
    programme: Programme,
    innovations: Iterable[Innovation],
    today: date,
    weights: ProgressWeights | None = None,
) -> ProgrammeReview:
    """The review line of one programme on `today` (rules in the module docstring)."""
    weights = weights or ProgressWeights()
    linked = sorted(
        (i for i in innovations if i.programme_id == programme.id), key=lambda i: (i.year, i.id)
    )
    progress = programme_progress(programme.id, linked, weights)
    elapsed = elapsed_share(programme, today)
    lines = tuple(_linked(i, today) for i in linked)
    reasons = _behind_reasons(programme, progress, elapsed, lines, today, weights)
    stages = Counter(i.stage.value for i in linked)
    stage_counts = {s.value: stages[s.value] for s in (*ACTIVE_STAGES, Stage.DISCONTINUED)}
    return ProgrammeReview(
        programme, progress, elapsed, lines, stage_counts, bool(reasons), tuple(reasons)
    )


def _linked(innovation: Innovation, today: date) -> LinkedInnovation:
    overdue = tuple(m for m in innovation.milestones if is_overdue(m, today))
    return LinkedInnovation(
        id=innovation.id,
        name=innovation.name,
        owner_unit=innovation.owner_unit,
        year=innovation.year,
        stage=innovation.stage,
        milestones_total=len(innovation.milestones),
        milestones_done=sum(1 for m in innovation.milestones if m.done),
        overdue_milestones=overdue if innovation.active else (),
    )


def _behind_reasons(
    programme: Programme,
    progress: ProgrammeProgress,
    elapsed: float,
    lines: tuple[LinkedInnovation, ...],
    today: date,
    weights: ProgressWeights,
) -> list[str]:
    if programme.status in FINISHED:
        return []
    reasons: list[str] = []
    overdue = [f"{m.title} ({line.name})" for line in lines for m in line.overdue_milestones]
    if overdue:
        reasons.append(f"{len(overdue)} milestone(s) overdue: {'; '.join(overdue)}.")
    if today.year > programme.end_year:
        reasons.append(f"The programme period ended in {programme.end_year}; not completed.")
    achieved = progress.progress or 0.0
    if elapsed - achieved > weights.pace_tolerance:
        if progress.progress is None:
            reasons.append(f"No active innovation is linked; {elapsed:.0%} of the period passed.")
        else:
            reasons.append(
                f"Progress {achieved:.0%} trails the {elapsed:.0%} of the period passed."
            )
    return reasons


def master_plan_report(
    plan: MasterPlan,
    innovations: Iterable[Innovation],
    today: date,
    weights: ProgressWeights | None = None,
) -> MasterPlanReport:
    """Every programme of the plan reviewed on `today`, with a summary per pillar.

    Innovations of other regions are ignored.
    """
    own = [i for i in innovations if i.region == plan.region]
    reviews = tuple(review_programme(p, own, today, weights) for p in plan.programmes)
    pillars = tuple(_pillar_summary(pillar, reviews) for pillar in Pillar)
    behind = sum(1 for r in reviews if r.behind_schedule)
    return MasterPlanReport(plan.id, plan.region, plan.version, today, reviews, pillars, behind)


def _pillar_summary(pillar: Pillar, reviews: tuple[ProgrammeReview, ...]) -> PillarSummary:
    mine = [r for r in reviews if r.programme.pillar is pillar]
    measured = [r.progress.progress for r in mine if r.progress.progress is not None]
    return PillarSummary(
        pillar=pillar,
        programmes=len(mine),
        behind=sum(1 for r in mine if r.behind_schedule),
        progress=_round(_mean(measured)),
    )
