"""Stage changes (forward, back with reason, discontinue, reactivate) and verification."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innovation.domain.innovation import Innovation
from innovation.domain.stages import (
    Move,
    StageChangeRequest,
    VerificationRequest,
    change_stage,
    classify_move,
    discontinue,
    parse_stage_change,
    parse_verification,
    verify,
)
from innovation.domain.vocab import Stage, VerificationStatus
from smartcity_shared.errors import Conflict, ValidationProblem
from tests.unit.innovation.inno_factories import TODAY, make_innovation

DAY = date(2020, 3, 1)


def move(
    innovation: Innovation, to: Stage, reason: str = "", on: date = DAY, by: str = "u"
) -> Innovation:
    return change_stage(innovation, StageChangeRequest(to, on, reason), by=by)


def test_one_step_forward_needs_no_reason_and_is_recorded() -> None:
    innovation = make_innovation(stage=Stage.INITIATIVE)
    moved = move(innovation, Stage.TRIAL, by="opd-dinkes")
    assert moved.stage is Stage.TRIAL
    last = moved.history[-1]
    assert (last.from_stage, last.to_stage, last.on, last.by) == (
        Stage.INITIATIVE,
        Stage.TRIAL,
        DAY,
        "opd-dinkes",
    )
    assert moved.history[:-1] == innovation.history


def test_moving_forward_fills_the_stage_start_dates() -> None:
    trial = move(make_innovation(stage=Stage.INITIATIVE), Stage.TRIAL)
    assert trial.trial_start == DAY
    implemented = move(trial, Stage.IMPLEMENTED, on=DAY + timedelta(30))
    assert implemented.implementation_start == DAY + timedelta(30)
    assert implemented.trial_start == DAY


def test_skipping_the_trial_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        move(make_innovation(stage=Stage.INITIATIVE), Stage.IMPLEMENTED, reason="urgent")


def test_moving_to_the_same_stage_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        move(make_innovation(stage=Stage.TRIAL), Stage.TRIAL, reason="again")


def test_moving_back_requires_a_reason() -> None:
    innovation = make_innovation(stage=Stage.IMPLEMENTED)
    with pytest.raises(ValidationProblem) as caught:
        move(innovation, Stage.TRIAL)
    assert list(caught.value.errors) == ["reason"]
    moved = move(innovation, Stage.INITIATIVE, reason="Budget cut; redesign")
    assert moved.stage is Stage.INITIATIVE
    assert moved.history[-1].reason == "Budget cut; redesign"


def test_discontinuing_requires_a_reason() -> None:
    innovation = make_innovation(stage=Stage.TRIAL)
    with pytest.raises(ValidationProblem) as caught:
        discontinue(innovation, on=DAY, by="u", reason="  ")
    assert "reason" in caught.value.errors
    stopped = discontinue(innovation, on=DAY, by="u", reason="No users")
    assert stopped.stage is Stage.DISCONTINUED
    assert not stopped.active


def test_reactivation_needs_a_reason_and_returns_at_most_to_the_previous_stage() -> None:
    stopped = discontinue(make_innovation(stage=Stage.TRIAL), on=DAY, by="u", reason="Paused")
    with pytest.raises(ValidationProblem):
        move(stopped, Stage.TRIAL)
    with pytest.raises(Conflict):
        move(stopped, Stage.IMPLEMENTED, reason="Back, and further")
    assert classify_move(stopped, Stage.INITIATIVE) is Move.REACTIVATE
    back = move(stopped, Stage.TRIAL, reason="New budget")
    assert back.stage is Stage.TRIAL and back.active


def test_discontinued_cannot_be_discontinued_again() -> None:
    stopped = discontinue(make_innovation(stage=Stage.TRIAL), on=DAY, by="u", reason="Paused")
    with pytest.raises(Conflict):
        discontinue(stopped, on=DAY, by="u", reason="Still paused")


def test_a_change_may_not_predate_the_latest_one() -> None:
    innovation = make_innovation(stage=Stage.INITIATIVE)  # registered 2020-01-10
    with pytest.raises(ValidationProblem) as caught:
        move(innovation, Stage.TRIAL, on=date(2020, 1, 9))
    assert "date" in caught.value.errors


def test_a_start_date_is_not_filled_in_when_it_would_break_the_order() -> None:
    innovation = replace(make_innovation(stage=Stage.TRIAL), trial_start=date(2020, 5, 1))
    moved = move(innovation, Stage.IMPLEMENTED, on=DAY)
    assert moved.stage is Stage.IMPLEMENTED
    assert moved.implementation_start is None


def test_moving_back_leaves_the_start_dates_alone() -> None:
    implemented = make_innovation(stage=Stage.IMPLEMENTED)  # no trial_start recorded
    back = move(implemented, Stage.TRIAL, reason="Redesign after complaints")
    assert back.trial_start is None
    assert back.implementation_start == implemented.implementation_start
    again = move(back, Stage.IMPLEMENTED, on=DAY + timedelta(1))
    assert again.implementation_start == implemented.implementation_start


def test_parse_stage_change_defaults_the_date_and_reads_evidence() -> None:
    body = {
        "to": "trial",
        "reason": " pilot in two villages ",
        "evidence": [{"url": "https://x.id/a.pdf", "description": "SK"}],
    }
    request = parse_stage_change(body, today=TODAY)
    assert request.on == TODAY
    assert request.to is Stage.TRIAL
    assert request.reason == "pilot in two villages"
    assert len(request.evidence) == 1


def test_parse_stage_change_collects_problems() -> None:
    body = {"to": "done", "date": "2099-01-01", "evidence": [{}], "$x": 1}
    with pytest.raises(ValidationProblem) as caught:
        parse_stage_change(body, today=TODAY)
    assert set(caught.value.errors) == {
        "to",
        "date",
        "evidence.0.url",
        "evidence.0.description",
        "$x",
    }


def test_stage_change_evidence_counts_as_evidence_of_the_innovation() -> None:
    innovation = make_innovation(stage=Stage.INITIATIVE, evidence=False)
    request = parse_stage_change(
        {"to": "trial", "evidence": [{"url": "https://x.id/p.jpg", "description": "Pilot"}]},
        today=TODAY,
    )
    moved = change_stage(innovation, request, by="u")
    assert len(moved.all_evidence) == 1
    assert moved.history[-1].evidence == request.evidence


def test_verification_holds_for_the_stage_it_was_given_at() -> None:
    innovation = make_innovation(stage=Stage.INITIATIVE)
    verified = verify(innovation, VerificationRequest(VerificationStatus.VERIFIED, DAY), by="a")
    assert verified.is_verified
    assert verified.latest_verification is not None
    assert verified.latest_verification.stage is Stage.INITIATIVE
    moved = move(verified, Stage.TRIAL, on=DAY)
    assert not moved.is_verified


def test_needs_evidence_requires_a_note() -> None:
    with pytest.raises(ValidationProblem) as caught:
        parse_verification({"status": "needs_evidence"}, today=TODAY)
    assert "note" in caught.value.errors
    request = VerificationRequest(VerificationStatus.NEEDS_EVIDENCE, DAY, "")
    with pytest.raises(ValidationProblem):
        verify(make_innovation(), request, by="a")


def test_needs_evidence_leaves_the_innovation_unverified() -> None:
    request = parse_verification(
        {"status": "needs_evidence", "note": "Upload the decree"}, today=TODAY
    )
    checked = verify(make_innovation(verified=True), request, by="assessor")
    assert not checked.is_verified
    assert len(checked.verifications) == 2


def test_a_discontinued_innovation_cannot_be_verified() -> None:
    stopped = discontinue(make_innovation(), on=DAY, by="u", reason="Stopped")
    with pytest.raises(Conflict):
        verify(stopped, VerificationRequest(VerificationStatus.VERIFIED, DAY), by="a")


ALL_STAGES = st.sampled_from(list(Stage))


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(targets=st.lists(ALL_STAGES, max_size=12), with_reason=st.lists(st.booleans(), max_size=12))
def test_any_sequence_of_moves_keeps_a_consistent_history(
    targets: list[Stage], with_reason: list[bool]
) -> None:
    innovation = make_innovation(stage=Stage.INITIATIVE)
    for index, target in enumerate(targets):
        reason = "why" if index < len(with_reason) and with_reason[index] else ""
        try:
            innovation = move(innovation, target, reason=reason, on=DAY + timedelta(index))
        except (Conflict, ValidationProblem):
            continue
    history = innovation.history
    assert history[-1].to_stage is innovation.stage
    for before, after in pairwise(history):
        assert after.from_stage is before.to_stage
        assert after.on >= before.on
        if after.reason == "":
            assert after.to_stage is not Stage.DISCONTINUED
            assert before.to_stage is not Stage.DISCONTINUED
