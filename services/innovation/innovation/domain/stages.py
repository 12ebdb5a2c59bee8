"""Stage changes of an innovation and an assessor's verification.

Stages: initiative -> trial -> implemented, plus discontinued. The rules, checked in this order:

1. Illegal moves raise `Conflict` (409), whatever the reason given:
   - to the stage it already has;
   - forward by more than one step (initiative -> implemented skips the trial);
   - out of `discontinued` to a stage above the one it had when it was discontinued
     (reactivation may not be used to skip ahead).
2. Moves that need a reason raise `ValidationProblem({"reason": ...})` without one:
   - backward (e.g. implemented -> trial);
   - discontinuing (any active stage -> discontinued);
   - reactivating (discontinued -> an active stage, at most the stage it had before).
   One step forward needs no reason.
3. The change date may not be before the latest history entry nor after today.

Moving forward (or reactivating) to `trial` sets `trial_start`, to `implemented` sets
`implementation_start`, to the change date when the field is empty and the order
trial_start <= implementation_start still holds; otherwise the dates stay as they are (the
profile edit is the place to correct them). Each change appends a `StageChange` (from, to, date, by,
reason, evidence) to the history, which is never rewritten.

Verification: an assessor records `verified` or `needs_evidence` (a note is required for
`needs_evidence`) for the innovation's current stage; a later stage change makes the innovation
unverified again (`Innovation.is_verified`) until an assessor verifies the new stage.
Discontinued innovations cannot be verified (Conflict).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from smartcity_shared.errors import Conflict, ValidationProblem

from .innovation import Evidence, Innovation, StageChange, Verification, read_evidence
from .parsing import Problems, Reader, body
from .vocab import Stage, VerificationStatus, stage_rank

STAGE_CHANGE_FIELDS = ("to", "date", "reason", "evidence")
VERIFICATION_FIELDS = ("status", "note", "date")


class Move(StrEnum):
    """The kind of a legal stage change."""

    FORWARD = "forward"
    BACKWARD = "backward"
    DISCONTINUE = "discontinue"
    REACTIVATE = "reactivate"


NEEDS_REASON = frozenset({Move.BACKWARD, Move.DISCONTINUE, Move.REACTIVATE})


@dataclass(frozen=True)
class StageChangeRequest:
    """A validated request to move an innovation to `to` on `on`."""

    to: Stage
    on: date
    reason: str = ""
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class VerificationRequest:
    """A validated assessor verdict given on `on`."""

    status: VerificationStatus
    on: date
    note: str = ""


def parse_stage_change(data: object, *, today: date) -> StageChangeRequest:
    """A StageChangeRequest from a body {to, date?, reason?, evidence?}; date defaults to today.

    Raises ValidationProblem with every problem (a date after `today` is one).
    """
    problems = Problems()
    reader = Reader(body(data, problems, STAGE_CHANGE_FIELDS), problems)
    to = reader.choice("to", Stage, required=True)
    on = reader.day("date") or today
    reason = reader.text("reason", max_len=2000)
    evidence = read_evidence(reader)
    if on > today:
        problems.add("date", "May not be in the future.")
    problems.raise_if_any()
    assert to is not None
    return StageChangeRequest(to, on, reason, evidence)


def classify_move(innovation: Innovation, to: Stage) -> Move:
    """The kind of moving `innovation` to `to`; raises Conflict for an illegal move."""
    current = innovation.stage
    if to is current:
        raise Conflict(f"The innovation is already at stage {current}.")
    if current is Stage.DISCONTINUED:
        ceiling = stage_before_discontinuation(innovation)
        if stage_rank(to) > stage_rank(ceiling):
            raise Conflict(f"A reactivated innovation may return at most to stage {ceiling}.")
        return Move.REACTIVATE
    if to is Stage.DISCONTINUED:
        return Move.DISCONTINUE
    step = stage_rank(to) - stage_rank(current)
    if step > 1:
        raise Conflict(f"Cannot skip from {current} to {to}; move one stage at a time.")
    return Move.FORWARD if step == 1 else Move.BACKWARD


def stage_before_discontinuation(innovation: Innovation) -> Stage:
    """The active stage the innovation had when it was last discontinued.

    Falls back to `initiative` when the history does not say (it always does for innovations
    built by this package).
    """
    for change in reversed(innovation.history):
        if change.to_stage is Stage.DISCONTINUED and change.from_stage is not None:
            return change.from_stage
    return Stage.INITIATIVE


def change_stage(innovation: Innovation, request: StageChangeRequest, *, by: str) -> Innovation:
    """The innovation moved to `request.to`, with a history entry by `by`.

    Raises Conflict for an illegal move, ValidationProblem for a missing reason or a bad date
    (rules in the module docstring). Pure: the caller stores the result and emits the event
    (`stage changed`, or `discontinued` when `request.to` is discontinued).
    """
    move = classify_move(innovation, request.to)
    problems = Problems()
    if move in NEEDS_REASON and not request.reason:
        problems.add("reason", f"A reason is required to {_verb(move)}.")
    if innovation.history and request.on < innovation.history[-1].on:
        problems.add("date", f"May not be before the latest change ({innovation.history[-1].on}).")
    problems.raise_if_any()
    trial_start, implementation_start = _filled_dates(innovation, request, move)
    entry = StageChange(
        innovation.stage, request.to, request.on, by, request.reason, request.evidence
    )
    return replace(
        innovation,
        stage=request.to,
        history=(*innovation.history, entry),
        trial_start=trial_start,
        implementation_start=implementation_start,
    )


def _filled_dates(
    innovation: Innovation, request: StageChangeRequest, move: Move
) -> tuple[date | None, date | None]:
    trial, implementation = innovation.trial_start, innovation.implementation_start
    if move not in (Move.FORWARD, Move.REACTIVATE):
        return trial, implementation
    keeps_order_as_trial = implementation is None or request.on <= implementation
    if request.to is Stage.TRIAL and trial is None and keeps_order_as_trial:
        trial = request.on
    keeps_order_as_implementation = trial is None or trial <= request.on
    if request.to is Stage.IMPLEMENTED and implementation is None and keeps_order_as_implementation:
        implementation = request.on
    return trial, implementation


def _verb(move: Move) -> str:
    return {
        Move.BACKWARD: "move back to an earlier stage",
        Move.DISCONTINUE: "discontinue an innovation",
        Move.REACTIVATE: "reactivate a discontinued innovation",
    }[move]


def discontinue(
    innovation: Innovation, *, on: date, by: str, reason: str, evidence: tuple[Evidence, ...] = ()
) -> Innovation:
    """Shorthand for change_stage to `discontinued` (same rules and errors)."""
    request = StageChangeRequest(Stage.DISCONTINUED, on, reason.strip(), evidence)
    return change_stage(innovation, request, by=by)


def parse_verification(data: object, *, today: date) -> VerificationRequest:
    """A VerificationRequest from a body {status, note?, date?}; date defaults to today.

    Raises ValidationProblem: bad values, a date after today, `needs_evidence` without a note.
    """
    problems = Problems()
    reader = Reader(body(data, problems, VERIFICATION_FIELDS), problems)
    status = reader.choice("status", VerificationStatus, required=True)
    note = reader.text("note", max_len=2000)
    on = reader.day("date") or today
    if status is VerificationStatus.NEEDS_EVIDENCE and not note:
        problems.add("note", "A note saying which evidence is needed is required.")
    if on > today:
        problems.add("date", "May not be in the future.")
    problems.raise_if_any()
    assert status is not None
    return VerificationRequest(status, on, note)


def verify(innovation: Innovation, request: VerificationRequest, *, by: str) -> Innovation:
    """The innovation with the assessor's verdict appended for its current stage.

    Raises Conflict for a discontinued innovation and ValidationProblem for `needs_evidence`
    without a note (also checked here for requests not built by parse_verification).
    """
    if not innovation.active:
        raise Conflict("A discontinued innovation cannot be verified.")
    if request.status is VerificationStatus.NEEDS_EVIDENCE and not request.note.strip():
        raise ValidationProblem({"note": ["A note saying which evidence is needed is required."]})
    verdict = Verification(request.status, innovation.stage, request.on, by, request.note)
    return replace(innovation, verifications=(*innovation.verifications, verdict))
