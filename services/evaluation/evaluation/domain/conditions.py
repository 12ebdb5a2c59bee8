"""`visible_if` conditions: their model, structural parsing, evaluation and cycle search.

A condition is a comparison `{"question": key, "op": "eq|ne|in|gt|gte|lt|lte", "value": v}`
or a combination `{"all": [...]}` / `{"any": [...]}` of conditions.

Evaluation rules (pinned by tests):
- A comparison on a question that is unanswered or itself hidden is false, whatever its `op`
  (including `ne`): a question shown "if q1 is not 'no'" stays hidden until q1 is answered.
- Booleans never equal numbers (`true` is not `1`); numbers compare by value (`1 == 1.0`).
- On a `multi_choice` answer (a list), `eq v` means "v was chosen", `ne v` "v was not chosen",
  `in [..]` "any of these was chosen"; ordering operators are false.
- `all: []` is true and `any: []` false, though the parser rejects empty combinations.

Checking that referenced questions exist and that values fit them is done by
`evaluation.domain.framework`, which knows the questions; this module knows only structure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .parsing import Problems, check_fields, join, read_key, to_fraction


class Op(StrEnum):
    EQ = "eq"
    NE = "ne"
    IN = "in"
    GT = "gt"
    GTE = "gte"
    LT = "lt"
    LTE = "lte"


ORDERING_OPS = frozenset({Op.GT, Op.GTE, Op.LT, Op.LTE})
_COMPARISON_FIELDS = frozenset({"question", "op", "value"})


@dataclass(frozen=True)
class Comparison:
    """`question` `op` `value`; for `in`, `value` is a tuple of candidates."""

    question: str
    op: Op
    value: Any

    def references(self) -> frozenset[str]:
        return frozenset({self.question})

    def to_dict(self) -> dict[str, Any]:
        value = list(self.value) if self.op is Op.IN else self.value
        return {"question": self.question, "op": self.op.value, "value": value}


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...]

    def references(self) -> frozenset[str]:
        return frozenset().union(*(c.references() for c in self.conditions))

    def to_dict(self) -> dict[str, Any]:
        return {"all": [c.to_dict() for c in self.conditions]}


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]

    def references(self) -> frozenset[str]:
        return frozenset().union(*(c.references() for c in self.conditions))

    def to_dict(self) -> dict[str, Any]:
        return {"any": [c.to_dict() for c in self.conditions]}


Condition = Comparison | AllOf | AnyOf


CheckComparison = Callable[[Comparison, str], None]


def parse_condition(
    raw: object, path: str, problems: Problems, check: CheckComparison | None = None
) -> Condition | None:
    """Parse a condition's structure, recording problems under `path`; None when unusable.

    `check(comparison, path)` is called for every well-formed comparison, so a caller that
    knows the questions can validate references and values with exact paths, even when a
    sibling comparison is broken.
    """
    if not isinstance(raw, Mapping):
        problems.add(path, "must be an object")
        return None
    combiners = [name for name in ("all", "any") if name in raw]
    if not combiners:
        comparison = _parse_comparison(raw, path, problems)
        if comparison is not None and check is not None:
            check(comparison, path)
        return comparison
    if len(raw) != 1:
        problems.add(path, "a combination has exactly one field, 'all' or 'any'")
        return None
    name = combiners[0]
    return _parse_combination(name, raw[name], join(path, name), problems, check)


def _parse_combination(
    name: str, raw: object, path: str, problems: Problems, check: CheckComparison | None
) -> Condition | None:
    if not isinstance(raw, list | tuple) or not raw:
        problems.add(path, "must be a non-empty list of conditions")
        return None
    parts = [parse_condition(item, join(path, i), problems, check) for i, item in enumerate(raw)]
    if any(part is None for part in parts):
        return None
    conditions = tuple(part for part in parts if part is not None)
    return AllOf(conditions) if name == "all" else AnyOf(conditions)


def _parse_comparison(raw: Mapping[str, Any], path: str, problems: Problems) -> Comparison | None:
    check_fields(raw, _COMPARISON_FIELDS, path, problems)
    question = read_key(raw, "question", path, problems)
    op_raw = raw.get("op")
    op = Op(op_raw) if isinstance(op_raw, str) and op_raw in Op._value2member_map_ else None
    if op is None:
        problems.add(join(path, "op"), f"must be one of: {', '.join(Op)}")
    if "value" not in raw:
        problems.add(join(path, "value"), "required")
        return None
    value = raw["value"]
    if op is Op.IN:
        if not isinstance(value, list | tuple) or not value:
            problems.add(join(path, "value"), "must be a non-empty list for 'in'")
            return None
        value = tuple(value)
    elif op in ORDERING_OPS and to_fraction(value) is None:
        problems.add(join(path, "value"), f"must be a number for '{op}'")
        return None
    if question is None or op is None:
        return None
    return Comparison(question, op, value)


def evaluate(condition: Condition, answers: Mapping[str, Any]) -> bool:
    """Whether `condition` holds; `answers` must hold only visible, answered questions."""
    if isinstance(condition, AllOf):
        return all(evaluate(c, answers) for c in condition.conditions)
    if isinstance(condition, AnyOf):
        return any(evaluate(c, answers) for c in condition.conditions)
    answer = answers.get(condition.question)
    if answer is None:
        return False
    if isinstance(answer, list | tuple):
        return _compare_chosen(condition, answer)
    return _compare(condition.op, answer, condition.value)


def _compare_chosen(condition: Comparison, chosen: Sequence[Any]) -> bool:
    if condition.op is Op.EQ:
        return any(same(item, condition.value) for item in chosen)
    if condition.op is Op.NE:
        return not any(same(item, condition.value) for item in chosen)
    if condition.op is Op.IN:
        return any(same(item, value) for item in chosen for value in condition.value)
    return False


def _compare(op: Op, answer: Any, value: Any) -> bool:
    if op is Op.EQ:
        return same(answer, value)
    if op is Op.NE:
        return not same(answer, value)
    if op is Op.IN:
        return any(same(answer, candidate) for candidate in value)
    left, right = to_fraction(answer), to_fraction(value)
    if left is None or right is None:
        return False
    return {
        Op.GT: left > right,
        Op.GTE: left >= right,
        Op.LT: left < right,
        Op.LTE: left <= right,
    }[op]


def same(left: Any, right: Any) -> bool:
    """Equality of JSON values where booleans never equal numbers."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left is right
    left_number, right_number = to_fraction(left), to_fraction(right)
    if left_number is not None and right_number is not None:
        return left_number == right_number
    return bool(left == right)


def find_cycle(dependencies: Mapping[str, frozenset[str]]) -> list[str] | None:
    """One dependency cycle as `[a, b, ..., a]`, or None when the graph is acyclic.

    `dependencies[q]` are the questions q's condition reads. Iterative depth-first search, so
    long chains do not hit the recursion limit.
    """
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for start in dependencies:
        if state.get(start):
            continue
        path: list[str] = [start]
        stack: list[Iterator[str]] = [iter(sorted(dependencies.get(start, ())))]
        state[start] = 1
        while stack:
            node = next(stack[-1], None)
            if node is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(node) == 1:
                return [*path[path.index(node) :], node]
            elif not state.get(node):
                state[node] = 1
                path.append(node)
                stack.append(iter(sorted(dependencies.get(node, ()))))
    return None


def evaluation_order(dependencies: Mapping[str, frozenset[str]]) -> tuple[str, ...]:
    """The questions ordered so every question comes after those its condition reads.

    Raises ValueError on a cycle (the framework parser rejects cycles before this is used).
    """
    cycle = find_cycle(dependencies)
    if cycle is not None:
        raise ValueError(f"condition cycle: {' -> '.join(cycle)}")
    order: list[str] = []
    placed: set[str] = set()
    for start in dependencies:
        stack = [(start, iter(sorted(dependencies.get(start, ()))))]
        while stack:
            node, pending = stack[-1]
            nxt = next((d for d in pending if d not in placed), None)
            if nxt is None:
                stack.pop()
                if node not in placed:
                    placed.add(node)
                    order.append(node)
            else:
                stack.append((nxt, iter(sorted(dependencies.get(nxt, ())))))
    return tuple(order)
