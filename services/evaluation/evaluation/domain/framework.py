"""Validate a framework document (a plain dict as an admin posts it) into a `Framework`.

Document shape (JSON):
```
{"key", "name", "version"? (int >= 1, default 1), "description"?,
 "scale_max" (> 0), "unanswered"? ("zero" | "skip"), "bands"? [{"label", "min"}],
 "recommendation_threshold"? (reported scale, within [0, scale_max]),
 "lenses"? {"tag": "lens", "weights": {"baseline": 10, ...}},
 "dimensions": [{"key", "name", "weight"?, "description"?,
   "indicators": [{"key", "name", "weight"?, "tags"? {name: value}, "guidance"?,
     "description"?, "questions": [question, ...]}]}]}
```
(questions: see `evaluation.domain.questions`; conditions: `evaluation.domain.conditions`).

`parse_framework` promises: every key unique across the framework, weights > 0, bands with
strictly ascending `min` within [0, scale_max], no empty dimension or indicator, conditions
naming existing questions with values that fit them, no cycle between conditions, no dict key
anywhere that starts with `$` or contains `.`, no unknown field. It raises one
`ValidationProblem` listing every problem by dotted path
(`dimensions.0.indicators.2.questions.1.weight`), or returns the frozen `Framework`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from .answers import answer_problem
from .conditions import (
    ORDERING_OPS,
    Comparison,
    Condition,
    Op,
    find_cycle,
    parse_condition,
)
from .framework_fields import (
    check_lens_tags,
    read_bands,
    read_lenses,
    read_threshold,
    read_unanswered,
    read_version,
)
from .model import Dimension, Framework, Indicator, Question, QuestionType
from .parsing import (
    KEY_PATTERN,
    KEY_RULE,
    Problems,
    check_fields,
    check_safe_keys,
    is_unsafe_key,
    join,
    read_key,
    read_list,
    read_number,
    read_object,
    read_text,
)
from .questions import parse_question

FRAMEWORK_FIELDS = frozenset(
    {
        "key",
        "name",
        "version",
        "description",
        "scale_max",
        "unanswered",
        "bands",
        "recommendation_threshold",
        "lenses",
        "dimensions",
    }
)
DIMENSION_FIELDS = frozenset({"key", "name", "weight", "description", "indicators"})
INDICATOR_FIELDS = frozenset(
    {"key", "name", "weight", "tags", "guidance", "description", "questions"}
)


class _Parser:
    """One pass over a document; `questions` and `conditions` feed the cross-reference checks."""

    def __init__(self) -> None:
        self.problems = Problems()
        self.key_paths: dict[str, str] = {}
        self.questions: dict[str, Question] = {}
        self.question_paths: dict[str, str] = {}
        self.raw_conditions: dict[str, Any] = {}

    def claim_key(self, key: str | None, path: str) -> None:
        if key is None:
            return
        if key in self.key_paths:
            self.problems.add(
                join(path, "key"), f"duplicate key {key!r} (also at {self.key_paths[key]})"
            )
        else:
            self.key_paths[key] = path

    def dimension(self, raw: object, path: str) -> Dimension | None:
        obj = read_object(raw, path, self.problems)
        if obj is None:
            return None
        check_fields(obj, DIMENSION_FIELDS, path, self.problems)
        key = read_key(obj, "key", path, self.problems)
        self.claim_key(key, path)
        name = read_text(obj, "name", path, self.problems, required=True)
        weight = read_number(obj, "weight", path, self.problems, default=Fraction(1), positive=True)
        items = read_list(obj, "indicators", path, self.problems)
        indicators = [
            self.indicator(item, join(join(path, "indicators"), i)) for i, item in enumerate(items)
        ]
        if key is None or weight is None or None in indicators:
            return None
        return Dimension(
            key=key,
            name=name,
            weight=weight,
            description=read_text(obj, "description", path, self.problems),
            indicators=tuple(i for i in indicators if i is not None),
        )

    def indicator(self, raw: object, path: str) -> Indicator | None:
        obj = read_object(raw, path, self.problems)
        if obj is None:
            return None
        check_fields(obj, INDICATOR_FIELDS, path, self.problems)
        key = read_key(obj, "key", path, self.problems)
        self.claim_key(key, path)
        name = read_text(obj, "name", path, self.problems, required=True)
        weight = read_number(obj, "weight", path, self.problems, default=Fraction(1), positive=True)
        tags = self.tags(obj, path)
        items = read_list(obj, "questions", path, self.problems)
        questions = [
            self.question(item, join(join(path, "questions"), i)) for i, item in enumerate(items)
        ]
        if key is None or weight is None or None in questions:
            return None
        return Indicator(
            key=key,
            name=name,
            weight=weight,
            tags=tags,
            guidance=read_text(obj, "guidance", path, self.problems),
            description=read_text(obj, "description", path, self.problems),
            questions=tuple(q for q in questions if q is not None),
        )

    def tags(self, obj: Mapping[str, Any], path: str) -> Mapping[str, str]:
        raw = obj.get("tags")
        if raw is None:
            return MappingProxyType({})
        where = join(path, "tags")
        tags: dict[str, str] = {}
        for name, value in (read_object(raw, where, self.problems) or {}).items():
            if is_unsafe_key(name):
                continue  # already reported by check_safe_keys
            if not KEY_PATTERN.match(name):
                self.problems.add(where, f"tag name {name!r} {KEY_RULE}")
            elif not isinstance(value, str) or not KEY_PATTERN.match(value):
                self.problems.add(join(where, name), f"a tag value {KEY_RULE}")
            else:
                tags[name] = value
        return MappingProxyType(tags)

    def question(self, raw: object, path: str) -> Question | None:
        question = parse_question(raw, path, self.problems)
        if question is None:
            return None
        self.claim_key(question.key, path)
        self.questions.setdefault(question.key, question)
        self.question_paths.setdefault(question.key, path)
        if isinstance(raw, Mapping) and raw.get("visible_if") is not None:
            self.raw_conditions[question.key] = raw["visible_if"]
        return question


def parse_framework(document: object) -> Framework:
    """Validate `document` into a Framework; raises one ValidationProblem listing all problems."""
    parser = _Parser()
    problems = parser.problems
    check_safe_keys(document, "", problems)
    obj = read_object(document, "", problems)
    if obj is None:
        problems.raise_if_any()
        raise AssertionError("unreachable")
    check_fields(obj, FRAMEWORK_FIELDS, "", problems)
    key = read_key(obj, "key", "", problems)
    name = read_text(obj, "name", "", problems, required=True)
    version = read_version(obj, problems)
    scale_max = read_number(obj, "scale_max", "", problems, positive=True)
    unanswered = read_unanswered(obj, problems)
    bands = read_bands(obj, scale_max, problems)
    threshold = read_threshold(obj, scale_max, problems)
    lenses = read_lenses(obj, problems)
    items = read_list(obj, "dimensions", "", problems)
    dimensions = [parser.dimension(item, join("dimensions", i)) for i, item in enumerate(items)]
    check_lens_tags(obj, lenses, problems)
    conditions = _parse_conditions(parser)
    problems.raise_if_any()
    assert key is not None and scale_max is not None and unanswered is not None
    return Framework(
        key=key,
        name=name,
        version=version,
        description=read_text(obj, "description", "", problems),
        scale_max=scale_max,
        unanswered=unanswered,
        bands=bands,
        recommendation_threshold=threshold,
        lenses=lenses,
        dimensions=tuple(_with_conditions(d, conditions) for d in dimensions if d is not None),
    )


def _parse_conditions(parser: _Parser) -> dict[str, Condition]:
    """Parse every `visible_if`, check references and values, then look for cycles."""
    parsed: dict[str, Condition] = {}
    for key, raw in parser.raw_conditions.items():
        path = join(parser.question_paths[key], "visible_if")

        def check(comparison: Comparison, where: str) -> None:
            _check_comparison(comparison, where, parser.questions, parser.problems)

        condition = parse_condition(raw, path, parser.problems, check)
        if condition is not None:
            parsed[key] = condition
    _report_cycles(parsed, parser)
    return parsed


def _check_comparison(
    comparison: Comparison, path: str, questions: Mapping[str, Question], problems: Problems
) -> None:
    target = questions.get(comparison.question)
    if target is None:
        problems.add(join(path, "question"), f"unknown question {comparison.question!r}")
        return
    if comparison.op in ORDERING_OPS:
        if target.type not in (QuestionType.LEVEL, QuestionType.NUMBER):
            problems.add(join(path, "op"), f"'{comparison.op}' needs a level or number question")
        return
    values = comparison.value if comparison.op is Op.IN else (comparison.value,)
    for value in values:
        candidate = [value] if target.type is QuestionType.MULTI_CHOICE else value
        problem = answer_problem(target, candidate) if value is not None else "must not be null"
        if problem is not None:
            problems.add(join(path, "value"), f"{problem} (as an answer to {target.key!r})")


def _report_cycles(parsed: Mapping[str, Condition], parser: _Parser) -> None:
    graph = {key: condition.references() for key, condition in parsed.items()}
    while (cycle := find_cycle(graph)) is not None:
        path = join(parser.question_paths[cycle[0]], "visible_if")
        parser.problems.add(path, f"condition cycle: {' -> '.join(cycle)}")
        graph[cycle[0]] = graph[cycle[0]] - {cycle[1]}


def _with_conditions(dimension: Dimension, conditions: Mapping[str, Condition]) -> Dimension:
    def attach(question: Question) -> Question:
        condition = conditions.get(question.key)
        return replace(question, visible_if=condition) if condition else question

    indicators = tuple(
        replace(indicator, questions=tuple(attach(q) for q in indicator.questions))
        for indicator in dimension.indicators
    )
    return replace(dimension, indicators=indicators)
