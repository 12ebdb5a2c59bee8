"""Property tests of scoring: scale-invariant weights, hidden questions, bounds."""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluation.domain import Scorecard, ScoreSet, parse_framework, score_submission
from evaluation.domain.scoring import weighted_mean

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WEIGHTS = st.integers(min_value=1, max_value=20) | st.sampled_from([0.25, 0.5, 1.5, 2.75])


@st.composite
def question_and_answer(draw: st.DrawFn, key: str) -> tuple[dict[str, Any], Any]:
    kind = draw(st.sampled_from(["level", "choice", "multi_choice", "boolean", "number", "banded"]))
    base: dict[str, Any] = {"key": key, "text": key, "weight": draw(WEIGHTS)}
    scores = draw(st.lists(st.sampled_from([0, 0.1, 0.25, 0.5, 0.75, 1]), min_size=1, max_size=4))
    options = [{"value": f"o{i}", "label": f"O{i}", "score": s} for i, s in enumerate(scores)]
    values = [o["value"] for o in options]
    answer: Any
    if kind == "level":
        count = draw(st.integers(1, 6))
        levels = [{"label": f"L{i}", "criteria": "c"} for i in range(count)]
        question = {**base, "type": "level", "levels": levels}
        answer = draw(st.integers(1, count))
    elif kind == "choice":
        question, answer = (
            {**base, "type": "choice", "options": options},
            draw(st.sampled_from(values)),
        )
    elif kind == "multi_choice":
        chosen = draw(st.lists(st.sampled_from(values), unique=True))
        question, answer = {**base, "type": "multi_choice", "options": options}, chosen
    elif kind == "boolean":
        question, answer = {**base, "type": "boolean"}, draw(st.booleans())
    else:
        question = {**base, "type": "number", "target": draw(st.sampled_from([1, 10, 100, 0.5]))}
        if kind == "banded":
            question["bands"] = [[0, 0.25], [0.33, 0.5], [0.66, 0.75], [0.95, 1]]
        answer = draw(
            st.integers(-10, 200) | st.floats(-1, 150, allow_nan=False).map(lambda f: round(f, 3))
        )
    if draw(st.booleans()):
        answer = None
    return question, answer


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    counter = iter(range(1000))
    answers: dict[str, Any] = {}
    dimensions = []
    for d in range(draw(st.integers(1, 3))):
        indicators = []
        for i in range(draw(st.integers(1, 3))):
            questions = []
            for _ in range(draw(st.integers(1, 3))):
                question, answer = draw(question_and_answer(f"q{next(counter)}"))
                questions.append(question)
                answers[question["key"]] = answer
            tags = {"pillar": draw(st.sampled_from(["gov", "eco", "env"]))}
            indicators.append(
                {
                    "key": f"i{d}-{i}",
                    "name": "I",
                    "weight": draw(WEIGHTS),
                    "questions": questions,
                    "tags": tags,
                }
            )
        dimensions.append(
            {"key": f"d{d}", "name": "D", "weight": draw(WEIGHTS), "indicators": indicators}
        )
    doc = {
        "key": "prop",
        "name": "Property",
        "scale_max": draw(st.sampled_from([5, 100, 4, 7.5])),
        "unanswered": draw(st.sampled_from(["zero", "skip"])),
        "dimensions": dimensions,
    }
    return doc, answers


def same_scores(left: ScoreSet, right: ScoreSet) -> bool:
    return (left.overall, left.dimensions, left.indicators, left.tags) == (
        right.overall,
        right.dimensions,
        right.indicators,
        right.tags,
    )


def scaled(doc: dict[str, Any], factor: float) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    for dimension in doc["dimensions"]:
        dimension["weight"] *= factor
        for indicator in dimension["indicators"]:
            indicator["weight"] *= factor
            for question in indicator["questions"]:
                question["weight"] *= factor
    return doc


@SETTINGS
@given(scenarios(), st.sampled_from([2, 3, 7, 1000, 0.5, 0.25]))
def test_multiplying_every_weight_by_a_constant_changes_nothing(
    scenario: tuple[dict[str, Any], dict[str, Any]], factor: float
) -> None:
    doc, answers = scenario
    before = score_submission(parse_framework(doc), answers)
    after = score_submission(parse_framework(scaled(doc, factor)), answers)
    assert same_scores(before.final, after.final)


@SETTINGS
@given(scenarios(), st.data())
def test_hidden_questions_do_not_change_the_score(
    scenario: tuple[dict[str, Any], dict[str, Any]], data: st.DataObject
) -> None:
    doc, answers = scenario
    before = score_submission(parse_framework(doc), answers)
    changed = copy.deepcopy(doc)
    gate = {"key": "gate", "type": "text", "text": "gate"}
    changed["dimensions"][0]["indicators"][0]["questions"].append(gate)
    hidden_answers = dict(answers, gate="closed")
    for n in range(data.draw(st.integers(1, 3))):
        extra, answer = data.draw(question_and_answer(f"hidden{n}"))
        extra["visible_if"] = {"question": "gate", "op": "eq", "value": "open"}
        dimension = data.draw(st.sampled_from(changed["dimensions"]))
        data.draw(st.sampled_from(dimension["indicators"]))["questions"].append(extra)
        hidden_answers[extra["key"]] = answer
    after = score_submission(parse_framework(changed), hidden_answers)
    assert same_scores(before.final, after.final)


def within_scale(card: Scorecard, scores: ScoreSet) -> bool:
    values = [scores.overall, *scores.dimensions.values(), *scores.indicators.values()]
    values += [s for by_value in scores.tags.values() for s in by_value.values()]
    reported = [card.reported(s) for s in values if s is not None]
    top = card.reported(card.scale_max / card.scale_max)
    return all(0 <= s <= 1 for s in values if s is not None) and all(
        r is not None and top is not None and 0 <= r <= top for r in reported
    )


@SETTINGS
@given(scenarios())
def test_scores_stay_within_zero_and_scale_max(
    scenario: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    doc, answers = scenario
    card = score_submission(parse_framework(doc), answers)
    assert within_scale(card, card.final)
    assert within_scale(card, card.self_assessed)


@SETTINGS
@given(scenarios())
def test_without_verified_answers_self_and_final_agree(
    scenario: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    doc, answers = scenario
    card = score_submission(parse_framework(doc), answers)
    assert same_scores(card.self_assessed, card.final)
    assert card.difference().overall in (0, None)


FRACTIONS = st.fractions(min_value=0, max_value=1, max_denominator=50)
WEIGHT_FRACTIONS = st.fractions(min_value=Fraction(1, 40), max_value=100, max_denominator=40)


@SETTINGS
@given(st.lists(st.tuples(FRACTIONS, WEIGHT_FRACTIONS), max_size=30))
def test_fast_weighted_mean_equals_plain_fraction_arithmetic(
    parts: list[tuple[Fraction, Fraction]],
) -> None:
    expected = sum(s * w for s, w in parts) / sum(w for _, w in parts) if parts else None
    assert weighted_mean(parts) == expected
