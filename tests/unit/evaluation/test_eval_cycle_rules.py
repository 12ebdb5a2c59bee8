"""Cycle rules: phase changes, phase plans, what a typed deadline means, publishing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from evaluation.domain.cycle_rules import (
    Phase,
    PublishBlocked,
    change_phase,
    check_phase_plan,
    check_publishable,
    resolve_deadline,
)
from smartcity_shared.errors import Conflict, ValidationProblem


def test_a_cycle_may_step_back_but_never_leaves_closed() -> None:
    assert change_phase("field_review", "document_review") is Phase.DOCUMENT_REVIEW
    assert change_phase("finalization", "closed") is Phase.CLOSED
    with pytest.raises(Conflict):
        change_phase("closed", "finalization")
    with pytest.raises(Conflict):
        change_phase("field_review", "field_review")
    with pytest.raises(ValidationProblem) as raised:
        change_phase("field_review", "party")
    assert "phase" in raised.value.errors


def test_a_phase_plan_lists_known_phases_once_in_order_with_sane_dates() -> None:
    check_phase_plan(
        [
            {
                "phase": "self_assessment",
                "starts_on": date(2020, 6, 1),
                "ends_on": date(2020, 7, 31),
            },
            {"phase": "field_review", "starts_on": date(2020, 8, 1), "ends_on": date(2020, 8, 31)},
        ]
    )
    with pytest.raises(ValidationProblem) as raised:
        check_phase_plan(
            [
                {
                    "phase": "field_review",
                    "starts_on": date(2020, 8, 1),
                    "ends_on": date(2020, 7, 1),
                },
                {
                    "phase": "self_assessment",
                    "starts_on": date(2020, 6, 1),
                    "ends_on": date(2020, 6, 2),
                },
            ]
        )
    assert set(raised.value.errors) == {"phases.0.ends_on", "phases.1.phase", "phases.1.starts_on"}


def test_a_date_deadline_is_the_end_of_that_day_in_the_cycle_time_zone() -> None:
    deadline = resolve_deadline(date(2020, 7, 31), "Asia/Jakarta")
    assert deadline.astimezone(UTC) == datetime(2020, 7, 31, 16, 59, 59, tzinfo=UTC)
    naive = resolve_deadline(datetime(2020, 7, 31, 12, 0), "Asia/Makassar")
    assert naive.astimezone(UTC) == datetime(2020, 7, 31, 4, 0, tzinfo=UTC)
    aware = datetime(2020, 7, 31, 12, 0, tzinfo=UTC)
    assert resolve_deadline(aware, "Asia/Jakarta") == aware
    with pytest.raises(ValidationProblem):
        resolve_deadline(date(2020, 7, 31), "Mars/Olympus")


# -- publishing: the missing OPDs -----------------------------------------------------------
PUB_DEADLINE = datetime(2020, 7, 7, 16, 59, 59, tzinfo=UTC)


def test_a_missing_opd_inside_its_deadline_blocks_publishing() -> None:
    with pytest.raises(PublishBlocked) as raised:
        check_publishable(["dlh", "bappeda"], {}, PUB_DEADLINE, PUB_DEADLINE - timedelta(days=1))
    assert list(raised.value.errors) == ["excused.bappeda", "excused.dlh"]


def test_an_excuse_per_missing_opd_lets_it_publish() -> None:
    early = PUB_DEADLINE - timedelta(days=1)
    check_publishable(["bappeda"], {"bappeda": "merged"}, PUB_DEADLINE, early)
    with pytest.raises(PublishBlocked):
        check_publishable(["bappeda", "dlh"], {"bappeda": "merged"}, PUB_DEADLINE, early)


def test_after_the_deadline_nobody_needs_an_excuse() -> None:
    check_publishable(["bappeda"], {}, PUB_DEADLINE, PUB_DEADLINE)


def test_without_a_deadline_the_opds_may_still_submit() -> None:
    with pytest.raises(PublishBlocked):
        check_publishable(["bappeda"], {}, None, PUB_DEADLINE)


def test_an_excuse_must_name_a_missing_opd_and_a_reason() -> None:
    with pytest.raises(ValidationProblem) as raised:
        check_publishable(["bappeda"], {"dinkes": "x", "bappeda": " "}, None, PUB_DEADLINE)
    assert set(raised.value.errors) == {"excused.dinkes", "excused.bappeda"}
