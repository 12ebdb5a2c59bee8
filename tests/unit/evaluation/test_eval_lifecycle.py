"""The submission lifecycle: legal and illegal transitions, roles, audit, lateness."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from evaluation.domain import (
    Action,
    State,
    allowed_actions,
    audited_transition,
    is_late,
    transition,
)
from smartcity_shared.errors import Conflict, Forbidden, ValidationProblem

WIB = timezone(timedelta(hours=7))


@pytest.mark.parametrize(
    ("state", "action", "role", "after"),
    [
        ("draft", "save", "opd", "draft"),
        ("draft", "submit", "opd", "submitted"),
        ("submitted", "start_review", "assessor", "in_review"),
        ("in_review", "review", "assessor", "in_review"),
        ("in_review", "return", "assessor", "returned"),
        ("submitted", "return", "assessor", "returned"),
        ("returned", "save", "opd", "returned"),
        ("returned", "submit", "opd", "submitted"),
        ("in_review", "verify", "assessor", "verified"),
        ("verified", "reopen", "assessor", "in_review"),
        ("verified", "finalize", "assessor", "final"),
        ("draft", "submit", "admin", "submitted"),
        ("verified", "finalize", "admin", "final"),
    ],
)
def test_legal_transitions(state: str, action: str, role: str, after: str) -> None:
    assert transition(state, action, role) == State(after)


def test_the_whole_way_with_a_return_and_resubmission() -> None:
    steps = [
        ("submit", "opd"),
        ("start_review", "assessor"),
        ("return", "assessor"),
        ("save", "opd"),
        ("submit", "opd"),
        ("start_review", "assessor"),
        ("verify", "assessor"),
        ("finalize", "admin"),
    ]
    state: str = State.DRAFT
    for action, role in steps:
        state = transition(state, action, role)
    assert state == State.FINAL


@pytest.mark.parametrize(
    ("state", "action", "role"),
    [
        ("draft", "finalize", "assessor"),
        ("draft", "verify", "assessor"),
        ("submitted", "save", "opd"),
        ("in_review", "save", "opd"),
        ("verified", "save", "opd"),
        ("final", "save", "admin"),
        ("final", "return", "assessor"),
        ("final", "reopen", "assessor"),
        ("submitted", "submit", "opd"),
        ("submitted", "verify", "assessor"),
        ("returned", "verify", "assessor"),
    ],
)
def test_illegal_transitions_conflict(state: str, action: str, role: str) -> None:
    with pytest.raises(Conflict):
        transition(state, action, role)


@pytest.mark.parametrize(
    ("state", "action", "role"),
    [
        ("in_review", "verify", "opd"),
        ("verified", "finalize", "opd"),
        ("draft", "save", "assessor"),
        ("draft", "submit", "viewer"),
        ("submitted", "start_review", "viewer"),
    ],
)
def test_actions_outside_a_role_are_forbidden(state: str, action: str, role: str) -> None:
    with pytest.raises(Forbidden):
        transition(state, action, role)


def test_unknown_state_or_action_is_invalid_input() -> None:
    with pytest.raises(ValidationProblem) as caught:
        transition("lost", "approve", "admin")
    assert set(caught.value.errors) == {"state", "action"}


def test_allowed_actions_for_portals() -> None:
    assert allowed_actions("draft", "opd") == [Action.SAVE, Action.SUBMIT]
    assert allowed_actions("in_review", "assessor") == [Action.REVIEW, Action.RETURN, Action.VERIFY]
    assert allowed_actions("final", "admin") == []
    assert allowed_actions("submitted", "viewer") == []


def test_every_transition_yields_an_audit_entry() -> None:
    when = datetime(2020, 3, 2, 10, 0, tzinfo=WIB)
    state, entry = audited_transition(
        "in_review", "return", "assessor", "user-7", when, "evidence missing for q3"
    )
    assert state is State.RETURNED
    assert entry.to_dict() == {
        "action": "return",
        "from": "in_review",
        "to": "returned",
        "who": "user-7",
        "role": "assessor",
        "when": "2020-03-02T10:00:00+07:00",
        "why": "evidence missing for q3",
    }
    with pytest.raises(Conflict):
        audited_transition("final", "return", "assessor", "user-7", when)


def test_late_when_submitted_after_the_deadline() -> None:
    deadline = datetime(2020, 3, 31, 23, 59, tzinfo=WIB)
    assert not is_late(datetime(2020, 3, 31, 23, 59, tzinfo=WIB), deadline)
    assert is_late(datetime(2020, 4, 1, 0, 0, tzinfo=WIB), deadline)
    # 17:00 UTC on the 31st is 00:00 WIB on 1 April
    assert is_late(datetime(2020, 3, 31, 17, 0, tzinfo=UTC), deadline)
    assert not is_late(datetime(2030, 1, 1, tzinfo=UTC), None)
    with pytest.raises(ValueError):
        is_late(datetime(2020, 4, 1), deadline)
