"""Properties of the compliance report that must hold for any policy, units and innovations."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innovation.domain.innovation import Innovation
from innovation.domain.quota import (
    ChangeKind,
    ComplianceReport,
    ComplianceStatus,
    QuotaPolicy,
    UnitCompliance,
    compliance,
    compliance_changes,
    unit_status,
)
from innovation.domain.vocab import Stage
from tests.unit.innovation.inno_factories import REGION, make_innovation


def line(report: ComplianceReport, unit: str) -> UnitCompliance:
    found = report.unit(unit)
    assert found is not None
    return found


UNIT_CODES = st.sampled_from(["u1", "u2", "u3", "u4", "u5", "u6"])
INNOVATIONS = st.lists(
    st.builds(
        make_innovation,
        innovation_id=st.uuids().map(str),
        unit=UNIT_CODES,
        year=st.sampled_from([2019, 2020, 2021]),
        stage=st.sampled_from(list(Stage)),
    ),
    max_size=40,
)
POLICIES = st.builds(
    QuotaPolicy,
    region=st.just(REGION),
    year=st.just(2020),
    required_per_unit=st.integers(0, 6),
    min_stage=st.sampled_from([Stage.INITIATIVE, Stage.TRIAL, Stage.IMPLEMENTED]),
    exempt_units=st.frozensets(UNIT_CODES, max_size=3),
)
DAYS = st.dates(date(2019, 6, 1), date(2021, 6, 1))
HYPOTHESIS = settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])


@HYPOTHESIS
@given(POLICIES, st.lists(UNIT_CODES, max_size=8), INNOVATIONS, DAYS)
def test_report_invariants(
    policy: QuotaPolicy, units: list[str], innovations: list[Innovation], today: date
) -> None:
    report = compliance(policy, units, innovations, today)
    assert [r.unit for r in report.units] == sorted(set(units))
    for row in report.units:
        assert row.shortfall >= 0
        assert row.counted <= row.registered
        if row.exempt:
            assert (row.shortfall, row.status) == (0, ComplianceStatus.EXEMPT)
        else:
            assert row.counted + row.shortfall >= row.required == policy.required_per_unit
            assert (row.shortfall == 0) == (row.counted >= row.required)
            if row.status is ComplianceStatus.BEHIND:
                assert today > policy.due and row.shortfall > 0
    liable = [r for r in report.units if not r.exempt]
    assert report.totals.shortfall == sum(r.shortfall for r in liable)
    assert report.totals.units_met + report.totals.units_short == len(liable)
    assert compliance_changes(report, report) == []


@HYPOTHESIS
@given(POLICIES, INNOVATIONS, DAYS)
def test_adding_a_counted_innovation_never_raises_a_shortfall(
    policy: QuotaPolicy, innovations: list[Innovation], today: date
) -> None:
    units = ["u1", "u2", "u3"]
    before = compliance(policy, units, innovations, today)
    extra = make_innovation("extra", unit="u1", year=2020, stage=Stage.IMPLEMENTED)
    after = compliance(policy, units, [*innovations, extra], today)
    assert line(after, "u1").shortfall <= line(before, "u1").shortfall
    kinds = {c.kind for c in compliance_changes(before, after)}
    assert ChangeKind.SHORTFALL_DETECTED not in kinds


@HYPOTHESIS
@given(st.integers(0, 5), st.integers(0, 6), DAYS, st.integers(1, 60))
def test_status_never_improves_as_days_pass(
    counted: int, required: int, today: date, later: int
) -> None:
    policy = QuotaPolicy(REGION, 2020, required_per_unit=required)
    order = [ComplianceStatus.ON_TRACK, ComplianceStatus.AT_RISK, ComplianceStatus.BEHIND]
    now = order.index(unit_status(policy, counted, today))
    then = order.index(unit_status(policy, counted, today + timedelta(later)))
    assert then >= now
