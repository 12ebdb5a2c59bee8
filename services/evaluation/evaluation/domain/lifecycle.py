"""The submission lifecycle: draft -> submitted -> in_review -> (returned -> submitted again)
-> verified -> final, as a pure transition table.

| action         | from                  | to          | roles            |
| -------------- | --------------------- | ----------- | ---------------- |
| `save`         | draft, returned       | (unchanged) | opd, admin       |
| `submit`       | draft, returned       | submitted   | opd, admin       |
| `start_review` | submitted             | in_review   | assessor, admin  |
| `review`       | in_review             | (unchanged) | assessor, admin  |
| `return`       | submitted, in_review  | returned    | assessor, admin  |
| `verify`       | in_review             | verified    | assessor, admin  |
| `reopen`       | verified              | in_review   | assessor, admin  |
| `finalize`     | verified              | final       | assessor, admin  |
| `withdraw`     | draft                 | withdrawn   | admin            |
| `reinstate`    | withdrawn             | draft       | admin            |

`save` is an OPD editing its answers, `review` an assessor recording verified answers and
notes. A final submission is locked. Resubmitting after a return is `submit` from `returned`.
`transition` raises `Forbidden` (403) when the role may never take the action and `Conflict`
(409) when the action is not allowed from the current state. Whether a user owns the
submission (its unit, its region) is the caller's check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from smartcity_shared.errors import Conflict, Forbidden, ValidationProblem


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    VERIFIED = "verified"
    FINAL = "final"
    WITHDRAWN = "withdrawn"  # its unit was removed from the cycle before submitting


class Action(StrEnum):
    SAVE = "save"
    SUBMIT = "submit"
    START_REVIEW = "start_review"
    REVIEW = "review"
    RETURN = "return"
    VERIFY = "verify"
    REOPEN = "reopen"
    FINALIZE = "finalize"
    WITHDRAW = "withdraw"
    REINSTATE = "reinstate"


_OWNER = frozenset({"opd", "admin"})
_REVIEWER = frozenset({"assessor", "admin"})
_ADMIN = frozenset({"admin"})
#: Taken through the cycle's participant list, not offered as buttons on the submission.
PARTICIPANT_ACTIONS = frozenset({"withdraw", "reinstate"})

# action -> (roles allowed, {from state: to state})
TRANSITIONS: dict[Action, tuple[frozenset[str], dict[State, State]]] = {
    Action.SAVE: (_OWNER, {State.DRAFT: State.DRAFT, State.RETURNED: State.RETURNED}),
    Action.SUBMIT: (_OWNER, {State.DRAFT: State.SUBMITTED, State.RETURNED: State.SUBMITTED}),
    Action.START_REVIEW: (_REVIEWER, {State.SUBMITTED: State.IN_REVIEW}),
    Action.REVIEW: (_REVIEWER, {State.IN_REVIEW: State.IN_REVIEW}),
    Action.RETURN: (_REVIEWER, {State.SUBMITTED: State.RETURNED, State.IN_REVIEW: State.RETURNED}),
    Action.VERIFY: (_REVIEWER, {State.IN_REVIEW: State.VERIFIED}),
    Action.REOPEN: (_REVIEWER, {State.VERIFIED: State.IN_REVIEW}),
    Action.FINALIZE: (_REVIEWER, {State.VERIFIED: State.FINAL}),
    Action.WITHDRAW: (_ADMIN, {State.DRAFT: State.WITHDRAWN}),
    Action.REINSTATE: (_ADMIN, {State.WITHDRAWN: State.DRAFT}),
}


def transition(state: str, action: str, role: str) -> State:
    """The state after `role` takes `action` on a submission in `state`.

    Raises ValidationProblem for an unknown state or action, Forbidden when the role may never
    take the action, Conflict when the action is not allowed from this state.
    """
    current, act = _parse(state, action)
    roles, moves = TRANSITIONS[act]
    if role not in roles:
        raise Forbidden(f"role {role!r} may not {act.value} a submission")
    if current not in moves:
        allowed = ", ".join(s.value for s in moves)
        raise Conflict(
            f"cannot {act.value} a submission that is {current.value} (only from: {allowed})"
        )
    return moves[current]


def allowed_actions(state: str, role: str) -> list[Action]:
    """The actions `role` may take now (for portals to show the right buttons)."""
    current = State(state)
    return [
        a
        for a, (roles, moves) in TRANSITIONS.items()
        if role in roles and current in moves and a.value not in PARTICIPANT_ACTIONS
    ]


@dataclass(frozen=True)
class AuditEntry:
    """One audited transition: who did what, when, from which state to which, and why."""

    action: Action
    from_state: State
    to_state: State
    who: str
    role: str
    when: datetime
    why: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "action": self.action.value,
            "from": self.from_state.value,
            "to": self.to_state.value,
            "who": self.who,
            "role": self.role,
            "when": self.when.isoformat(),
            "why": self.why,
        }


def audited_transition(
    state: str, action: str, role: str, who: str, when: datetime, why: str = ""
) -> tuple[State, AuditEntry]:
    """`transition` plus the audit entry to store with it (same errors as `transition`)."""
    new_state = transition(state, action, role)
    entry = AuditEntry(Action(action), State(state), new_state, who, role, when, why)
    return new_state, entry


def is_late(submitted_at: datetime, deadline: datetime | None) -> bool:
    """Whether a submit at `submitted_at` is after `deadline` (never late without a deadline).

    Both datetimes must be timezone-aware (ValueError otherwise): a deadline at 23:59 WIB is
    not the same instant as 23:59 UTC.
    """
    if deadline is None:
        return False
    if submitted_at.tzinfo is None or deadline.tzinfo is None:
        raise ValueError("submitted_at and deadline must be timezone-aware")
    return submitted_at > deadline


def _parse(state: str, action: str) -> tuple[State, Action]:
    errors: dict[str, list[str]] = {}
    if state not in State._value2member_map_:
        errors["state"] = [f"must be one of: {', '.join(State)}"]
    if action not in Action._value2member_map_:
        errors["action"] = [f"must be one of: {', '.join(Action)}"]
    if errors:
        raise ValidationProblem(errors)
    return State(state), Action(action)
