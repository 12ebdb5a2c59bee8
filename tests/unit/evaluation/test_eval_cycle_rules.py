"""Cycle rules: phase changes, phase plans and what a typed deadline means."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from evaluation.domain.cycle_rules import (
    Phase,
    change_phase,
    check_phase_plan,
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
