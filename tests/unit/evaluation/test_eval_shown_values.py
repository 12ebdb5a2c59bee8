"""A band and a change name the numbers a reader sees (2 decimals), not the exact ones."""

from __future__ import annotations

from fractions import Fraction

from evaluation.domain import (
    breakdown,
    compare_breakdowns,
    deltas_to_dict,
    reported_change,
    score_submission,
)
from tests.unit.evaluation.eval_factories import build, dimension, indicator, number_q, one_question

BANDS = [
    {"label": "Kurang", "min": 0},
    {"label": "Cukup", "min": 1.8},
    {"label": "Baik", "min": 2.6},
]


def test_a_score_shown_as_1_80_is_cukup_where_cukup_starts_at_1_80() -> None:
    # 0.359 x 5 = 1.795 exactly: below 1.80, but reported (half up) as 1.80
    framework = one_question(number_q("q", 1000), bands=BANDS)
    card = score_submission(framework, {"q": 359}).to_dict()["final"]
    assert card["overall"] == 1.8
    assert card["band"] == "Cukup"


def test_a_score_shown_as_1_79_stays_kurang() -> None:
    framework = one_question(number_q("q", 100000), bands=BANDS)
    card = score_submission(framework, {"q": 35899}).to_dict()["final"]  # 1.79495
    assert (card["overall"], card["band"]) == (1.79, "Kurang")


def test_the_change_is_the_difference_of_the_shown_scores() -> None:
    # 2.2951 (shown 2.30) -> 2.5949 (shown 2.59): the exact change 0.2998 rounds to 0.30,
    # 2.3049 -> 2.5851 likewise shown 2.30 -> 2.59, exact change 0.2802 rounds to 0.28;
    # the reader sees +0.29 in both cases
    scale = Fraction(5)
    for previous, current in (
        (Fraction("2.2951"), Fraction("2.5949")),
        (Fraction("2.3049"), Fraction("2.5851")),
    ):
        assert reported_change(current / scale, previous / scale, scale) == Fraction("0.29")


def test_year_on_year_deltas_are_differences_of_reported_scores() -> None:
    framework = build(dimension("d", indicator("i", number_q("q", 100000))), bands=BANDS)
    previous = score_submission(framework, {"q": 46098})  # 2.3049 -> 2.30
    current = score_submission(framework, {"q": 51702})  # 2.5851 -> 2.59
    deltas = compare_breakdowns(
        breakdown(framework, current.overall, current.final.dimensions, current.final.tags),
        breakdown(framework, previous.overall, previous.final.dimensions, previous.final.tags),
    )
    reported = deltas_to_dict(deltas, framework.scale_max)
    assert reported["overall"] == {"current": 2.59, "previous": 2.3, "delta": 0.29}
    assert reported["dimensions"]["d"]["delta"] == 0.29


def test_a_missing_side_has_no_change() -> None:
    assert reported_change(None, Fraction(1, 2), Fraction(5)) is None
