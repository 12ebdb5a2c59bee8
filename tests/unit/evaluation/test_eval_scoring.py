"""Scoring per CONTRACT.md, with every expected number worked out by hand."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from evaluation.domain import QuestionStatus, Scorecard, score_submission
from smartcity_shared.errors import ValidationProblem
from tests.unit.evaluation.eval_factories import (
    bool_q,
    build,
    choice_q,
    dimension,
    file_q,
    indicator,
    level_q,
    number_q,
    one_question,
    text_q,
)

U4SSC_BANDS = [[0, 0.25], [0.33, 0.5], [0.66, 0.75], [0.95, 1]]


def overall(card: Scorecard) -> Decimal | None:
    return card.reported(card.overall)


# --- one question of each type ------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "answer", "s", "reported"),
    [
        (level_q("q", 4), 3, Fraction(3, 4), "3.75"),
        (level_q("q", 5), 1, Fraction(1, 5), "1.00"),
        (level_q("q", 5), 5, Fraction(1), "5.00"),
        (choice_q("q", {"a": 0, "b": 0.4, "c": 1}), "b", Fraction(2, 5), "2.00"),
        (
            choice_q("q", {"x": 0.3, "y": 0.3, "z": 0.2}, multi=True),
            ["x", "z"],
            Fraction(1, 2),
            "2.50",
        ),
        (
            choice_q("q", {"x": 0.3, "y": 0.3, "z": 0.2}, multi=True),
            ["x", "y", "z"],
            Fraction(4, 5),
            "4.00",
        ),
        (choice_q("q", {"x": 0.7, "y": 0.6}, multi=True), ["x", "y"], Fraction(1), "5.00"),
        (bool_q("q"), True, Fraction(1), "5.00"),
        (bool_q("q"), False, Fraction(0), "0.00"),
        (number_q("q", 200), 150, Fraction(3, 4), "3.75"),
        (number_q("q", 200), 300, Fraction(1), "5.00"),
        (number_q("q", 200), -20, Fraction(0), "0.00"),
        (number_q("q", 0.5), 0.2, Fraction(2, 5), "2.00"),
        (number_q("q", 100, bands=U4SSC_BANDS), 32.9, Fraction(1, 4), "1.25"),
        (number_q("q", 100, bands=U4SSC_BANDS), 33, Fraction(1, 2), "2.50"),
        (number_q("q", 100, bands=U4SSC_BANDS), 94.9, Fraction(3, 4), "3.75"),
        (number_q("q", 100, bands=U4SSC_BANDS), 95, Fraction(1), "5.00"),
        (number_q("q", 100, bands=U4SSC_BANDS), 250, Fraction(1), "5.00"),
        (number_q("q", 100, bands=[[0.5, 0.6], [1, 1]]), 20, Fraction(0), "0.00"),
    ],
)
def test_each_question_type_scores_as_the_contract_says(
    question: dict[str, Any], answer: Any, s: Fraction, reported: str
) -> None:
    card = score_submission(one_question(question), {"q": answer})
    assert card.final.questions["q"].s == s
    assert card.overall == s
    assert overall(card) == Decimal(reported)


def test_text_and_file_questions_are_not_scored_and_leave_the_average() -> None:
    framework = build(dimension("d", indicator("i", bool_q("yes"), text_q("t"), file_q("f"))))
    card = score_submission(framework, {"yes": True, "t": "a long story", "f": "https://x/doc.pdf"})
    assert card.overall == 1
    assert card.final.questions["t"].status is QuestionStatus.NOT_SCORED
    assert card.final.questions["f"].status is QuestionStatus.NOT_SCORED


def test_assessor_scored_question_takes_the_assessors_s() -> None:
    framework = build(
        dimension("d", indicator("i", bool_q("yes"), text_q("t", assessor_scored=True)))
    )
    answers = {"yes": True, "t": "how we do it"}
    pending = score_submission(framework, answers)
    assert pending.final.questions["t"].status is QuestionStatus.PENDING
    assert pending.overall == 1  # pending leaves the average
    scored = score_submission(framework, answers, assessor_scores={"t": 0.5})
    assert scored.final.questions["t"].s == Fraction(1, 2)
    assert scored.overall == Fraction(3, 4)  # (1 + 0.5) / 2
    assert scored.self_assessed.overall == Fraction(3, 4)
    unanswered = score_submission(framework, {"yes": True})
    assert unanswered.final.questions["t"].status is QuestionStatus.UNANSWERED
    assert unanswered.overall == Fraction(1, 2)


# --- weighted means up the tree -----------------------------------------------------------


def tree() -> Any:
    return build(
        dimension(
            "gov",
            indicator(
                "service",
                level_q("lvl", 5, weight=3),
                bool_q("online"),
                tags={"pillar": "governance"},
            ),
            indicator("policy", bool_q("perbup"), weight=3, tags={"pillar": "governance"}),
            weight=2,
        ),
        dimension(
            "eco",
            indicator("budget", number_q("share", 10), tags={"pillar": "economy"}),
        ),
    )


def test_weighted_means_up_the_tree() -> None:
    card = score_submission(tree(), {"lvl": 4, "online": False, "perbup": True, "share": 2.5})
    # service = (0.8 x 3 + 0 x 1) / 4 = 0.6; policy = 1; gov = (0.6 x 1 + 1 x 3) / 4 = 0.9
    # eco = budget = 2.5 / 10 = 0.25; overall = (0.9 x 2 + 0.25 x 1) / 3 = 2.05 / 3
    assert card.final.indicators == {
        "service": Fraction(3, 5),
        "policy": 1,
        "budget": Fraction(1, 4),
    }
    assert card.final.dimensions == {"gov": Fraction(9, 10), "eco": Fraction(1, 4)}
    assert card.overall == Fraction(41, 60)
    assert overall(card) == Decimal("3.42")  # 3.41666...
    assert card.reported(card.final.dimensions["gov"]) == Decimal("4.50")


def test_tag_breakdown_is_the_weighted_mean_of_indicators_carrying_the_tag() -> None:
    card = score_submission(tree(), {"lvl": 4, "online": False, "perbup": True, "share": 2.5})
    # governance = (0.6 x 1 + 1 x 3) / 4 = 0.9, economy = 0.25
    assert card.final.tags == {"pillar": {"governance": Fraction(9, 10), "economy": Fraction(1, 4)}}


def test_unanswered_visible_question_scores_zero_by_default() -> None:
    card = score_submission(tree(), {"lvl": 4, "perbup": True, "share": 2.5})
    assert card.final.questions["online"].status is QuestionStatus.UNANSWERED
    assert card.final.indicators["service"] == Fraction(3, 5)
    empty = score_submission(tree(), {})
    assert empty.overall == 0
    assert overall(empty) == Decimal("0.00")


def test_unanswered_skip_drops_questions_indicators_and_dimensions() -> None:
    framework = build(
        dimension(
            "gov", indicator("service", level_q("lvl", 5, weight=3), bool_q("online")), weight=2
        ),
        dimension("eco", indicator("budget", number_q("share", 10))),
        unanswered="skip",
    )
    card = score_submission(framework, {"lvl": 4})
    assert card.final.questions["online"].status is QuestionStatus.SKIPPED
    assert card.final.indicators == {"service": Fraction(4, 5)}
    assert card.final.dimensions == {"gov": Fraction(4, 5)}
    assert card.overall == Fraction(4, 5)  # eco dropped out, its weight with it
    nothing = score_submission(framework, {})
    assert nothing.overall is None
    assert nothing.band is None
    assert nothing.to_dict()["final"]["overall"] is None


def test_hidden_question_leaves_the_average() -> None:
    framework = build(
        dimension(
            "d",
            indicator(
                "i",
                bool_q("has-team"),
                number_q(
                    "team-size",
                    10,
                    weight=4,
                    visible_if={"question": "has-team", "op": "eq", "value": True},
                ),
            ),
        )
    )
    hidden = score_submission(framework, {"has-team": False, "team-size": 10})
    assert hidden.final.questions["team-size"].status is QuestionStatus.HIDDEN
    assert hidden.overall == 0  # only has-team counts
    shown = score_submission(framework, {"has-team": True, "team-size": 5})
    assert shown.overall == Fraction(1 + 4 * Fraction(1, 2), 5)  # (1 + 4 x 0.5) / 5 = 0.6


def test_indicator_with_nothing_visible_drops_out_of_its_dimension() -> None:
    framework = build(
        dimension(
            "d",
            indicator("always", bool_q("a")),
            indicator(
                "gated", bool_q("g", visible_if={"question": "a", "op": "eq", "value": False})
            ),
        )
    )
    card = score_submission(framework, {"a": True})
    assert card.final.indicators == {"always": 1}
    assert card.overall == 1


def test_lens_weights_act_as_indicator_weights() -> None:
    framework = build(
        dimension(
            "p",
            indicator("base", bool_q("b"), tags={"lens": "baseline"}),
            indicator("imp", bool_q("i"), tags={"lens": "impact"}),
        ),
        lenses={"tag": "lens", "weights": {"baseline": 10, "impact": 30}},
    )
    card = score_submission(framework, {"b": True, "i": False})
    assert card.overall == Fraction(1, 4)  # 10 / (10 + 30)
    assert card.final.tags["lens"] == {"baseline": 1, "impact": 0}


# --- self-assessed against verified -------------------------------------------------------


def test_verified_answers_replace_self_assessed_ones_and_the_difference_is_kept() -> None:
    framework = tree()
    answers = {"lvl": 5, "online": True, "perbup": True, "share": 10}
    card = score_submission(framework, answers, verified={"lvl": 3, "share": None})
    assert card.self_assessed.overall == 1
    # service = (0.6 x 3 + 1) / 4 = 0.7; gov = (0.7 + 3) / 4 = 0.925
    # overall = (0.925 x 2 + 1) / 3 = 0.95
    assert card.final.indicators["service"] == Fraction(7, 10)
    assert card.overall == Fraction(19, 20)
    difference = card.difference()
    assert difference.overall == Fraction(-1, 20)
    assert difference.dimensions == {"gov": Fraction(-3, 40), "eco": 0}
    data = card.to_dict()
    assert data["self"]["overall"] == 5.0
    assert data["final"]["overall"] == 4.75
    assert data["difference"]["overall"] == -0.25
    assert data["difference"]["dimensions"] == {"gov": -0.38, "eco": 0.0}


def test_conditions_are_evaluated_on_the_effective_answers() -> None:
    framework = build(
        dimension(
            "d",
            indicator(
                "i",
                bool_q("gate"),
                bool_q("extra", visible_if={"question": "gate", "op": "eq", "value": True}),
            ),
        )
    )
    card = score_submission(framework, {"gate": True, "extra": True}, verified={"gate": False})
    assert card.self_assessed.overall == 1
    assert card.final.questions["extra"].status is QuestionStatus.HIDDEN
    assert card.overall == 0


def test_invalid_inputs_are_rejected_with_paths() -> None:
    framework = build(dimension("d", indicator("i", level_q("lvl", 4), text_q("t"))))
    with pytest.raises(ValidationProblem) as caught:
        score_submission(framework, {"lvl": 5}, verified={"nope": 1}, assessor_scores={"t": 0.5})
    assert caught.value.errors == {"answers.lvl": ["must be a level from 1 to 4"]}
    with pytest.raises(ValidationProblem) as caught:
        score_submission(framework, {}, verified={"nope": 1})
    assert caught.value.errors == {"verified.nope": ["unknown question"]}
    with pytest.raises(ValidationProblem) as caught:
        score_submission(framework, {}, assessor_scores={"t": 0.5})
    assert caught.value.errors == {"assessor_scores.t": ["this question is not assessor-scored"]}


# --- bands --------------------------------------------------------------------------------


def banded(value: int) -> Scorecard:
    framework = one_question(
        number_q("q", 100),
        scale_max=100,
        bands=[
            {"label": "Kurang", "min": 0},
            {"label": "Cukup", "min": 35},
            {"label": "Baik", "min": 60},
        ],
    )
    return score_submission(framework, {"q": value})


@pytest.mark.parametrize(
    ("value", "band"),
    [(0, "Kurang"), (34, "Kurang"), (35, "Cukup"), (59, "Cukup"), (60, "Baik"), (100, "Baik")],
)
def test_band_is_the_one_with_the_highest_min_not_above_the_score(value: int, band: str) -> None:
    assert banded(value).band == band


def test_no_band_below_the_lowest_min() -> None:
    framework = one_question(bool_q("q"), bands=[{"label": "Some", "min": 1}])
    assert score_submission(framework, {"q": False}).band is None
    assert score_submission(framework, {"q": True}).band == "Some"


def test_band_is_decided_on_the_reported_score_so_it_never_contradicts_it() -> None:
    framework = one_question(
        number_q("q", 1000), bands=[{"label": "Low", "min": 0}, {"label": "High", "min": 1.8}]
    )
    card = score_submission(framework, {"q": 359.9})  # 1.7995 reported as 1.80
    assert overall(card) == Decimal("1.80")
    assert card.band == "High"
