"""Year-on-year deltas per dimension and per tag, by stable key, across framework versions."""

from __future__ import annotations

from fractions import Fraction

from evaluation.domain import (
    KeyStatus,
    aggregate_cycle,
    breakdown,
    compare_breakdowns,
    deltas_to_dict,
    score_submission,
    tag_keys,
)
from tests.unit.evaluation.eval_factories import build, dimension, indicator, level_q


def _fw_2019():  # type: ignore[no-untyped-def]
    return build(
        dimension("gov", indicator("service", level_q("q1"), tags={"pillar": "governance"})),
        dimension("eco", indicator("budget", level_q("q2"), tags={"pillar": "economy"})),
    )


def _fw_2020():  # type: ignore[no-untyped-def]
    # "eco" dropped, "env" new, pillar "economy" gone, "environment" new
    return build(
        dimension("gov", indicator("service", level_q("q1"), tags={"pillar": "governance"})),
        dimension("env", indicator("waste", level_q("q3"), tags={"pillar": "environment"})),
    )


def _card_breakdown(framework, answers):  # type: ignore[no-untyped-def]
    card = score_submission(framework, answers, {}, {})
    return breakdown(framework, card.overall, card.final.dimensions, card.final.tags)


def test_kept_dimensions_get_a_delta_new_and_dropped_ones_are_flagged() -> None:
    before = _card_breakdown(_fw_2019(), {"q1": 2, "q2": 5})
    now = _card_breakdown(_fw_2020(), {"q1": 4, "q3": 3})
    deltas = compare_breakdowns(now, before)
    assert list(deltas.dimensions) == ["gov", "env", "eco"]
    gov, env, eco = (deltas.dimensions[k] for k in ("gov", "env", "eco"))
    assert (gov.status, gov.change) == (KeyStatus.KEPT, Fraction(2, 5))
    assert (env.status, env.previous, env.change) == (KeyStatus.NEW, None, None)
    assert (eco.status, eco.current, eco.previous) == (KeyStatus.DROPPED, None, Fraction(1))
    pillar = deltas.tags["pillar"]
    assert [(k, d.status.value) for k, d in pillar.items()] == [
        ("governance", "kept"),
        ("environment", "new"),
        ("economy", "dropped"),
    ]
    reported = deltas_to_dict(deltas, Fraction(5))
    assert reported["overall"] == {"current": 3.5, "previous": 3.5, "delta": 0.0}
    assert reported["dimensions"]["gov"] == {
        "current": 4.0,
        "previous": 2.0,
        "delta": 2.0,
        "status": "kept",
    }
    assert reported["dimensions"]["eco"]["current"] is None


def test_a_key_kept_in_the_structure_but_unscored_has_no_delta() -> None:
    framework = _fw_2019()
    before = breakdown(framework, Fraction(1, 2), {"gov": Fraction(1, 2)}, {})
    now = breakdown(framework, Fraction(1), {"gov": Fraction(1), "eco": Fraction(1)}, {})
    eco = compare_breakdowns(now, before).dimensions["eco"]
    assert (eco.status, eco.change) == (KeyStatus.KEPT, None)


def test_the_cycle_aggregate_breaks_down_by_tag_too() -> None:
    framework = _fw_2019()
    cards = [
        score_submission(framework, {"q1": 5, "q2": 1}, {}, {}),
        score_submission(framework, {"q1": 3}, {}, {}),  # q2 unanswered: 0
    ]
    aggregate = aggregate_cycle(framework, cards)
    assert aggregate.tags["pillar"]["governance"] == Fraction(4, 5)
    assert aggregate.tags["pillar"]["economy"] == Fraction(1, 10)  # (1/5 + 0) / 2
    assert tag_keys(framework) == {"pillar": ("governance", "economy")}
