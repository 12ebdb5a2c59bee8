"""Checks on a submission's answers: shapes while drafting, completeness on submit.

- `validate_answers` (drafts, verified answers): every key names a question and every value
  fits its question's type; partial answers are fine. Raises ValidationProblem with paths
  `<field>.<question key>` (`answers.q1`).
- `validate_evidence`, `validate_assessor_scores`: the same for evidence links and the
  assessor's s of text/file questions.
- `missing_items` (submit): required visible questions left unanswered (`answers.<key>`) and
  evidence required but missing (`evidence.<key>`). The submit use case raises
  `ValidationProblem(missing_items(...))` (422) when the result is not empty; `check_complete`
  does exactly that.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smartcity_shared.errors import ValidationProblem
from smartcity_shared.limits import MAX_LINKS, link_problem

from .answers import answer_problem, is_answered
from .model import Framework
from .parsing import Problems, is_unsafe_key, join, to_fraction
from .visibility import visible_keys


def validate_answers(framework: Framework, answers: object, field: str = "answers") -> None:
    """Raise ValidationProblem unless `answers` maps question keys to values of the right shape."""
    problems = Problems()
    for key, value in _entries(answers, field, problems):
        question = framework.question_index.get(key)
        if question is None:
            problems.add(join(field, key), "unknown question")
            continue
        problem = answer_problem(question, value)
        if problem is not None:
            problems.add(join(field, key), problem)
    problems.raise_if_any()


def validate_evidence(framework: Framework, evidence: object, field: str = "evidence") -> None:
    """Raise ValidationProblem unless `evidence` maps question keys to lists of links (strings)."""
    problems = Problems()
    for key, links in _entries(evidence, field, problems):
        if key not in framework.question_index:
            problems.add(join(field, key), "unknown question")
        elif links is not None and (message := _link_list_problem(links)):
            problems.add(join(field, key), message)
    problems.raise_if_any()


def validate_assessor_scores(
    framework: Framework, scores: object, field: str = "assessor_scores"
) -> None:
    """Raise ValidationProblem unless `scores` gives assessor-scored questions an s in [0, 1]."""
    problems = Problems()
    for key, value in _entries(scores, field, problems):
        question = framework.question_index.get(key)
        if question is None:
            problems.add(join(field, key), "unknown question")
        elif not question.assessor_scored:
            problems.add(join(field, key), "this question is not assessor-scored")
        elif value is not None and not _is_unit_interval(value):
            problems.add(join(field, key), "must be a number between 0 and 1")
    problems.raise_if_any()


def carry_forward(framework: Framework, previous_answers: Mapping[str, Any]) -> dict[str, Any]:
    """Last year's answers as a starting draft for `framework` (a new cycle's version).

    Keeps the answers whose question key still exists and whose value still fits the
    question (a removed option or a shorter level scale drops the answer); never raises.
    """
    carried: dict[str, Any] = {}
    for key, value in previous_answers.items():
        question = framework.question_index.get(key)
        if question is not None and is_answered(value) and answer_problem(question, value) is None:
            carried[key] = value
    return carried


def missing_items(
    framework: Framework, answers: Mapping[str, Any], evidence: Mapping[str, Any] | None = None
) -> dict[str, list[str]]:
    """Every item that blocks a submit, by path; empty when the submission is complete.

    Only visible questions count (visibility from these answers). A required question needs an
    answer (`answers.<key>`: ["required"]); a question whose evidence rule applies to its answer
    (e.g. level >= 3) needs at least one evidence link (`evidence.<key>`). A required question
    whose evidence is required whatever the answer lists its evidence too while unanswered, so
    one 422 names everything (evidence that depends on the level waits for the answer).
    """
    evidence = evidence or {}
    missing: dict[str, list[str]] = {}
    for key in sorted(visible_keys(framework, answers), key=_order(framework)):
        question = framework.question_index[key]
        value = answers.get(key)
        if question.required and not is_answered(value):
            missing[join("answers", key)] = ["required"]
        rule = question.evidence
        if rule is None:
            continue
        if is_answered(value):
            needs_evidence = rule.needed_for(value)
        else:
            needs_evidence = question.required and rule.required
        if needs_evidence and not _has_link(evidence.get(key)):
            missing[join("evidence", key)] = [_evidence_message(rule.required_from_level)]
    return missing


def check_complete(
    framework: Framework, answers: Mapping[str, Any], evidence: Mapping[str, Any] | None = None
) -> None:
    """Raise ValidationProblem(missing_items(...)) when anything blocks the submit."""
    missing = missing_items(framework, answers, evidence)
    if missing:
        raise ValidationProblem(missing, "The submission is incomplete; see errors.")


def _evidence_message(from_level: int | None) -> str:
    if from_level is None:
        return "evidence required"
    return f"evidence required for level {from_level} and above"


def _order(framework: Framework) -> Any:
    position = {key: i for i, key in enumerate(framework.question_index)}
    return position.__getitem__


def _entries(raw: object, field: str, problems: Problems) -> list[tuple[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, Mapping):
        problems.add(field, "must be an object keyed by question")
        return []
    entries = []
    for key, value in raw.items():
        if is_unsafe_key(key):
            problems.add(field, f"key {str(key)!r} must not start with '$' or contain '.'")
        else:
            entries.append((key, value))
    return entries


def _has_link(links: object) -> bool:
    if not isinstance(links, list | tuple):
        return False
    return any(isinstance(link, str) and link.strip() for link in links)


def _link_list_problem(links: object) -> str | None:
    """None for a list of at most MAX_LINKS http(s) links, else the message."""
    if not isinstance(links, list | tuple):
        return "must be a list of links (http(s) URLs)"
    if len(links) > MAX_LINKS:
        return f"at most {MAX_LINKS} links"
    return next((f"{link_problem(link)}" for link in links if link_problem(link)), None)


def _is_unit_interval(value: object) -> bool:
    number = to_fraction(value)
    return number is not None and 0 <= number <= 1
