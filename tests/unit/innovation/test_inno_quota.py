"""The quota policy and the compliance report (CONTRACT.md), worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from innovation.domain.innovation import Innovation
from innovation.domain.quota import (
    ChangeKind,
    ComplianceReport,
    ComplianceStatus,
    DeadlinePhase,
    QuotaPolicy,
    UnitCompliance,
    compliance,
    compliance_changes,
    deadline_phase,
    default_policy,
    parse_quota_policy,
    unit_status,
)
from innovation.domain.vocab import Stage
from smartcity_shared.errors import ValidationProblem
from tests.unit.innovation.inno_factories import REGION, make_innovation

POLICY = QuotaPolicy(REGION, 2020, exempt_units=frozenset({"dinsos"}))
UNITS = ["dinkes", "disdik", "bappeda", "dinsos", "dpupr"]
MID_YEAR = date(2020, 6, 30)


def line(report: ComplianceReport, unit: str) -> UnitCompliance:
    found = report.unit(unit)
    assert found is not None
    return found


def batang_2020() -> list[Innovation]:
    return [
        make_innovation("k1", unit="dinkes", stage=Stage.TRIAL),
        make_innovation("k2", unit="dinkes", stage=Stage.IMPLEMENTED),
        make_innovation("k3", unit="dinkes", stage=Stage.IMPLEMENTED),
        make_innovation("d1", unit="disdik", stage=Stage.TRIAL),
        make_innovation("d2", unit="disdik", stage=Stage.IMPLEMENTED),
        make_innovation("d3", unit="disdik", stage=Stage.INITIATIVE),  # below min_stage
        make_innovation("d4", unit="disdik", stage=Stage.DISCONTINUED),  # not active
        make_innovation("d5", unit="disdik", year=2019, stage=Stage.IMPLEMENTED),  # other year
        make_innovation("d6", unit="disdik", region="kab-pekalongan"),  # other region
        replace(make_innovation("k4", unit="dinkes"), partner_units=("bappeda",)),
    ]


def test_every_unit_is_listed_with_its_count_and_shortfall() -> None:
    report = compliance(POLICY, UNITS, batang_2020(), MID_YEAR)
    lines = {r.unit: (r.required, r.counted, r.shortfall, r.status) for r in report.units}
    assert lines == {
        "bappeda": (3, 0, 3, ComplianceStatus.AT_RISK),
        "dinkes": (3, 4, 0, ComplianceStatus.ON_TRACK),
        "dinsos": (0, 0, 0, ComplianceStatus.EXEMPT),
        "disdik": (3, 2, 1, ComplianceStatus.ON_TRACK),
        "dpupr": (3, 0, 3, ComplianceStatus.AT_RISK),
    }
    assert [r.unit for r in report.units] == sorted(UNITS)


def test_a_unit_without_any_innovation_has_the_full_shortfall() -> None:
    row = compliance(POLICY, UNITS, [], MID_YEAR).unit("dpupr")
    assert row is not None
    assert (row.counted, row.shortfall, row.registered) == (0, 3, 0)


def test_discontinued_below_min_stage_other_year_and_region_are_not_counted() -> None:
    row = compliance(POLICY, UNITS, batang_2020(), MID_YEAR).unit("disdik")
    assert row is not None
    assert row.innovation_ids == ("d1", "d2")
    assert row.registered == 4
    assert row.by_stage == {"initiative": 1, "trial": 1, "implemented": 1, "discontinued": 1}


def test_an_innovation_counts_for_its_owner_not_its_partners() -> None:
    report = compliance(POLICY, UNITS, batang_2020(), MID_YEAR)
    assert "k4" in line(report, "dinkes").innovation_ids
    assert line(report, "bappeda").counted == 0


def test_exempt_units_are_flagged_and_never_short() -> None:
    row = compliance(POLICY, UNITS, [], date(2021, 3, 1)).unit("dinsos")
    assert row is not None
    assert row.exempt and row.shortfall == 0 and row.status is ComplianceStatus.EXEMPT


def test_min_stage_initiative_counts_initiatives() -> None:
    policy = replace(POLICY, min_stage=Stage.INITIATIVE)
    report = compliance(policy, UNITS, batang_2020(), MID_YEAR)
    assert line(report, "disdik").counted == 3


def test_region_totals_sum_the_non_exempt_units() -> None:
    totals = compliance(POLICY, UNITS, batang_2020(), MID_YEAR).totals
    assert (totals.units, totals.exempt_units) == (5, 1)
    assert (totals.units_met, totals.units_short) == (1, 3)
    assert (totals.required, totals.counted, totals.shortfall) == (12, 6, 7)
    assert (totals.on_track, totals.at_risk, totals.behind) == (2, 2, 0)


def test_owner_units_missing_from_the_directory_are_reported() -> None:
    innovations = [make_innovation("x", unit="dishub")]
    report = compliance(POLICY, UNITS, innovations, MID_YEAR)
    assert report.unlisted_units == ("dishub",)
    assert report.unit("dishub") is None


@pytest.mark.parametrize(
    ("counted", "today", "status"),
    [
        (0, date(2020, 1, 1), ComplianceStatus.ON_TRACK),
        (0, date(2020, 4, 30), ComplianceStatus.ON_TRACK),  # leap year: 1 due from 1 May
        (0, date(2020, 5, 1), ComplianceStatus.AT_RISK),
        (1, date(2020, 8, 30), ComplianceStatus.ON_TRACK),
        (1, date(2020, 8, 31), ComplianceStatus.AT_RISK),  # leap year: 2 due from 31 August
        (2, date(2020, 12, 30), ComplianceStatus.ON_TRACK),
        (2, date(2020, 12, 31), ComplianceStatus.AT_RISK),  # deadline day
        (2, date(2021, 1, 1), ComplianceStatus.BEHIND),
        (3, date(2021, 1, 1), ComplianceStatus.ON_TRACK),
        (0, date(2019, 12, 1), ComplianceStatus.ON_TRACK),  # before the year
    ],
)
def test_status_follows_the_proportional_rule(
    counted: int, today: date, status: ComplianceStatus
) -> None:
    assert unit_status(default_policy(REGION, 2020), counted, today) is status


def test_status_in_a_non_leap_year_matches_the_documented_dates() -> None:
    policy = default_policy(REGION, 2019)
    assert unit_status(policy, 0, date(2019, 5, 1)) is ComplianceStatus.ON_TRACK
    assert unit_status(policy, 0, date(2019, 5, 2)) is ComplianceStatus.AT_RISK
    assert unit_status(policy, 1, date(2019, 8, 31)) is ComplianceStatus.ON_TRACK
    assert unit_status(policy, 1, date(2019, 9, 1)) is ComplianceStatus.AT_RISK


def test_status_uses_the_policy_deadline() -> None:
    policy = replace(POLICY, deadline=date(2020, 6, 30))
    assert unit_status(policy, 2, date(2020, 6, 30)) is ComplianceStatus.AT_RISK
    assert unit_status(policy, 2, date(2020, 7, 1)) is ComplianceStatus.BEHIND


def test_deadline_phase() -> None:
    policy = default_policy(REGION, 2020)
    assert deadline_phase(policy, date(2020, 11, 30)) is DeadlinePhase.OPEN
    assert deadline_phase(policy, date(2020, 12, 1)) is DeadlinePhase.NEAR
    assert deadline_phase(policy, date(2020, 12, 31)) is DeadlinePhase.NEAR
    assert deadline_phase(policy, date(2021, 1, 1)) is DeadlinePhase.PASSED
    assert deadline_phase(policy, date(2020, 12, 20), warn_days=7) is DeadlinePhase.OPEN


def test_parse_policy_takes_defaults() -> None:
    policy = parse_quota_policy({}, region=REGION, year=2020)
    assert policy == default_policy(REGION, 2020)
    assert policy.due == date(2020, 12, 31)


def test_parse_policy_reads_every_field() -> None:
    body = {
        "required_per_unit": 2,
        "min_stage": "implemented",
        "exempt_units": ["setwan", "inspektorat"],
        "deadline": "2020-11-30",
    }
    policy = parse_quota_policy(body, region=REGION, year=2020)
    assert policy.required_per_unit == 2
    assert policy.min_stage is Stage.IMPLEMENTED
    assert policy.exempt_units == {"setwan", "inspektorat"}
    assert policy.deadline == date(2020, 11, 30)


def test_parse_policy_collects_problems() -> None:
    body = {
        "required_per_unit": -1,
        "min_stage": "discontinued",
        "exempt_units": ["a", "a"],
        "deadline": "2019-12-31",
        "$set": {},
    }
    with pytest.raises(ValidationProblem) as caught:
        parse_quota_policy(body, region=REGION, year=2020)
    expected = {"required_per_unit", "min_stage", "exempt_units.1", "deadline", "$set"}
    assert set(caught.value.errors) == expected


def test_identical_reports_yield_no_changes() -> None:
    report = compliance(POLICY, UNITS, batang_2020(), MID_YEAR)
    assert compliance_changes(report, report) == []


def test_a_first_report_detects_every_shortfall() -> None:
    report = compliance(POLICY, UNITS, batang_2020(), MID_YEAR)
    changes = compliance_changes(None, report)
    assert [(c.unit, c.kind) for c in changes] == [
        ("bappeda", ChangeKind.SHORTFALL_DETECTED),
        ("disdik", ChangeKind.SHORTFALL_DETECTED),
        ("dpupr", ChangeKind.SHORTFALL_DETECTED),
    ]


def test_changes_name_units_that_became_short_or_met() -> None:
    innovations = batang_2020()
    before = compliance(POLICY, UNITS, innovations, MID_YEAR)
    promoted = make_innovation("d3", unit="disdik", stage=Stage.TRIAL)
    stopped = replace(innovations[0], stage=Stage.DISCONTINUED)  # dinkes k1
    stopped_too = replace(innovations[9], stage=Stage.DISCONTINUED)  # dinkes k4
    after_items = [stopped, *innovations[1:5], promoted, *innovations[6:9], stopped_too]
    after = compliance(POLICY, UNITS, after_items, MID_YEAR)
    changes = {c.unit: c for c in compliance_changes(before, after)}
    assert set(changes) == {"dinkes", "disdik"}
    assert changes["dinkes"].kind is ChangeKind.SHORTFALL_DETECTED
    assert (changes["dinkes"].shortfall_before, changes["dinkes"].shortfall_after) == (0, 1)
    assert changes["disdik"].kind is ChangeKind.MET


def test_passing_the_deadline_is_a_status_change() -> None:
    before = compliance(POLICY, UNITS, batang_2020(), date(2020, 12, 31))
    after = compliance(POLICY, UNITS, batang_2020(), date(2021, 1, 1))
    changes = compliance_changes(before, after)
    assert {c.unit for c in changes} == {"bappeda", "disdik", "dpupr"}
    assert all(c.kind is ChangeKind.STATUS_CHANGED for c in changes)
    assert all(c.status_after is ComplianceStatus.BEHIND for c in changes)


def test_becoming_exempt_counts_as_met() -> None:
    before = compliance(POLICY, UNITS, [], MID_YEAR)
    exempted = replace(POLICY, exempt_units=frozenset({"dinsos", "dpupr"}))
    after = compliance(exempted, UNITS, [], MID_YEAR)
    (change,) = [c for c in compliance_changes(before, after) if c.unit == "dpupr"]
    assert change.kind is ChangeKind.MET
