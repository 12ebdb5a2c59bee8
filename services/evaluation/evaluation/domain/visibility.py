"""Which questions are visible for a set of answers (`visible_if` evaluated in dependency order)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .answers import is_answered
from .conditions import evaluate
from .model import Framework


def visible_keys(framework: Framework, answers: Mapping[str, Any]) -> frozenset[str]:
    """The keys of the questions shown for `answers`.

    A question without `visible_if` is always visible. A condition sees only the answers of
    questions that are themselves visible and answered, so hiding cascades: a question that
    depends on a hidden one compares against "no answer" (false, see `conditions`).
    """
    index = framework.question_index
    seen: dict[str, Any] = {}
    visible: set[str] = set()
    for key in framework.condition_order:
        condition = index[key].visible_if
        if condition is None or evaluate(condition, seen):
            visible.add(key)
            value = answers.get(key)
            if is_answered(value):
                seen[key] = value
    return frozenset(visible)
