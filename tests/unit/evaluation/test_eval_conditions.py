"""visible_if: comparison semantics, combinations, and cascading visibility."""

from __future__ import annotations

from typing import Any

import pytest

from evaluation.domain import visible_keys
from evaluation.domain.conditions import AllOf, AnyOf, Comparison, Op, evaluate, find_cycle
from tests.unit.evaluation.eval_factories import (
    bool_q,
    build,
    choice_q,
    dimension,
    indicator,
    level_q,
    number_q,
)


@pytest.mark.parametrize(
    ("op", "value", "answer", "expected"),
    [
        (Op.EQ, "a", "a", True),
        (Op.EQ, "a", "b", False),
        (Op.NE, "a", "b", True),
        (Op.NE, "a", "a", False),
        (Op.IN, ("a", "b"), "b", True),
        (Op.IN, ("a", "b"), "c", False),
        (Op.GT, 3, 4, True),
        (Op.GT, 3, 3, False),
        (Op.GTE, 3, 3, True),
        (Op.LT, 3, 2.5, True),
        (Op.LT, 3, 3, False),
        (Op.LTE, 3, 3, True),
        (Op.EQ, 1, 1.0, True),
        (Op.EQ, True, 1, False),
        (Op.EQ, 1, True, False),
        (Op.NE, True, 1, True),
        (Op.GT, 1, "2", False),
    ],
)
def test_comparison_semantics(op: Op, value: Any, answer: Any, expected: bool) -> None:
    assert evaluate(Comparison("q", op, value), {"q": answer}) is expected


@pytest.mark.parametrize("op", list(Op))
def test_comparison_on_an_unanswered_question_is_false_even_for_ne(op: Op) -> None:
    value: Any = ("x",) if op is Op.IN else 1
    assert evaluate(Comparison("q", op, value), {}) is False


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        (Op.EQ, "b", True),
        (Op.EQ, "c", False),
        (Op.NE, "c", True),
        (Op.NE, "a", False),
        (Op.IN, ("c", "a"), True),
        (Op.IN, ("c", "d"), False),
        (Op.GT, 1, False),
    ],
)
def test_multi_choice_answers_compare_by_membership(op: Op, value: Any, expected: bool) -> None:
    assert evaluate(Comparison("q", op, value), {"q": ["a", "b"]}) is expected


def test_all_and_any_combine() -> None:
    yes = Comparison("q", Op.EQ, 1)
    no = Comparison("q", Op.EQ, 2)
    answers = {"q": 1}
    assert evaluate(AllOf((yes, yes)), answers)
    assert not evaluate(AllOf((yes, no)), answers)
    assert evaluate(AnyOf((no, yes)), answers)
    assert not evaluate(AnyOf((no, no)), answers)
    assert evaluate(AnyOf((no, AllOf((yes, yes)))), answers)


def test_find_cycle_reports_the_loop() -> None:
    graph = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset()}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": frozenset({"b"}), "b": frozenset()}) is None


def test_long_condition_chains_do_not_hit_the_recursion_limit() -> None:
    graph = {f"q{i}": frozenset({f"q{i + 1}"}) for i in range(5000)}
    assert find_cycle(graph) is None


def gated_framework() -> Any:
    return build(
        dimension(
            "d",
            indicator(
                "i",
                bool_q("gate"),
                level_q("detail", visible_if={"question": "gate", "op": "eq", "value": True}),
                number_q("deeper", 10, visible_if={"question": "detail", "op": "gte", "value": 3}),
                choice_q(
                    "either",
                    {"a": 1, "b": 0},
                    visible_if={
                        "any": [
                            {"question": "gate", "op": "eq", "value": False},
                            {"question": "deeper", "op": "lt", "value": 5},
                        ]
                    },
                ),
            ),
        )
    )


def test_visibility_follows_answers() -> None:
    framework = gated_framework()
    assert visible_keys(framework, {}) == {"gate"}
    assert visible_keys(framework, {"gate": True}) == {"gate", "detail"}
    assert visible_keys(framework, {"gate": True, "detail": 3}) == {"gate", "detail", "deeper"}
    assert visible_keys(framework, {"gate": True, "detail": 3, "deeper": 4}) == {
        "gate",
        "detail",
        "deeper",
        "either",
    }
    assert visible_keys(framework, {"gate": False}) == {"gate", "either"}


def test_hiding_cascades_through_answers_of_hidden_questions() -> None:
    framework = gated_framework()
    # detail and deeper still hold stale answers, but once gate is no, they are hidden and
    # their answers no longer count for the questions that depend on them
    answers = {"gate": False, "detail": 5, "deeper": 1}
    assert visible_keys(framework, answers) == {"gate", "either"}
    answers = {"gate": True, "detail": 2, "deeper": 1}
    assert visible_keys(framework, answers) == {"gate", "detail"}
