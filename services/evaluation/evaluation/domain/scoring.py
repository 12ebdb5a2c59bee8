"""Scoring a submission exactly as CONTRACT.md says.

Per question a normalized `s` in [0, 1] (see `answers.normalized_score`); a hidden question
leaves the average (its weight drops out); a visible unanswered one scores 0, or drops out when
the framework says `unanswered: "skip"`; an indicator is the weighted mean of its questions, a
dimension of its indicators (weight x lens weight), the overall of its dimensions; a node with
nothing left drops out of its parent. A tag value's score is the weighted mean of the indicators
carrying it. The band names the overall score as REPORTED (2 decimals, `min` inclusive), so a
shown score never contradicts its band; a change between years is the difference of the
reported scores.
Rounding happens only when a number is reported (`reporting`).

Assessor-scored text/file questions take the assessor's `s` (in both the self and the final
score set, since only the assessor scores them); answered but not yet scored they are pending
and drop out; unanswered they follow the framework's `unanswered` rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from math import lcm
from types import MappingProxyType
from typing import Any

from .answers import is_answered, normalized_score
from .checks import validate_answers, validate_assessor_scores
from .model import Framework, Question, Unanswered
from .parsing import to_fraction
from .scorecard import QuestionOutcome, QuestionStatus, Scorecard, ScoreSet
from .visibility import visible_keys

Weighted = tuple[Fraction, Fraction]  # (s, weight)


def score_submission(
    framework: Framework,
    answers: Mapping[str, Any],
    verified: Mapping[str, Any] | None = None,
    assessor_scores: Mapping[str, Any] | None = None,
) -> Scorecard:
    """Score self-assessed `answers` and the final answers (a verified answer, where given and
    not None, replaces the self-assessed one). Pure and deterministic: the same framework
    version and inputs always give the same scorecard, so a store may recompute instead of
    keeping exact numbers.

    Raises ValidationProblem (`answers.<key>`, `verified.<key>`, `assessor_scores.<key>`) when
    an input does not fit the framework.
    """
    validate_answers(framework, answers)
    validate_answers(framework, verified, field="verified")
    validate_assessor_scores(framework, assessor_scores)
    effective = effective_answers(answers, verified)
    scores = {k: s for k, v in (assessor_scores or {}).items() if (s := to_fraction(v)) is not None}
    self_assessed = score_answers(framework, answers, scores)
    unchanged = effective == answers  # nothing verified differently: same scores, computed once
    return Scorecard(
        framework_key=framework.key,
        framework_version=framework.version,
        scale_max=framework.scale_max,
        self_assessed=self_assessed,
        final=self_assessed if unchanged else score_answers(framework, effective, scores),
        dimension_keys=framework.dimension_keys,
        indicator_keys=framework.indicator_keys,
    )


def effective_answers(
    answers: Mapping[str, Any], verified: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Self-assessed answers with every given (non-None) verified answer in their place."""
    effective = dict(answers)
    effective.update({k: v for k, v in (verified or {}).items() if v is not None})
    return effective


def score_answers(
    framework: Framework,
    answers: Mapping[str, Any],
    assessor_scores: Mapping[str, Fraction] | None = None,
) -> ScoreSet:
    """One score set for already validated answers (no validation here: callers validate)."""
    visible = visible_keys(framework, answers)
    assessor_scores = assessor_scores or {}
    weights = framework.indicator_weights
    questions: dict[str, QuestionOutcome] = {}
    indicators: dict[str, Fraction] = {}
    dimensions: dict[str, Fraction] = {}
    for dimension in framework.dimensions:
        dimension_parts: list[Weighted] = []
        for indicator in dimension.indicators:
            parts: list[Weighted] = []
            for question in indicator.questions:
                outcome = question_outcome(framework, question, answers, visible, assessor_scores)
                questions[question.key] = outcome
                if outcome.s is not None:
                    parts.append((outcome.s, question.weight))
            if (s := weighted_mean(parts)) is not None:
                indicators[indicator.key] = s
                dimension_parts.append((s, weights[indicator.key]))
        if (s := weighted_mean(dimension_parts)) is not None:
            dimensions[dimension.key] = s
    overall = weighted_mean(
        (dimensions[d.key], d.weight) for d in framework.dimensions if d.key in dimensions
    )
    return ScoreSet(
        overall=overall,
        band=None if overall is None else framework.band_for(overall * framework.scale_max),
        dimensions=MappingProxyType(dimensions),
        indicators=MappingProxyType(indicators),
        tags=MappingProxyType(_tag_scores(framework, indicators)),
        questions=MappingProxyType(questions),
    )


def question_outcome(
    framework: Framework,
    question: Question,
    answers: Mapping[str, Any],
    visible: frozenset[str],
    assessor_scores: Mapping[str, Fraction],
) -> QuestionOutcome:
    """How one question counts (see QuestionStatus)."""
    if question.key not in visible:
        return QuestionOutcome(QuestionStatus.HIDDEN)
    if not question.is_scored:
        return QuestionOutcome(QuestionStatus.NOT_SCORED)
    if question.assessor_scored and question.key in assessor_scores:
        return QuestionOutcome(QuestionStatus.SCORED, assessor_scores[question.key])
    value = answers.get(question.key)
    if not is_answered(value):
        if framework.unanswered is Unanswered.SKIP:
            return QuestionOutcome(QuestionStatus.SKIPPED)
        return QuestionOutcome(QuestionStatus.UNANSWERED, Fraction(0))
    if question.assessor_scored:
        return QuestionOutcome(QuestionStatus.PENDING)
    return QuestionOutcome(QuestionStatus.SCORED, normalized_score(question, value))


def weighted_mean(parts: Iterable[Weighted]) -> Fraction | None:
    """sum(s x w) / sum(w), exactly; None when there is nothing (or only zero weight) to average.

    Sums over a common denominator in plain integers and builds one Fraction at the end:
    the same value as Fraction arithmetic, several times faster (scoring is the hot path).
    """
    parts = list(parts)
    if len(parts) == 1:  # the common case of a one-question indicator
        s, weight = parts[0]
        return s if weight else None
    total, total_den = 0, 1
    weights, weights_den = 0, 1
    for s, weight in parts:
        den = s.denominator * weight.denominator
        if den != total_den:
            common = lcm(total_den, den)
            total, total_den = total * (common // total_den), common
        total += s.numerator * weight.numerator * (total_den // den)
        if weight.denominator != weights_den:
            common = lcm(weights_den, weight.denominator)
            weights, weights_den = weights * (common // weights_den), common
        weights += weight.numerator * (weights_den // weight.denominator)
    if weights == 0:
        return None
    return Fraction(total * weights_den, total_den * weights)


def _tag_scores(
    framework: Framework, indicators: Mapping[str, Fraction]
) -> dict[str, Mapping[str, Fraction]]:
    parts: dict[str, dict[str, list[Weighted]]] = {}
    for _, indicator in framework.indicators():
        s = indicators.get(indicator.key)
        if s is None:
            continue
        weight = framework.indicator_weights[indicator.key]
        for name, value in indicator.tags.items():
            parts.setdefault(name, {}).setdefault(value, []).append((s, weight))
    return {
        name: MappingProxyType(
            {
                value: mean
                for value, items in by_value.items()
                if (mean := weighted_mean(items)) is not None
            }
        )
        for name, by_value in parts.items()
    }
