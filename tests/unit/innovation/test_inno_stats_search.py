"""Stats per pillar, type and stage year on year; search filters and their matching rule."""

from __future__ import annotations

from dataclasses import replace

import pytest

from innovation.domain.search import InnovationFilter, matches, parse_innovation_filter
from innovation.domain.stats import innovation_stats
from innovation.domain.vocab import InnovationType, Pillar, Stage
from smartcity_shared.errors import ValidationProblem
from tests.unit.innovation.inno_factories import make_innovation


def test_stats_count_every_dimension_and_change_year_on_year() -> None:
    innovations = [
        make_innovation("a", year=2019, pillar=Pillar.ECONOMY),
        make_innovation("b", year=2020, pillar=Pillar.BRANDING, kind=InnovationType.NON_DIGITAL),
        make_innovation("c", year=2020, stage=Stage.DISCONTINUED),
        make_innovation("d", year=2020, stage=Stage.IMPLEMENTED),
    ]
    first, second = innovation_stats(innovations)
    assert (first.year, first.total, first.change) == (2019, 1, None)
    assert (second.year, second.total, second.active, second.change) == (2020, 3, 2, 2)
    assert second.by_pillar == {
        "governance": 2,
        "branding": 1,
        "economy": 0,
        "living": 0,
        "society": 0,
        "environment": 0,
    }
    assert second.by_type == {"digital": 2, "non_digital": 1}
    assert second.by_stage == {"initiative": 0, "trial": 1, "implemented": 1, "discontinued": 1}
    assert sum(second.by_form.values()) == sum(second.by_initiator.values()) == 3


def test_stats_for_requested_years_include_empty_ones() -> None:
    (only,) = innovation_stats([make_innovation("a", year=2019)], years=[2020])
    assert (only.total, only.change) == (0, -1)
    assert innovation_stats([]) == ()


def test_filter_parses_query_strings() -> None:
    criteria = parse_innovation_filter(
        {"unit": "dinkes", "year": "2020", "stage": "trial", "type": "", "q": " Pasar "}
    )
    assert criteria == InnovationFilter(unit="dinkes", year=2020, stage=Stage.TRIAL, q="Pasar")


def test_filter_refuses_bad_values_and_unknown_arguments() -> None:
    with pytest.raises(ValidationProblem) as caught:
        parse_innovation_filter({"year": "20x0", "pillar": "tourism", "sort": "name"})
    assert set(caught.value.errors) == {"year", "pillar", "sort"}


def test_matching_rule() -> None:
    innovation = replace(
        make_innovation("a", unit="dinkes", name="Pasar Minggon"), partner_units=("disdik",)
    )
    assert matches(innovation, InnovationFilter())
    assert matches(innovation, InnovationFilter(unit="disdik", q="minggon"))
    assert not matches(innovation, InnovationFilter(unit="bappeda"))
    assert not matches(innovation, InnovationFilter(year=2019))
    assert not matches(innovation, InnovationFilter(stage=Stage.IMPLEMENTED))
    assert not matches(innovation, InnovationFilter(q="jatinan"))
