"""Recommendations from the weakest indicators, their statuses, and the overdue list."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from evaluation.domain import (
    Priority,
    RecommendationStatus,
    change_status,
    framework_to_dict,
    generate_recommendations,
    overdue,
    parse_framework,
    score_submission,
)
from smartcity_shared.errors import Conflict, ValidationProblem
from tests.unit.evaluation.eval_factories import build, dimension, indicator, level_q

ISSUED = date(2020, 1, 15)


def framework() -> Any:
    return build(
        dimension(
            "gov",
            indicator(
                "service",
                level_q("q-service"),
                guidance="Put every licence online via the MPP portal.",
            ),
            indicator("policy", level_q("q-policy"), guidance="  "),
        ),
        dimension(
            "eco", indicator("budget", level_q("q-budget"), guidance="Tag innovation budget lines.")
        ),
    )


def card(service: int, policy: int, budget: int, verified: dict[str, int] | None = None) -> Any:
    answers = {"q-service": service, "q-policy": policy, "q-budget": budget}
    return score_submission(framework(), answers, verified=verified)


def test_weakest_indicators_below_the_threshold_become_recommendations() -> None:
    drafts = generate_recommendations(
        framework(), card(1, 2, 4), owner_unit="dinkes", issued_on=ISSUED
    )
    # default threshold 60 % = 0.6: service 0.2 and policy 0.4 are below, budget 0.8 is not
    assert [d.indicator_key for d in drafts] == ["service", "policy"]
    service, policy = drafts
    assert service.text == "Put every licence online via the MPP portal."
    assert service.gap == Fraction(2, 5)
    assert service.priority is Priority.HIGH
    assert policy.gap == Fraction(1, 5)
    assert policy.priority is Priority.MEDIUM
    assert policy.text == "Improve 'Policy': it scores below the threshold."
    assert service.owner_unit == "dinkes"
    assert service.due == date(2020, 4, 14)
    assert service.status is RecommendationStatus.OPEN
    assert service.dimension_key == "gov"


def test_threshold_due_days_and_limit_are_configurable() -> None:
    drafts = generate_recommendations(
        framework(),
        card(1, 2, 4),
        owner_unit="bappeda",
        issued_on=ISSUED,
        threshold=Decimal("4.5"),
        due_in_days=30,
        limit=2,
    )
    assert [(d.indicator_key, d.priority) for d in drafts] == [
        ("service", "high"),
        ("policy", "high"),
    ]
    assert drafts[0].due == date(2020, 2, 14)
    low = generate_recommendations(
        framework(), card(4, 4, 4), owner_unit="x", issued_on=ISSUED, threshold=4.5
    )
    assert [(d.indicator_key, d.priority) for d in low] == [
        ("service", "low"),
        ("policy", "low"),
        ("budget", "low"),
    ]


def test_recommendations_use_the_final_verified_scores() -> None:
    drafts = generate_recommendations(
        framework(), card(5, 5, 5, verified={"q-budget": 1}), owner_unit="x", issued_on=ISSUED
    )
    assert [d.indicator_key for d in drafts] == ["budget"]


def test_no_recommendation_when_everything_is_above_the_threshold() -> None:
    assert (
        generate_recommendations(framework(), card(5, 4, 4), owner_unit="x", issued_on=ISSUED) == []
    )


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"threshold": 6}, "threshold"),
        ({"threshold": -1}, "threshold"),
        ({"threshold": Decimal("NaN")}, "threshold"),
        ({"due_in_days": -1}, "due_in_days"),
        ({"limit": 0}, "limit"),
    ],
)
def test_bad_generation_options_are_invalid_input(options: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationProblem) as caught:
        generate_recommendations(
            framework(), card(1, 1, 1), owner_unit="x", issued_on=ISSUED, **options
        )
    assert list(caught.value.errors) == [field]


@pytest.mark.parametrize(
    ("current", "new"),
    [
        ("open", "in_progress"),
        ("open", "done"),
        ("open", "dropped"),
        ("in_progress", "done"),
        ("in_progress", "dropped"),
        ("done", "in_progress"),
    ],
)
def test_allowed_status_changes(current: str, new: str) -> None:
    assert change_status(current, new) == RecommendationStatus(new)


@pytest.mark.parametrize(
    ("current", "new"),
    [
        ("dropped", "open"),
        ("dropped", "in_progress"),
        ("done", "open"),
        ("in_progress", "open"),
        ("open", "open"),
    ],
)
def test_forbidden_status_changes_conflict(current: str, new: str) -> None:
    with pytest.raises(Conflict):
        change_status(current, new)


def test_unknown_status_is_invalid_input() -> None:
    with pytest.raises(ValidationProblem):
        change_status("open", "finished")


def test_overdue_lists_active_recommendations_past_their_due_date() -> None:
    base = generate_recommendations(framework(), card(1, 1, 1), owner_unit="x", issued_on=ISSUED)[0]
    items = [
        replace(base, indicator_key="late-open", due=date(2020, 3, 1)),
        replace(
            base,
            indicator_key="later-progress",
            due=date(2020, 2, 1),
            status=RecommendationStatus.IN_PROGRESS,
        ),
        replace(base, indicator_key="due-today", due=date(2020, 4, 1)),
        replace(base, indicator_key="done", due=date(2020, 1, 1), status=RecommendationStatus.DONE),
        replace(
            base, indicator_key="dropped", due=date(2020, 1, 1), status=RecommendationStatus.DROPPED
        ),
    ]
    assert [i.indicator_key for i in overdue(items, date(2020, 4, 1))] == [
        "later-progress",
        "late-open",
    ]


def test_the_frameworks_own_threshold_replaces_the_default() -> None:
    strict = replace(framework(), recommendation_threshold=Fraction(9, 2))  # 4.5 of 5
    drafts = generate_recommendations(strict, card(4, 4, 5), owner_unit="x", issued_on=ISSUED)
    # 4 of 5 is above the default 3 but below the framework's 4.5
    assert [d.indicator_key for d in drafts] == ["service", "policy"]
    assert (
        generate_recommendations(framework(), card(4, 4, 5), owner_unit="x", issued_on=ISSUED) == []
    )
    explicit = generate_recommendations(
        strict, card(4, 4, 5), owner_unit="x", issued_on=ISSUED, threshold=3
    )
    assert explicit == []  # a re-run's explicit threshold wins


def test_a_framework_document_carries_its_threshold_within_its_scale() -> None:
    document = framework_document(recommendation_threshold=3.5)
    assert parse_framework(document).recommendation_threshold == Fraction(7, 2)
    assert parse_framework(framework_document()).recommendation_threshold is None
    for bad in (6, -1, "high"):
        with pytest.raises(ValidationProblem) as caught:
            parse_framework(framework_document(recommendation_threshold=bad))
        assert "recommendation_threshold" in caught.value.errors


def framework_document(**extra: Any) -> dict[str, Any]:
    question = {"key": "q", "type": "boolean", "text": "Ada?"}
    indicator = {"key": "i", "name": "I", "questions": [question]}
    dimension = {"key": "d", "name": "D", "indicators": [indicator]}
    return {"key": "f", "name": "F", "scale_max": 5, "dimensions": [dimension], **extra}


def test_the_threshold_survives_the_round_trip_through_the_stored_document() -> None:
    parsed = parse_framework(framework_document(recommendation_threshold=3.5))
    assert parse_framework(framework_to_dict(parsed)).recommendation_threshold == Fraction(7, 2)
