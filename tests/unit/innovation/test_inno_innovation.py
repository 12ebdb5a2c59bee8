"""The innovation profile: registration, validation of every field, profile edits."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from innovation.domain.innovation import Evidence, register_innovation, update_profile
from innovation.domain.vocab import (
    EvidenceKind,
    Initiator,
    InnovationForm,
    InnovationType,
    Pillar,
    Stage,
)
from smartcity_shared.errors import ValidationProblem
from tests.unit.innovation.inno_factories import REGION, TODAY, profile


def register(body: Any) -> Any:
    return register_innovation(
        body, innovation_id="inn-1", region=REGION, registered_by="opd-user", today=TODAY
    )


def problems_of(body: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationProblem) as caught:
        register(body)
    errors: dict[str, list[str]] = caught.value.errors
    return errors


def test_a_valid_profile_becomes_an_innovation_at_initiative() -> None:
    innovation = register(profile())
    assert innovation.id == "inn-1"
    assert innovation.region == REGION
    assert innovation.name == "Minggon Jatinan"
    assert innovation.units == ("disparpora", "dinkop")
    assert innovation.initiator is Initiator.CITIZEN
    assert innovation.type is InnovationType.NON_DIGITAL
    assert innovation.form is InnovationForm.PUBLIC_SERVICE
    assert innovation.pillar is Pillar.BRANDING
    assert innovation.trial_start == date(2019, 3, 3)
    assert innovation.budget == 25_000_000
    assert innovation.evidence[0].kind is EvidenceKind.PHOTO
    assert innovation.stage is Stage.INITIATIVE
    assert innovation.active


def test_registration_records_a_first_history_entry() -> None:
    innovation = register(profile(stage="trial"))
    (entry,) = innovation.history
    assert (entry.from_stage, entry.to_stage) == (None, Stage.TRIAL)
    assert (entry.on, entry.by) == (TODAY, "opd-user")


def test_minimal_profile_needs_only_the_required_fields() -> None:
    body = {
        "name": "Tele-consultation",
        "owner_unit": "dinkes",
        "year": 2020,
        "initiator": "opd",
        "type": "digital",
        "form": "governance",
        "pillar": "living",
    }
    innovation = register(body)
    assert innovation.budget is None
    assert innovation.evidence == ()
    assert innovation.programme_id is None
    assert innovation.description == ""


def test_every_missing_required_field_is_reported_at_once() -> None:
    errors = problems_of({})
    required = ("name", "owner_unit", "year", "initiator", "type", "form", "pillar")
    assert set(errors) == set(required)


def test_all_problems_are_collected_with_their_paths() -> None:
    body = profile(
        name="   ",
        year=1999,
        initiator="mayor",
        budget=-1,
        beneficiaries=2.5,
        evidence=[{"url": "javascript:alert(1)", "description": ""}],
    )
    errors = problems_of(body)
    assert set(errors) == {
        "name",
        "year",
        "initiator",
        "budget",
        "beneficiaries",
        "evidence.0.url",
        "evidence.0.description",
    }
    assert "Must be one of" in errors["initiator"][0]


@pytest.mark.parametrize("key", ["$where", "$set", "a.b", "profile.name"])
def test_keys_with_dollar_or_dot_are_refused(key: str) -> None:
    errors = problems_of(profile(**{key: "x"}))
    assert errors == {key: ["Key may not start with '$' or contain '.'."]}


def test_forbidden_keys_inside_evidence_are_refused() -> None:
    evidence = [{"url": "https://x.id/a", "description": "d", "$gt": ""}]
    errors = problems_of(profile(evidence=evidence))
    assert list(errors) == ["evidence.0.$gt"]


def test_unknown_fields_are_refused() -> None:
    assert problems_of(profile(colour="red")) == {"colour": ["Unknown field."]}


def test_a_body_that_is_not_an_object_is_refused() -> None:
    assert problems_of(["name"]) == {"_schema": ["Must be an object."]}


@pytest.mark.parametrize("value", [True, "2020", 2020.0, None])
def test_year_must_be_a_real_integer(value: object) -> None:
    assert "year" in problems_of(profile(year=value))


@pytest.mark.parametrize("value", [True, "100", float("nan"), float("inf"), -0.5])
def test_budget_must_be_a_finite_non_negative_number(value: object) -> None:
    assert "budget" in problems_of(profile(budget=value))


def test_budget_may_be_zero_or_fractional() -> None:
    assert register(profile(budget=0)).budget == 0
    assert register(profile(budget=1500.5)).budget == 1500.5


@pytest.mark.parametrize("value", ["2020-02-30", "30/06/2020", "2020-6-1", 20200601])
def test_dates_must_be_iso_calendar_dates(value: object) -> None:
    assert "trial_start" in problems_of(profile(trial_start=value))


def test_trial_may_not_start_after_implementation() -> None:
    errors = problems_of(profile(trial_start="2020-05-01", implementation_start="2020-04-01"))
    assert "implementation_start" in errors


def test_partner_units_may_not_repeat_the_owner_or_each_other() -> None:
    assert "partner_units" in problems_of(profile(partner_units=["disparpora"]))
    assert "partner_units.1" in problems_of(profile(partner_units=["a", "a"]))


def test_unit_codes_are_validated() -> None:
    errors = problems_of(profile(owner_unit="dinas kesehatan", partner_units=["ok", "$x"]))
    assert set(errors) == {"owner_unit", "partner_units.1"}


def test_stage_dates_are_required_for_a_registration_under_way() -> None:
    assert "trial_start" in problems_of(profile(stage="trial", trial_start=None))
    errors = problems_of(profile(stage="implemented"))
    assert "implementation_start" in errors


def test_an_innovation_cannot_be_registered_discontinued() -> None:
    assert "stage" in problems_of(profile(stage="discontinued"))


def test_evidence_defaults_to_document() -> None:
    evidence = [{"url": "https://x.id/sk.pdf", "description": "Uploaded SK"}]
    innovation = register(profile(evidence=evidence))
    assert innovation.evidence == (
        Evidence("https://x.id/sk.pdf", "Uploaded SK", EvidenceKind.DOCUMENT),
    )


BAD_URLS = [
    "ftp://x.id/a",
    "//evil.id/a",
    "https://",
    "https://x.id/a b",
    "/files/abc",
    "/../../../etc/passwd",
    "javascript:alert(1)",
    "data:text/html,x",
    "file:///etc/passwd",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_evidence_urls_must_be_http(url: str) -> None:
    assert "evidence.0.url" in problems_of(profile(evidence=[{"url": url, "description": "d"}]))


def test_evidence_must_be_a_list_of_objects() -> None:
    assert "evidence" in problems_of(profile(evidence={"url": "x"}))
    assert "evidence.0" in problems_of(profile(evidence=["https://x.id"]))


def test_texts_are_stripped_and_bounded() -> None:
    assert register(profile(name="  Jaga Desa  ")).name == "Jaga Desa"
    assert "description" in problems_of(profile(description="x" * 5001))


def test_update_profile_changes_only_the_given_fields() -> None:
    innovation = register(profile())
    updated = update_profile(innovation, {"results": "More visitors.", "budget": None})
    assert updated.results == "More visitors."
    assert updated.budget is None
    assert updated.name == innovation.name
    assert updated.history == innovation.history


def test_update_profile_refuses_read_only_fields_and_validates_the_rest() -> None:
    innovation = register(profile())
    with pytest.raises(ValidationProblem) as caught:
        update_profile(innovation, {"stage": "implemented", "year": "x", "$inc": 1})
    assert set(caught.value.errors) == {"stage", "year", "$inc"}


def test_update_profile_keeps_the_stage_date_rule() -> None:
    innovation = register(profile(stage="trial"))
    with pytest.raises(ValidationProblem) as caught:
        update_profile(innovation, {"trial_start": None})
    assert "trial_start" in caught.value.errors


def test_update_profile_rechecks_rules_across_fields() -> None:
    innovation = register(profile())
    with pytest.raises(ValidationProblem) as caught:
        update_profile(innovation, {"owner_unit": "dinkop"})
    assert "partner_units" in caught.value.errors


def test_update_profile_allows_other_edits_when_a_stage_date_is_unknown() -> None:
    innovation = replace(register(profile(stage="trial")), trial_start=None)
    assert update_profile(innovation, {"results": "Pilot done."}).results == "Pilot done."
