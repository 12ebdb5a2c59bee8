"""Programme progress rolled up from innovations, and the master-plan review report."""

from __future__ import annotations

from datetime import date

import pytest

from innovation.domain.innovation import Innovation
from innovation.domain.masterplan import MasterPlan, Programme
from innovation.domain.milestones import Milestone
from innovation.domain.progress import (
    ProgressWeights,
    elapsed_share,
    master_plan_report,
    programme_progress,
    review_programme,
)
from innovation.domain.vocab import Horizon, Pillar, ProgrammeStatus, Stage
from tests.unit.innovation.inno_factories import REGION, make_innovation, milestone

PROGRAMME = Programme(
    "SB-01", "Tourism events", Pillar.BRANDING, Horizon.SHORT, "disparpora", 2019, 2021
)


def linked(
    innovation_id: str,
    stage: Stage,
    *,
    name: str = "",
    region: str = REGION,
    milestones: tuple[Milestone, ...] = (),
) -> Innovation:
    return make_innovation(
        innovation_id,
        stage=stage,
        programme_id="SB-01",
        name=name,
        region=region,
        milestones=milestones,
    )


def test_progress_is_the_mean_stage_weight_without_milestones() -> None:
    innovations = [
        linked("a", Stage.INITIATIVE),
        linked("b", Stage.TRIAL),
        linked("c", Stage.IMPLEMENTED),
        linked("d", Stage.DISCONTINUED),
        make_innovation("other", stage=Stage.IMPLEMENTED, programme_id="SG-01"),
    ]
    result = programme_progress("SB-01", innovations)
    assert result.stage_component == pytest.approx((0.25 + 0.6 + 1.0) / 3, abs=1e-4)
    assert result.milestone_component is None
    assert result.progress == result.stage_component
    assert (result.active_innovations, result.discontinued_innovations) == (3, 1)
    assert result.weights.stages[Stage.TRIAL] == 0.6


def test_milestones_blend_in_with_their_share() -> None:
    done = milestone("m1", date(2020, 1, 1), date(2020, 1, 1))
    todo = milestone("m2", date(2020, 9, 1))
    innovations = [linked("a", Stage.TRIAL, milestones=(done, todo))]
    result = programme_progress("SB-01", innovations)
    assert result.milestone_component == 0.5
    assert result.progress == pytest.approx(0.7 * 0.6 + 0.3 * 0.5)
    assert (result.milestones_total, result.milestones_done) == (2, 1)


def test_no_active_innovation_means_no_progress_figure() -> None:
    result = programme_progress("SB-01", [linked("d", Stage.DISCONTINUED)])
    assert result.progress is None


def test_custom_weights_are_used_and_returned() -> None:
    weights = ProgressWeights(
        stages={Stage.INITIATIVE: 0.0, Stage.TRIAL: 0.5, Stage.IMPLEMENTED: 1}
    )
    result = programme_progress("SB-01", [linked("b", Stage.TRIAL)], weights)
    assert result.progress == 0.5
    assert result.weights is weights


def test_elapsed_share_of_a_programme_period() -> None:
    assert elapsed_share(PROGRAMME, date(2018, 12, 31)) == 0
    assert elapsed_share(PROGRAMME, date(2019, 1, 1)) == pytest.approx(1 / 1096, abs=1e-4)
    assert elapsed_share(PROGRAMME, date(2022, 1, 1)) == 1


def test_overdue_milestones_put_a_programme_behind_schedule() -> None:
    late = milestone("m1", date(2019, 5, 1), title="Launch weekly market")
    innovations = [linked("a", Stage.IMPLEMENTED, name="Minggon Jatinan", milestones=(late,))]
    review = review_programme(PROGRAMME, innovations, date(2019, 6, 1))
    assert review.behind_schedule
    assert review.reasons == ("1 milestone(s) overdue: Launch weekly market (Minggon Jatinan).",)
    assert review.innovations[0].overdue_milestones == (late,)


def test_a_programme_on_pace_is_not_behind() -> None:
    innovations = [linked("a", Stage.TRIAL)]
    review = review_programme(PROGRAMME, innovations, date(2020, 3, 1))
    assert not review.behind_schedule
    assert review.stage_counts == {
        "initiative": 0,
        "trial": 1,
        "implemented": 0,
        "discontinued": 0,
    }


def test_a_programme_without_innovations_falls_behind_as_its_period_passes() -> None:
    assert not review_programme(PROGRAMME, [], date(2019, 6, 1)).behind_schedule
    late = review_programme(PROGRAMME, [], date(2020, 1, 1))
    assert late.behind_schedule
    assert late.reasons[0].startswith("No active innovation is linked")


def test_an_ended_period_is_a_reason_unless_completed_or_cancelled() -> None:
    innovations = [linked("a", Stage.IMPLEMENTED)]
    review = review_programme(PROGRAMME, innovations, date(2022, 2, 1))
    assert review.reasons == ("The programme period ended in 2021; not completed.",)
    for status in (ProgrammeStatus.COMPLETED, ProgrammeStatus.CANCELLED):
        finished = Programme(**{**PROGRAMME.__dict__, "status": status})
        assert not review_programme(finished, [], date(2022, 2, 1)).behind_schedule


def test_milestones_of_discontinued_innovations_are_not_overdue() -> None:
    late = milestone("m1", date(2019, 5, 1))
    innovations = [linked("a", Stage.DISCONTINUED, milestones=(late,)), linked("b", Stage.TRIAL)]
    review = review_programme(PROGRAMME, innovations, date(2019, 6, 1))
    assert not review.behind_schedule


def test_master_plan_report_covers_every_programme_and_pillar() -> None:
    other = Programme("SE-01", "Waste bank", Pillar.ENVIRONMENT, Horizon.LONG, "dlh", 2018, 2027)
    plan = MasterPlan("mp", REGION, "Masterplan", 2018, 2027, (PROGRAMME, other))
    innovations = [
        linked("a", Stage.IMPLEMENTED),
        linked("x", Stage.IMPLEMENTED, region="kab-pekalongan"),
    ]
    report = master_plan_report(plan, innovations, date(2021, 1, 1))
    assert [r.programme.id for r in report.programmes] == ["SB-01", "SE-01"]
    assert [i.id for i in report.programmes[0].innovations] == ["a"]
    assert len(report.pillars) == 6
    branding = next(p for p in report.pillars if p.pillar is Pillar.BRANDING)
    assert (branding.programmes, branding.progress) == (1, 1.0)
    assert report.behind == sum(r.behind_schedule for r in report.programmes)
    assert report.programmes[1].behind_schedule  # nothing linked, 30% of 2018-2027 passed
