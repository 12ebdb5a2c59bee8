"""Cycle aggregates, year-on-year deltas, trends, structure changes and rankings."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from evaluation.domain import (
    Delta,
    Ranked,
    Scorecard,
    aggregate_cycle,
    compare_years,
    framework_changes,
    rank,
    report,
    score_submission,
    trend,
)
from tests.unit.evaluation.eval_factories import bool_q, build, dimension, indicator, level_q

BANDS = [{"label": "Low", "min": 0}, {"label": "High", "min": 3}]


def framework_2019() -> Any:
    return build(
        dimension(
            "gov",
            indicator("service", level_q("q-service")),
            indicator("policy", level_q("q-policy")),
        ),
        dimension("eco", indicator("budget", level_q("q-budget"))),
        bands=BANDS,
    )


def framework_2020() -> Any:
    # policy dropped, "open-data" and a new dimension added; stable keys kept
    return build(
        dimension(
            "gov",
            indicator("service", level_q("q-service")),
            indicator("open-data", bool_q("q-open")),
        ),
        dimension("eco", indicator("budget", level_q("q-budget"))),
        dimension("env", indicator("waste", bool_q("q-waste"))),
        bands=BANDS,
        version=2,
    )


def card_2019(service: int, policy: int, budget: int) -> Scorecard:
    return score_submission(
        framework_2019(), {"q-service": service, "q-policy": policy, "q-budget": budget}
    )


def test_cycle_aggregate_is_the_unweighted_mean_of_participants_overall() -> None:
    framework = framework_2019()
    cards = [card_2019(5, 5, 5), card_2019(1, 1, 1), card_2019(3, 3, 3)]
    # overall s: 1, 0.2, 0.6 -> mean 0.6
    result = aggregate_cycle(framework, cards)
    assert result.participants == 3
    assert result.overall == Fraction(3, 5)
    assert result.band == "High"
    assert result.dimensions == {"gov": Fraction(3, 5), "eco": Fraction(3, 5)}


def test_cycle_aggregate_ignores_participants_without_a_score() -> None:
    framework = build(dimension("d", indicator("i", bool_q("q"))), unanswered="skip")
    cards = [score_submission(framework, {"q": True}), score_submission(framework, {})]
    result = aggregate_cycle(framework, cards)
    assert (result.participants, result.overall) == (1, 1)
    assert aggregate_cycle(framework, []).overall is None


def test_year_on_year_delta_by_stable_keys() -> None:
    previous = card_2019(3, 2, 4)
    current = score_submission(
        framework_2020(), {"q-service": 4, "q-open": True, "q-budget": 4, "q-waste": False}
    )
    comparison = compare_years(current, previous)
    # 2019: gov = (0.6 + 0.4) / 2 = 0.5, eco = 0.8, overall 0.65
    # 2020: gov = (0.8 + 1) / 2 = 0.9, eco = 0.8, env = 0, overall 1.7 / 3
    assert comparison.overall == Delta(Fraction(17, 30), Fraction(13, 20))
    assert report(comparison.overall.change, current.scale_max) == report(
        Fraction(-1, 12), Fraction(5)
    )
    assert str(report(comparison.overall.change, current.scale_max)) == "-0.42"
    assert comparison.dimensions["gov"].change == Fraction(2, 5)
    assert comparison.dimensions["env"] == Delta(Fraction(0), None)
    assert comparison.dimensions["env"].change is None
    assert comparison.indicators["policy"] == Delta(None, Fraction(2, 5))
    assert list(comparison.indicators) == ["service", "open-data", "budget", "waste", "policy"]
    assert comparison.changes.new_dimensions == ("env",)
    assert comparison.changes.dropped_dimensions == ()
    assert comparison.changes.new_indicators == ("open-data", "waste")
    assert comparison.changes.dropped_indicators == ("policy",)


def test_first_year_has_no_previous() -> None:
    comparison = compare_years(card_2019(3, 3, 3), None)
    assert comparison.overall.change is None
    assert comparison.changes.new_indicators == ()


def test_framework_changes_between_versions() -> None:
    changes = framework_changes(framework_2019(), framework_2020())
    assert changes.new_dimensions == ("env",)
    assert changes.dropped_indicators == ("policy",)


def test_trend_lists_years_in_order_with_changes() -> None:
    points = trend({2019: card_2019(3, 3, 3), 2018: card_2019(2, 2, 2), 2020: card_2019(4, 4, 5)})
    assert [p.year for p in points] == [2018, 2019, 2020]
    assert [p.overall for p in points] == [Fraction(2, 5), Fraction(3, 5), Fraction(9, 10)]
    assert [p.change for p in points] == [None, Fraction(1, 5), Fraction(3, 10)]
    assert [p.band for p in points] == ["Low", "High", "High"]
    assert str(report(points[2].change, Fraction(5))) == "1.50"


def test_ranking_shares_ranks_on_ties_and_lists_unscored_last() -> None:
    scores = {
        "kab-b": Fraction(3, 5),
        "kab-a": Fraction(4, 5),
        "kab-c": Fraction(3, 5),
        "kab-z": None,
        "kab-d": Fraction(1, 5),
    }
    assert rank(scores) == [
        Ranked("kab-a", 1, Fraction(4, 5)),
        Ranked("kab-b", 2, Fraction(3, 5)),
        Ranked("kab-c", 2, Fraction(3, 5)),
        Ranked("kab-d", 4, Fraction(1, 5)),
        Ranked("kab-z", None, None),
    ]


def test_ranking_ties_are_exact_not_rounded() -> None:
    # 0.6970 and 0.6971 both report as 3.49 (on 5) but are not tied
    ranked = rank({"a": Fraction(6970, 10000), "b": Fraction(6971, 10000)})
    assert [(r.participant, r.rank) for r in ranked] == [("b", 1), ("a", 2)]
