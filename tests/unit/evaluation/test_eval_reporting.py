"""Reported numbers: s x scale_max, rounded half up to 2 decimals on the exact value."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from evaluation.domain import report, round_half_up, score_submission
from tests.unit.evaluation.eval_factories import build, dimension, indicator, number_q, one_question


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(3485, 1000), "3.49"),
        (Fraction(3484999, 1000000), "3.48"),
        (Fraction(1, 3), "0.33"),
        (Fraction(2, 3), "0.67"),
        (Fraction(5, 1000), "0.01"),
        (Fraction(4999, 1000000), "0.00"),
        (Fraction(0), "0.00"),
        (Fraction(5), "5.00"),
        (Fraction(-125, 1000), "-0.13"),
        (Fraction(-3, 1000), "0.00"),
    ],
)
def test_round_half_up_to_two_decimals(value: Fraction, expected: str) -> None:
    rounded = round_half_up(value)
    assert rounded == Decimal(expected)
    assert str(rounded) == expected.replace("-0.00", "0.00")


def test_the_float_trap_does_not_bite() -> None:
    # 0.697 x 5 is 3.485 exactly, but as floats it is 3.48499999..., which naive rounding
    # (round(), or Decimal(float).quantize) turns into 3.48
    naive = 0.697 * 5
    assert round(naive, 2) == 3.48
    assert Decimal(naive).quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal("3.48")
    card = score_submission(one_question(number_q("q", 1)), {"q": 0.697})
    assert card.overall == Fraction(697, 1000)
    assert card.reported(card.overall) == Decimal("3.49")
    assert card.to_dict()["final"]["overall"] == 3.49


def test_rounding_happens_only_when_reported() -> None:
    # dimensions at 3.485 and 3.475: rounding them first would give (3.49 + 3.48) / 2 = 3.485
    # -> 3.49; the exact overall is (0.697 + 0.695) / 2 x 5 = 3.48
    framework = build(
        dimension("a", indicator("ia", number_q("qa", 1000))),
        dimension("b", indicator("ib", number_q("qb", 1000))),
    )
    card = score_submission(framework, {"qa": 697, "qb": 695})
    assert card.to_dict()["final"]["dimensions"] == {"a": 3.49, "b": 3.48}
    assert card.reported(card.overall) == Decimal("3.48")


def test_report_of_nothing_is_nothing() -> None:
    assert report(None, Fraction(5)) is None


def test_reporting_on_a_hundred_point_scale() -> None:
    assert report(Fraction(12345, 100000), Fraction(100)) == Decimal("12.35")
