"""Maturity on the regional innovation index scale: formula and predicates at the boundaries."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innovation.domain.innovation import Innovation
from innovation.domain.maturity import (
    PREDICATE_LABELS,
    Predicate,
    innovation_points,
    predicate,
    region_maturity,
    unit_maturity,
)
from innovation.domain.vocab import Stage
from tests.unit.innovation.inno_factories import REGION, make_innovation


def test_predicates_at_the_boundaries() -> None:
    assert predicate(0) is Predicate.TIDAK_DAPAT_DINILAI
    assert predicate(0.01) is Predicate.KURANG_INOVATIF
    assert predicate(34.99) is Predicate.KURANG_INOVATIF
    assert predicate(35) is Predicate.INOVATIF
    assert predicate(60) is Predicate.INOVATIF
    assert predicate(60.01) is Predicate.SANGAT_INOVATIF
    assert predicate(100) is Predicate.SANGAT_INOVATIF
    assert PREDICATE_LABELS[Predicate.SANGAT_INOVATIF] == "Sangat Inovatif"


def test_innovation_points_follow_the_formula() -> None:
    assert innovation_points(make_innovation(stage=Stage.INITIATIVE)).total == 30
    assert innovation_points(make_innovation(stage=Stage.TRIAL)).total == 60
    assert innovation_points(make_innovation(stage=Stage.IMPLEMENTED, verified=True)).total == 100
    assert innovation_points(make_innovation(stage=Stage.IMPLEMENTED, evidence=False)).total == 0
    assert innovation_points(make_innovation(stage=Stage.DISCONTINUED)).total == 0


def test_three_evidenced_trials_make_a_unit_inovatif_at_exactly_60() -> None:
    innovations = [make_innovation(str(n), stage=Stage.TRIAL) for n in range(3)]
    result = unit_maturity("dinkes", innovations, year=2020)
    assert result.score == 60
    assert result.predicate is Predicate.INOVATIF
    assert result.label == "Inovatif"


def test_one_verified_trial_more_tips_it_into_sangat_inovatif() -> None:
    innovations = [make_innovation(str(n), stage=Stage.TRIAL) for n in range(2)]
    innovations.append(make_innovation("v", stage=Stage.TRIAL, verified=True))
    assert unit_maturity("dinkes", innovations, year=2020).score == 63.33
    assert unit_maturity("dinkes", innovations, year=2020).predicate is Predicate.SANGAT_INOVATIF


def test_a_unit_at_exactly_35_is_inovatif_and_just_below_is_kurang() -> None:
    # two verified trials in 4 slots: (70 + 70) / 4 = 35
    innovations = [
        make_innovation("a", stage=Stage.TRIAL, verified=True),
        make_innovation("b", stage=Stage.TRIAL, verified=True),
    ]
    result = unit_maturity("dinkes", innovations, year=2020, slots=4)
    assert result.score == 35
    assert result.predicate is Predicate.INOVATIF
    below = [innovations[0], make_innovation("c", stage=Stage.TRIAL)]  # (70 + 60) / 4
    assert unit_maturity("dinkes", below, year=2020, slots=4).predicate is Predicate.KURANG_INOVATIF


def test_missing_innovations_are_empty_slots() -> None:
    result = unit_maturity("dinkes", [make_innovation(stage=Stage.IMPLEMENTED)], year=2020)
    assert result.score == 30  # 90 / 3 slots
    assert result.predicate is Predicate.KURANG_INOVATIF


def test_without_innovations_or_evidence_a_unit_cannot_be_assessed() -> None:
    nothing = unit_maturity("dinkes", [], year=2020)
    assert (nothing.score, nothing.assessable) == (0, False)
    assert nothing.predicate is Predicate.TIDAK_DAPAT_DINILAI
    unproven = [make_innovation(str(n), stage=Stage.IMPLEMENTED, evidence=False) for n in range(3)]
    assert unit_maturity("dinkes", unproven, year=2020).predicate is Predicate.TIDAK_DAPAT_DINILAI


def test_other_units_years_and_partners_do_not_count() -> None:
    innovations = [
        make_innovation("a", unit="disdik"),
        make_innovation("b", year=2019),
    ]
    assert not unit_maturity("dinkes", innovations, year=2020).assessable


def test_region_score_is_the_mean_over_non_exempt_units() -> None:
    innovations = [make_innovation(str(n), unit="dinkes", stage=Stage.TRIAL) for n in range(3)]
    innovations.append(make_innovation("x", unit="disdik", region="kab-pekalongan"))
    result = region_maturity(
        REGION, ["dinkes", "disdik", "setwan"], innovations, year=2020, exempt_units=["setwan"]
    )
    assert [u.unit for u in result.units] == ["dinkes", "disdik"]
    assert result.score == 30  # (60 + 0) / 2
    assert result.predicate is Predicate.KURANG_INOVATIF


def test_a_region_without_evidence_cannot_be_assessed() -> None:
    result = region_maturity(REGION, ["dinkes"], [], year=2020)
    assert (result.score, result.predicate) == (0, Predicate.TIDAK_DAPAT_DINILAI)


INNOVATIONS = st.lists(
    st.builds(
        make_innovation,
        innovation_id=st.uuids().map(str),
        unit=st.sampled_from(["u1", "u2"]),
        stage=st.sampled_from(list(Stage)),
        evidence=st.booleans(),
        verified=st.booleans(),
    ),
    max_size=12,
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(INNOVATIONS, st.integers(0, 5))
def test_scores_stay_on_the_scale_and_agree_with_their_predicate(
    innovations: list[Innovation], slots: int
) -> None:
    region = region_maturity(REGION, ["u1", "u2"], innovations, year=2020, slots=slots)
    for result in (region, *region.units):
        assert 0 <= result.score <= 100
        assert result.predicate is predicate(result.score)
        assert (result.score > 0) == result.assessable
