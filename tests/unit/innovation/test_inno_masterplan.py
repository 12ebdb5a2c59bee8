"""The master plan: period, programmes per pillar and horizon, reviews (versions)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from innovation.domain.masterplan import (
    MasterPlan,
    add_programme,
    create_master_plan,
    review_master_plan,
    update_programme,
)
from innovation.domain.vocab import Horizon, Pillar, ProgrammeStatus
from smartcity_shared.errors import Conflict, NotFound, ValidationProblem
from tests.unit.innovation.inno_factories import REGION

CREATED = date(2018, 3, 1)


def programme(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "SG-01",
        "name": "Single-window licensing",
        "pillar": "governance",
        "horizon": "quick_win",
        "owner_unit": "dpmptsp",
        "targets": [
            {"indicator": "Licences issued online", "baseline": 0, "target": 80, "measure": "%"}
        ],
    }
    body.update(overrides)
    return body


def plan(**overrides: Any) -> MasterPlan:
    body: dict[str, Any] = {
        "title": "Masterplan Smart City Kabupaten Batang 2018-2027",
        "start_year": 2018,
        "end_year": 2027,
        "programmes": [programme()],
    }
    body.update(overrides)
    return create_master_plan(body, plan_id="mp-1", region=REGION, by="admin", today=CREATED)


def test_a_new_plan_is_version_one_with_its_programmes() -> None:
    created = plan()
    assert created.version == 1
    assert created.reviews[0].on == CREATED
    (only,) = created.programmes
    assert (only.pillar, only.horizon, only.status) == (
        Pillar.GOVERNANCE,
        Horizon.QUICK_WIN,
        ProgrammeStatus.PLANNED,
    )
    assert only.targets[0].target == 80


@pytest.mark.parametrize(
    ("horizon", "end_year"),
    [("quick_win", 2019), ("short", 2020), ("medium", 2022), ("long", 2027)],
)
def test_programme_years_default_by_horizon(horizon: str, end_year: int) -> None:
    created = plan(programmes=[programme(horizon=horizon)])
    assert (created.programmes[0].start_year, created.programmes[0].end_year) == (2018, end_year)


def test_plan_problems_are_collected_including_nested_programmes() -> None:
    body = {
        "title": "",
        "start_year": 2020,
        "end_year": 2018,
        "programmes": [programme(pillar="tourism", targets=[{"baseline": "x"}]), "SG"],
    }
    with pytest.raises(ValidationProblem) as caught:
        create_master_plan(body, plan_id="p", region=REGION, by="a", today=CREATED)
    assert set(caught.value.errors) == {
        "title",
        "end_year",
        "programmes.0.pillar",
        "programmes.0.targets.0.indicator",
        "programmes.0.targets.0.baseline",
        "programmes.1",
    }


def test_programme_ids_are_unique_within_a_plan() -> None:
    with pytest.raises(ValidationProblem) as caught:
        plan(programmes=[programme(), programme(name="Other")])
    assert "programmes.1.id" in caught.value.errors
    with pytest.raises(Conflict):
        add_programme(plan(), programme())


def test_programmes_lie_within_the_plan_period() -> None:
    with pytest.raises(ValidationProblem) as caught:
        add_programme(plan(), programme(id="SE-01", start_year=2017, end_year=2020))
    assert "start_year" in caught.value.errors


def test_add_and_update_a_programme() -> None:
    with_two = add_programme(plan(), programme(id="SL-02", pillar="living", horizon="medium"))
    updated = update_programme(with_two, "SL-02", {"status": "in_progress", "end_year": 2024})
    changed = updated.programme("SL-02")
    assert (changed.status, changed.end_year, changed.pillar) == (
        ProgrammeStatus.IN_PROGRESS,
        2024,
        Pillar.LIVING,
    )
    assert updated.programme("SG-01") == with_two.programme("SG-01")


def test_a_programme_id_cannot_change_and_unknown_ids_are_not_found() -> None:
    with pytest.raises(ValidationProblem):
        update_programme(plan(), "SG-01", {"id": "SG-99"})
    with pytest.raises(NotFound):
        update_programme(plan(), "XX-01", {"status": "completed"})


def test_a_review_records_what_changed_why_and_bumps_the_version() -> None:
    body = {
        "changes": "Added the teak-forest market to Smart Branding",
        "reason": "Yearly review 2019",
        "end_year": 2028,
    }
    reviewed = review_master_plan(plan(), body, by="kominfo", today=date(2019, 2, 1))
    assert reviewed.version == 2
    assert reviewed.end_year == 2028
    last = reviewed.reviews[-1]
    assert (last.changes, last.reason, last.by, last.on) == (
        body["changes"],
        body["reason"],
        "kominfo",
        date(2019, 2, 1),
    )


def test_a_review_needs_changes_and_reason_and_keeps_programmes_inside() -> None:
    long_one = plan(programmes=[programme(horizon="long")])
    with pytest.raises(ValidationProblem) as caught:
        review_master_plan(long_one, {"end_year": 2025}, by="a", today=date(2019, 1, 1))
    assert set(caught.value.errors) == {"changes", "reason", "end_year"}


def test_a_review_may_not_predate_the_last_one() -> None:
    body = {"changes": "c", "reason": "r"}
    with pytest.raises(ValidationProblem):
        review_master_plan(plan(), body, by="a", today=date(2017, 1, 1))
