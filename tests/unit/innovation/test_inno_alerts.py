"""Reminder facts of the scan: which quota lines and milestones, under which stable ids."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from innovation.domain.alerts import milestone_fact_id, milestone_facts, quota_alerts
from innovation.domain.milestones import AlertKind
from innovation.domain.quota import DeadlinePhase, QuotaPolicy, compliance
from tests.unit.innovation.inno_factories import REGION, make_innovation, milestone

POLICY = QuotaPolicy(REGION, 2020, deadline=date(2020, 11, 30), exempt_units=frozenset({"dinsos"}))
UNITS = ["dinkes", "dinsos", "dishub"]
INNOVATIONS = [make_innovation(f"i{n}", unit="dinkes") for n in range(3)]


def alerts_on(today: date) -> list[tuple[str, DeadlinePhase, int]]:
    report = compliance(POLICY, UNITS, INNOVATIONS, today)
    return [(a.row.unit, a.phase, a.days) for a in quota_alerts(POLICY, report, today)]


def test_no_quota_fact_while_the_deadline_is_far() -> None:
    assert alerts_on(date(2020, 10, 30)) == []


def test_a_near_deadline_names_only_short_liable_units() -> None:
    assert alerts_on(date(2020, 10, 31)) == [("dishub", DeadlinePhase.NEAR, 30)]
    assert alerts_on(date(2020, 11, 30)) == [("dishub", DeadlinePhase.NEAR, 0)]


def test_a_passed_deadline_is_news_for_thirty_days_only() -> None:
    assert alerts_on(date(2020, 12, 1)) == [("dishub", DeadlinePhase.PASSED, 1)]
    assert alerts_on(date(2020, 12, 30)) == [("dishub", DeadlinePhase.PASSED, 30)]
    assert alerts_on(date(2020, 12, 31)) == []


def test_quota_fact_ids_are_stable_per_unit_deadline_and_phase() -> None:
    near = [date(2020, 11, 1), date(2020, 11, 20)]
    ids = {
        a.fact_id
        for day in near
        for a in quota_alerts(POLICY, compliance(POLICY, UNITS, INNOVATIONS, day), day)
    }
    assert ids == {"quota:kab-batang:2020:dishub:2020-11-30:near"}
    moved = replace(POLICY, deadline=date(2020, 12, 15))
    report = compliance(moved, UNITS, INNOVATIONS, date(2020, 11, 20))
    assert [a.fact_id for a in quota_alerts(moved, report, date(2020, 11, 20))] == [
        "quota:kab-batang:2020:dishub:2020-12-15:near"
    ]


def test_milestone_facts_are_one_per_milestone_date_and_kind() -> None:
    today = date(2020, 6, 30)
    innovation = make_innovation(
        "i1",
        milestones=(
            milestone("m1", date(2020, 6, 28)),
            milestone("m2", date(2020, 7, 3)),
            milestone("m3", date(2020, 9, 1)),
            milestone("m4", date(2020, 6, 1), actual=date(2020, 6, 2)),
        ),
    )
    facts = milestone_facts([innovation], today)
    assert [(f, a.kind) for f, a in facts] == [
        ("milestone:i1:m1:2020-06-28:overdue", AlertKind.OVERDUE),
        ("milestone:i1:m2:2020-07-03:due_soon", AlertKind.DUE_SOON),
    ]
    assert milestone_facts([innovation], today) == facts
    later = milestone_facts([innovation], date(2020, 7, 4))
    assert "milestone:i1:m2:2020-07-03:overdue" in [f for f, _ in later]
    assert milestone_fact_id(facts[0][1]) == facts[0][0]


def test_discontinued_innovations_raise_no_milestone_fact() -> None:
    from innovation.domain.vocab import Stage

    stopped = make_innovation(
        "i1", stage=Stage.DISCONTINUED, milestones=(milestone("m1", date(2020, 6, 1)),)
    )
    assert milestone_facts([stopped], date(2020, 6, 30)) == []
