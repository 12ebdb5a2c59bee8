"""The frameworks shipped as data: valid, and scoring to the documented results."""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from evaluation.domain import (
    Framework,
    QuestionType,
    framework_to_dict,
    missing_items,
    parse_framework,
    score_submission,
    shipped_documents,
    shipped_frameworks,
)

SHIPPED = ["innovation-readiness", "smart-city-6-pillars", "spbe-maturity"]
SPBE_LEVELS = ["Rintisan", "Terkelola", "Terdefinisi", "Terpadu dan Terukur", "Optimum"]


@pytest.fixture(scope="module")
def frameworks() -> dict[str, Framework]:
    return shipped_frameworks()


def test_every_shipped_framework_passes_the_validator(frameworks: dict[str, Framework]) -> None:
    assert sorted(frameworks) == SHIPPED
    for key, document in shipped_documents().items():
        framework = parse_framework(document)
        assert framework.key == key
        assert parse_framework(framework_to_dict(framework)) == framework


# --- Smart City six pillars -----------------------------------------------------------------

PILLAR_ELEMENTS = {
    "governance": {"public_service", "bureaucracy", "public_policy"},
    "branding": {"tourism", "business", "city_appearance"},
    "economy": {"industry", "welfare", "financial_transactions"},
    "living": {"spatial_planning", "health", "mobility"},
    "society": {"community", "learning_ecosystem", "security"},
    "environment": {"protection", "waste", "energy"},
}
LENSES = ["baseline", "output", "outcome", "impact", "quick_win"]


def test_six_pillars_three_elements_five_lenses(frameworks: dict[str, Framework]) -> None:
    framework = frameworks["smart-city-6-pillars"]
    assert framework.dimension_keys == tuple(PILLAR_ELEMENTS)
    for dimension in framework.dimensions:
        elements = {i.tags["element"] for i in dimension.indicators}
        assert elements == PILLAR_ELEMENTS[dimension.key]
        assert {i.tags["pillar"] for i in dimension.indicators} == {dimension.key}
        for element in elements:
            lenses = [i.tags["lens"] for i in dimension.indicators if i.tags["element"] == element]
            assert lenses == LENSES
    assert framework.lenses is not None
    assert dict(framework.lenses.weights) == {
        "baseline": 10,
        "output": 20,
        "outcome": 30,
        "impact": 30,
        "quick_win": 10,
    }


def pillar_answers(framework: Framework) -> dict[str, Any]:
    by_lens = {"baseline": 5, "output": 50, "outcome": 3, "impact": "survey", "quick_win": True}
    answers: dict[str, Any] = {}
    for _, indicator in framework.indicators():
        lens = indicator.tags["lens"]
        for question in indicator.questions:
            if question.type is QuestionType.FILE:
                answers[question.key] = "https://drive.example/quick-win.pdf"
            else:
                answers[question.key] = by_lens[lens]
    return answers


def test_six_pillars_score_is_lens_weighted(frameworks: dict[str, Framework]) -> None:
    framework = frameworks["smart-city-6-pillars"]
    card = score_submission(framework, pillar_answers(framework))
    # baseline 1, output 0.5, outcome 0.6, impact 0.5, quick win 1:
    # (10 x 1 + 20 x 0.5 + 30 x 0.6 + 30 x 0.5 + 10 x 1) / 100 = 0.63 in every pillar
    assert set(card.final.dimensions.values()) == {Fraction(63, 100)}
    assert card.reported(card.overall) == Decimal("3.15")
    assert card.final.tags["lens"] == {
        "baseline": 1,
        "output": Fraction(1, 2),
        "outcome": Fraction(3, 5),
        "impact": Fraction(1, 2),
        "quick_win": 1,
    }
    assert card.final.tags["pillar"]["living"] == Fraction(63, 100)
    assert card.band == "Maju"


def test_another_years_lens_weights_are_a_data_change(frameworks: dict[str, Framework]) -> None:
    document = copy.deepcopy(shipped_documents()["smart-city-6-pillars"])
    document["version"] = 2
    document["lenses"]["weights"] = {
        "baseline": 10,
        "output": 20,
        "outcome": 30,
        "impact": 20,
        "quick_win": 20,
    }
    framework = parse_framework(document)
    card = score_submission(framework, pillar_answers(framework))
    # (10 + 10 + 18 + 10 + 20) / 100 = 0.68
    assert card.reported(card.overall) == Decimal("3.40")


def test_quick_win_evidence_is_asked_only_for_a_delivered_quick_win(
    frameworks: dict[str, Framework],
) -> None:
    framework = frameworks["smart-city-6-pillars"]
    answers = pillar_answers(framework)
    evidence = {k: ["https://drive.example/e.pdf"] for k in answers}
    assert missing_items(framework, answers, evidence) == {}
    key = "q-governance-public-service-quick-win"
    del answers[f"{key}-evidence"]
    assert missing_items(framework, answers, evidence) == {f"answers.{key}-evidence": ["required"]}
    answers[key] = False
    assert missing_items(framework, answers, evidence) == {}


# --- SPBE maturity ---------------------------------------------------------------------------


def test_spbe_shape(frameworks: dict[str, Framework]) -> None:
    framework = frameworks["spbe-maturity"]
    assert framework.scale_max == 5
    assert len(framework.dimensions) == 4
    assert len({i.tags["aspect"] for _, i in framework.indicators()}) == 8
    questions = list(framework.questions())
    assert len(questions) >= 10
    for question in questions:
        assert question.type is QuestionType.LEVEL
        assert [level.label for level in question.levels] == SPBE_LEVELS
        assert all(level.criteria for level in question.levels)
        assert question.evidence is not None and question.evidence.required_from_level == 3


def spbe_answers(framework: Framework, levels_by_domain: list[list[int]]) -> dict[str, int]:
    answers = {}
    for dimension, levels in zip(framework.dimensions, levels_by_domain, strict=True):
        questions = [q for i in dimension.indicators for q in i.questions]
        answers.update({q.key: level for q, level in zip(questions, levels, strict=True)})
    return answers


@pytest.mark.parametrize(
    ("levels_by_domain", "index", "band"),
    [
        ([[1, 1, 1], [1] * 6, [1] * 4, [1] * 6], "1.00", "Kurang"),
        # (13 x 3/3 + 25 x 7/6 + 16.5 x 4/4 + 45.5 x 16/6) / 100 = 1.8 exactly
        ([[1, 1, 1], [2, 1, 1, 1, 1, 1], [1] * 4, [4, 4, 2, 2, 2, 2]], "1.80", "Cukup"),
        ([[2, 2, 2], [2] * 6, [2] * 4, [3, 3, 3, 3, 3, 3]], "2.46", "Cukup"),
        # (13 x 3/3 + 25 x 8/6 + 16.5 x 4/4 + 45.5 x 26/6) / 100 = 2.6 exactly
        ([[1, 1, 1], [3, 1, 1, 1, 1, 1], [1] * 4, [5, 5, 5, 5, 5, 1]], "2.60", "Baik"),
        # (13 x 3/3 + 25 x 22/6 + 16.5 x 8/4 + 45.5 x 28/6) / 100 = 3.5 exactly
        ([[1, 1, 1], [5, 5, 3, 3, 3, 3], [2] * 4, [5, 5, 5, 5, 4, 4]], "3.50", "Sangat Baik"),
        # (13 x 4/3 + 25 x 30/6 + 16.5 x 14/4 + 45.5 x 29/6) / 100 = 4.2 exactly
        ([[2, 1, 1], [5] * 6, [5, 4, 4, 1], [5, 5, 5, 5, 5, 4]], "4.20", "Memuaskan"),
        ([[5, 5, 5], [5] * 6, [5] * 4, [5] * 6], "5.00", "Memuaskan"),
    ],
)
def test_spbe_index_and_predicate_boundaries(
    frameworks: dict[str, Framework], levels_by_domain: list[list[int]], index: str, band: str
) -> None:
    framework = frameworks["spbe-maturity"]
    card = score_submission(framework, spbe_answers(framework, levels_by_domain))
    assert card.reported(card.overall) == Decimal(index)
    assert card.band == band


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (Fraction(1794, 1000), "Kurang"),
        (Fraction(18, 10), "Cukup"),
        (Fraction(2594, 1000), "Cukup"),
        (Fraction(26, 10), "Baik"),
        (Fraction(3494, 1000), "Baik"),
        (Fraction(35, 10), "Sangat Baik"),
        (Fraction(4194, 1000), "Sangat Baik"),
        (Fraction(42, 10), "Memuaskan"),
    ],
)
def test_spbe_band_edges(frameworks: dict[str, Framework], value: Fraction, band: str) -> None:
    # just below an edge means below it as reported: 1.794 shows as 1.79 (1.795 shows as 1.80)
    assert frameworks["spbe-maturity"].band_for(value) == band


def test_spbe_evidence_from_level_three(frameworks: dict[str, Framework]) -> None:
    framework = frameworks["spbe-maturity"]
    answers = {q.key: 2 for q in framework.questions()}
    assert missing_items(framework, answers, {}) == {}
    answers["q-pusat-data"] = 3
    assert missing_items(framework, answers, {}) == {
        "evidence.q-pusat-data": ["evidence required for level 3 and above"]
    }


# --- innovation readiness ----------------------------------------------------------------------

READINESS_ANSWERS: dict[str, Any] = {
    "has-team": True,
    "team-decree": "https://jdih.example/sk-tim-inovasi.pdf",
    "team-trained": 5,
    "focal-point-share": "most",
    "facilities": ["data_center", "network", "open_data"],
    "budget-share": 0.7,
    "has-regulation": False,
    "planning-anchor": "rpjmd",
    "process-description": "Ideas are collected yearly by Bappeda ...",
}


def test_innovation_readiness_scores_by_hand(frameworks: dict[str, Framework]) -> None:
    framework = frameworks["innovation-readiness"]
    assert {q.type for q in framework.questions()} == set(QuestionType) - {QuestionType.LEVEL}
    card = score_submission(
        framework, READINESS_ANSWERS, assessor_scores={"process-description": 0.6}
    )
    # structure: team (1 + 0.5) / 2 = 0.75, focal points 0.7 -> 0.725
    # infrastructure: facilities 0.8, budget ratio 0.7 -> band 0.66 -> 0.75 -> 0.775
    # superstructure: policy (0 + 0.8) / 2 = 0.4, process 0.6 -> 0.5
    assert card.final.dimensions == {
        "structure": Fraction(29, 40),
        "infrastructure": Fraction(31, 40),
        "superstructure": Fraction(1, 2),
    }
    assert card.overall == Fraction(2, 3)
    assert card.reported(card.overall) == Decimal("66.67")
    assert card.band == "Siap"


def test_innovation_readiness_hides_team_questions_without_a_team(
    frameworks: dict[str, Framework],
) -> None:
    framework = frameworks["innovation-readiness"]
    answers = dict(READINESS_ANSWERS, **{"has-team": False})
    card = score_submission(framework, answers, assessor_scores={"process-description": 0.6})
    assert card.final.questions["team-trained"].status == "hidden"
    # structure = (0 + 0.7) / 2 = 0.35; overall = (0.35 + 0.775 + 0.5) / 3 = 0.541666...
    assert card.reported(card.overall) == Decimal("54.17")
    assert card.band == "Cukup Siap"
    assert missing_items(framework, answers, {}) == {}
    del answers["team-decree"]
    answers["has-team"] = True
    assert missing_items(framework, answers, {}) == {"answers.team-decree": ["required"]}
