"""The official frameworks shipped as data (issue 15): SPBE 2020, Indeks Pemdi 2026, IID 2023
and Gerakan Menuju 100 Smart City — exact structure, weights, bands and worked scores."""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from evaluation.domain import (
    Framework,
    QuestionType,
    parse_framework,
    score_submission,
    shipped_documents,
    shipped_frameworks,
)

SPBE_LEVELS = ["Rintisan", "Terkelola", "Terdefinisi", "Terpadu dan Terukur", "Optimum"]


@pytest.fixture(scope="module")
def frameworks() -> dict[str, Framework]:
    return shipped_frameworks()


def all_answers(framework: Framework, value: Any) -> dict[str, Any]:
    return {q.key: value for _, i in framework.indicators() for q in i.questions}


def aspect_counts(framework: Framework) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, indicator in framework.indicators():
        counts[indicator.tags["aspect"]] = counts.get(indicator.tags["aspect"], 0) + 1
    return counts


def test_every_official_document_names_its_source(frameworks: dict[str, Framework]) -> None:
    for key in ("spbe-2020", "pemdi-2026", "iid-2023", "smart-city-100"):
        assert frameworks[key].description.startswith("SOURCE: ")


# --- SPBE 2020 (Permenpan RB 59/2020) ------------------------------------------------------


def test_spbe_2020_has_47_indicators_in_4_domains_and_8_aspects(
    frameworks: dict[str, Framework],
) -> None:
    spbe = frameworks["spbe-2020"]
    assert [d.weight for d in spbe.dimensions] == [13, 25, Fraction(33, 2), Fraction(91, 2)]
    assert [len(d.indicators) for d in spbe.dimensions] == [10, 10, 11, 16]
    per_aspect = [10, 4, 4, 2, 8, 3, 10, 6]
    assert aspect_counts(spbe) == {f"aspek-{n}": c for n, c in enumerate(per_aspect, 1)}
    for dimension in spbe.dimensions:  # indicator weights add up to the domain's weight
        assert sum(i.weight for i in dimension.indicators) == dimension.weight
    for _, indicator in spbe.indicators():
        (question,) = indicator.questions
        assert question.type is QuestionType.LEVEL
        assert [level.label for level in question.levels] == SPBE_LEVELS
    assert [(b.label, b.min) for b in spbe.bands] == [
        ("Kurang", 0),
        ("Cukup", Fraction(9, 5)),
        ("Baik", Fraction(13, 5)),
        ("Sangat Baik", Fraction(7, 2)),
        ("Memuaskan", Fraction(21, 5)),
    ]


def test_spbe_2020_all_level_3_scores_3_baik(frameworks: dict[str, Framework]) -> None:
    card = score_submission(frameworks["spbe-2020"], all_answers(frameworks["spbe-2020"], 3))
    assert card.reported(card.overall) == Decimal("3.00")
    assert card.band == "Baik"


def test_spbe_2020_index_is_the_regulations_weighted_sum(frameworks: dict[str, Framework]) -> None:
    spbe = frameworks["spbe-2020"]
    # level 4 in the service domain (45.5 %), level 2 elsewhere (54.5 %):
    # (4 x 45.5 + 2 x 54.5) / 100 = 2.91 -> Baik; the domain scores stay per domain
    answers = {
        q.key: 4 if dimension.key == "spbe20-layanan" else 2
        for dimension in spbe.dimensions
        for i in dimension.indicators
        for q in i.questions
    }
    card = score_submission(spbe, answers)
    assert card.reported(card.overall) == Decimal("2.91")
    assert card.band == "Baik"
    assert card.final.tags["aspect"]["aspek-8"] == Fraction(4, 5)
    assert score_submission(spbe, all_answers(spbe, 1)).band == "Kurang"
    assert score_submission(spbe, all_answers(spbe, 5)).band == "Memuaskan"


# --- Indeks Pemdi 2026 -------------------------------------------------------------------------


def test_pemdi_2026_has_9_aspects_weighted_as_published(frameworks: dict[str, Framework]) -> None:
    pemdi = frameworks["pemdi-2026"]
    weights = {d.key.split("-", 3)[-1]: d.weight for d in pemdi.dimensions}
    assert weights == {
        "strategi": 5,
        "tata-kelola": 5,
        "teknologi-digital": 20,
        "audit": 6,
        "keamanan-siber": 9,
        "budaya-kapabilitas": 10,
        "data": 10,
        "integrasi-layanan": 15,
        "kepuasan-pengguna": 20,
    }
    assert sum(weights.values()) == 100
    for _, indicator in pemdi.indicators():
        assert "UNCONFIRMED" in indicator.description  # not silently invented


def test_pemdi_2026_index_weights_the_aspects(frameworks: dict[str, Framework]) -> None:
    pemdi = frameworks["pemdi-2026"]
    # level 5 in technology and satisfaction (40 %), level 3 elsewhere (60 %): 2 + 1.8 = 3.80
    answers = {
        q.key: 5 if d.weight == 20 else 3 for d in pemdi.dimensions for i in d.indicators
        for q in i.questions
    }  # fmt: skip
    card = score_submission(pemdi, answers)
    assert card.reported(card.overall) == Decimal("3.80")


# --- Indeks Inovasi Daerah 2023 ----------------------------------------------------------------


def test_iid_2023_has_36_indicators_in_8_variables_split_25_2_and_74_8(
    frameworks: dict[str, Framework],
) -> None:
    iid = frameworks["iid-2023"]
    assert len(iid.dimensions) == 8
    assert len(list(iid.indicators())) == 36
    assert aspect_counts(iid) == {"spd": 15, "sid": 21}
    total = sum(d.weight for d in iid.dimensions)
    spd = sum(d.weight for d in iid.dimensions if d.indicators[0].tags["aspect"] == "spd")
    assert total == 250
    assert (spd / total * 100, (total - spd) / total * 100) == (Fraction("25.2"), Fraction("74.8"))
    assert {i.tags["aspect"] for d in iid.dimensions for i in d.indicators} == {"spd", "sid"}
    for dimension in iid.dimensions:
        assert len({i.tags["aspect"] for i in dimension.indicators}) == 1
        assert sum(i.weight for i in dimension.indicators) == dimension.weight
    assert [(b.label, b.min) for b in iid.bands] == [
        ("Tidak Dapat Dinilai", 0),
        ("Kurang Inovatif", Fraction(1, 100)),
        ("Inovatif", 35),
        ("Sangat Inovatif", Fraction(6001, 100)),
    ]


def iid_answers(framework: Framework, spd_level: int | None, sid: Any, count: int) -> dict:
    answers: dict[str, Any] = {}
    for _, indicator in framework.indicators():
        for question in indicator.questions:
            if indicator.key == "iid23-36":
                answers[question.key] = count
            elif indicator.tags["aspect"] == "sid":
                answers[question.key] = sid
            elif spd_level is not None:
                answers[question.key] = spd_level
    return answers


def test_iid_2023_index_is_total_over_maximum(frameworks: dict[str, Framework]) -> None:
    iid = frameworks["iid-2023"]
    # SPD all parameter 3 (63), SID average parameter 2 (111 x 2/3 = 74), 50 innovations
    # (0.38 x 50 = 19): (63 + 74 + 19) / 250 x 100 = 62.40 -> Sangat Inovatif
    card = score_submission(iid, iid_answers(iid, 3, 2, 50))
    assert card.reported(card.overall) == Decimal("62.40")
    assert card.band == "Sangat Inovatif"
    # SPD parameter 1 (21), SID average 1.5 (55.5), 20 innovations (7.6): 84.1 / 250 = 33.64
    card = score_submission(iid, iid_answers(iid, 1, 1.5, 20))
    assert card.reported(card.overall) == Decimal("33.64")
    assert card.band == "Kurang Inovatif"


def test_iid_2023_bands_at_their_edges_and_nothing_evidenced(
    frameworks: dict[str, Framework],
) -> None:
    iid = frameworks["iid-2023"]
    assert [iid.band_for(Fraction(v)) for v in ("60", "60.01", "35", "34.99", "0.01")] == [
        "Inovatif", "Sangat Inovatif", "Inovatif", "Kurang Inovatif", "Kurang Inovatif",
    ]  # fmt: skip
    card = score_submission(iid, iid_answers(iid, None, 0, 0))  # nothing with evidence
    assert card.reported(card.overall) == Decimal("0.00")
    assert card.band == "Tidak Dapat Dinilai"


# --- Gerakan Menuju 100 Smart City -------------------------------------------------------------

SUB_DIMENSIONS = {
    "governance": ["public_service", "public_policy", "bureaucracy"],
    "branding": ["tourism", "business", "city_appearance"],
    "economy": ["industry", "welfare", "transactions"],
    "living": ["harmony", "health", "mobility"],
    "society": ["community", "education", "security"],
    "environment": ["protection", "waste", "energy"],
}
LENSES = {"baseline": 10, "output": 20, "outcome": 30, "impact": 30, "quick_win": 10}


def test_smart_city_100_is_6_pillars_x_3_sub_dimensions_x_5_evaluation_dimensions(
    frameworks: dict[str, Framework],
) -> None:
    sc = frameworks["smart-city-100"]
    assert [d.key for d in sc.dimensions] == [f"sc100-{p}" for p in SUB_DIMENSIONS]
    for dimension, (pillar, subs) in zip(sc.dimensions, SUB_DIMENSIONS.items(), strict=True):
        cells = [(i.tags["sub_dimension"], i.tags["lens"]) for i in dimension.indicators]
        assert cells == [(s, lens) for s in subs for lens in LENSES]
        assert {i.tags["pillar"] for i in dimension.indicators} == {pillar}
    assert sc.lenses is not None and dict(sc.lenses.weights) == LENSES
    assert sc.scale_max == 5


def test_smart_city_100_index_is_the_weighted_mean_of_evaluation_dimensions(
    frameworks: dict[str, Framework],
) -> None:
    sc = frameworks["smart-city-100"]
    # a profile reaching the published 3.48 of Kota Jambi 2024 (the cell scores are ours):
    # 0.1 x 4 + 0.2 x 4 + 0.3 x 3.5 + 0.3 x 3 + 0.1 x 3.3 = 3.48
    per_lens = {"baseline": 4, "output": 4, "outcome": 3.5, "impact": 3, "quick_win": 3.3}
    answers = {q.key: per_lens[i.tags["lens"]] for _, i in sc.indicators() for q in i.questions}
    card = score_submission(sc, answers)
    assert card.reported(card.overall) == Decimal("3.48")
    assert card.final.tags["lens"]["outcome"] == Fraction(7, 10)
    assert card.final.tags["pillar"]["living"] == card.overall  # every pillar alike
    assert set(card.final.tags["sub_dimension"]) == {s for v in SUB_DIMENSIONS.values() for s in v}


def test_smart_city_100_other_published_weights_are_a_data_change(
    frameworks: dict[str, Framework],
) -> None:
    document = copy.deepcopy(shipped_documents()["smart-city-100"])
    sc = parse_framework(document)
    per_lens = {"baseline": 3, "output": 4, "outcome": 3, "impact": 2.5, "quick_win": 5}
    answers = {q.key: per_lens[i.tags["lens"]] for _, i in sc.indicators() for q in i.questions}
    # 10/20/30/30/10: 0.3 + 0.8 + 0.9 + 0.75 + 0.5 = 3.25
    card = score_submission(sc, answers)
    assert card.reported(card.overall) == Decimal("3.25")
    document["version"] = 2
    document["lenses"]["weights"].update({"impact": 20, "quick_win": 20})
    other = score_submission(parse_framework(document), answers)
    # 10/20/30/20/20: 0.3 + 0.8 + 0.9 + 0.5 + 1.0 = 3.50
    assert other.reported(other.overall) == Decimal("3.50")
