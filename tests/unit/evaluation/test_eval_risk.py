"""Risk ratings per CONTRACT.md, perspectives and the 5 x 5 heatmap."""

from __future__ import annotations

import itertools

import pytest

from evaluation.domain import (
    Perspective,
    RiskLevel,
    count_by_level,
    count_by_perspective,
    heatmap,
    parse_perspective,
    rate_risk,
    rating_changed,
)
from smartcity_shared.errors import ValidationProblem


@pytest.mark.parametrize(
    ("likelihood", "impact", "score", "level"),
    [
        (1, 1, 1, "low"),
        (2, 2, 4, "low"),
        (1, 4, 4, "low"),
        (1, 5, 5, "medium"),
        (3, 3, 9, "medium"),
        (2, 5, 10, "high"),
        (4, 4, 16, "high"),
        (4, 5, 20, "extreme"),
        (5, 5, 25, "extreme"),
    ],
)
def test_rating_by_score(likelihood: int, impact: int, score: int, level: str) -> None:
    rating = rate_risk(likelihood, impact)
    assert (rating.score, rating.level) == (score, RiskLevel(level))


def test_every_cell_of_the_grid_has_a_rating() -> None:
    for likelihood, impact in itertools.product(range(1, 6), repeat=2):
        assert rate_risk(likelihood, impact).score == likelihood * impact


@pytest.mark.parametrize(("likelihood", "impact"), [(0, 3), (3, 6), (True, 3), (2.0, 3), ("3", 3)])
def test_out_of_range_inputs_are_invalid(likelihood: object, impact: object) -> None:
    with pytest.raises(ValidationProblem):
        rate_risk(likelihood, impact)


def test_both_bad_inputs_are_reported() -> None:
    with pytest.raises(ValidationProblem) as caught:
        rate_risk(0, 9)
    assert caught.value.errors == {
        "likelihood": ["must be an integer from 1 to 5"],
        "impact": ["must be an integer from 1 to 5"],
    }


def test_perspectives_include_community_engagement_and_sustainability() -> None:
    assert parse_perspective("community_engagement") is Perspective.COMMUNITY_ENGAGEMENT
    assert parse_perspective("sustainability") is Perspective.SUSTAINABILITY
    with pytest.raises(ValidationProblem) as caught:
        parse_perspective("vibes")
    assert list(caught.value.errors) == ["perspective"]


def test_heatmap_counts_by_likelihood_and_impact() -> None:
    ratings = [rate_risk(5, 4), rate_risk(5, 4), rate_risk(1, 1), rate_risk(2, 3)]
    grid = heatmap(ratings)
    assert grid[4][3] == 2
    assert grid[0][0] == 1
    assert grid[1][2] == 1
    assert sum(map(sum, grid)) == 4
    assert len(grid) == 5 and all(len(row) == 5 for row in grid)


def test_counts_include_zeros() -> None:
    assert count_by_level([rate_risk(5, 5), rate_risk(1, 2)]) == {
        RiskLevel.LOW: 1,
        RiskLevel.MEDIUM: 0,
        RiskLevel.HIGH: 0,
        RiskLevel.EXTREME: 1,
    }
    counts = count_by_perspective([Perspective.SUSTAINABILITY, Perspective.SUSTAINABILITY])
    assert counts[Perspective.SUSTAINABILITY] == 2
    assert counts[Perspective.LEGAL] == 0
    assert len(counts) == 7


def test_rating_changed_on_level_only() -> None:
    assert rating_changed(None, rate_risk(1, 1))
    assert not rating_changed(rate_risk(1, 2), rate_risk(2, 2))
    assert rating_changed(rate_risk(2, 2), rate_risk(1, 5))
