"""Use cases of an opened cycle's participant list: add an OPD, remove one.

Adding gives the unit a draft (a withdrawn one of its own comes back with its answers) and
emits `cycle.participant_added`, from which the notification service plans its deadline
reminders. Removing is for a unit that has not submitted: its draft is withdrawn (kept,
audited, readable by its owner and the admin) and `cycle.participant_removed` cancels its
reminders. The cycle document (with its event) is the record; the draft is written just before
it and put back when the cycle write fails (a stale If-Match), so nothing is left half-done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from smartcity_shared.errors import Conflict, PreconditionFailed, ValidationProblem
from smartcity_shared.identity import Identity
from smartcity_shared.limits import MAX_HISTORY, appended
from smartcity_shared.outbox import DocumentStore, retry_stale

from . import events
from .common import Doc, iso, now, participant, require_admin, unit_names, who_name
from .cycles import get_cycle
from .submissions import DRAFT, WITHDRAWN, audit, new_submission

if TYPE_CHECKING:
    from .bootstrap import Context

log = logging.getLogger(__name__)


def _editable(c: Context, who: Identity, cycle_id: str, rev: int | None) -> Doc:
    cycle = get_cycle(c, who, cycle_id)
    require_admin(who, cycle["region"])
    if cycle["phase"] == "closed":
        raise Conflict("the cycle is closed")
    if rev is not None and rev != cycle.get("_rev"):  # fail before the draft is touched
        raise PreconditionFailed(f"{cycle_id} has changed (revision {cycle.get('_rev')})")
    return cycle


def _entry(c: Context, region: str, code: str) -> Doc:
    """The participant entry of an active OPD of the region (or the regency itself)."""
    names = unit_names(c.store("units"), c.store("regions"), region)
    active = {
        d["code"] for d in c.store("units").collection.find({"region": region, "active": True})
    }
    if code != region and code not in active:
        raise ValidationProblem({"unit": [f"{code!r} is not an active OPD of {region}"]})
    return participant(region, code, names[code])


def _change(who: Identity, change: str, before: str | None, after: str | None, why: str) -> Doc:
    """A cycle history entry (the shape of the deadline and phase ones)."""
    return {"at": iso(now()), "by": who_name(who), "change": change, "from": before, "to": after,
            "why": why}  # fmt: skip


def _nothing() -> None:
    return None


def _put_back(store: DocumentStore, doc: Doc, rev: int) -> Callable[[], None]:
    """Undo of a draft write: `doc` as it was, unless someone wrote after `rev`."""

    def undo() -> None:
        store.save(doc, rev)

    return undo


def _take_back(store: DocumentStore, id: str) -> Callable[[], None]:
    """Undo of a draft insert: delete it while nobody has written to it."""

    def undo() -> None:
        store.collection.delete_one({"_id": id, "_rev": 1})

    return undo


def _save_cycle(
    c: Context, changed: Doc, rev: int | None, event: Doc, undo: Callable[[], None]
) -> Doc:
    try:
        return c.store("cycles").save(changed, rev, [event])
    except Exception:
        try:
            undo()
        except Exception:  # the cycle write's error is the one to report
            log.exception("could not put back the draft after a failed participant change")
        raise


@retry_stale
def add_participant(
    c: Context, who: Identity, cycle_id: str, code: str, reason: str, rev: int | None, cid: str
) -> Doc:
    """Add `code` to an opened cycle: 409 when it already takes part or the cycle is closed,
    422 (`unit`) when it is no active OPD of the region, 412 on a stale If-Match."""
    cycle = _editable(c, who, cycle_id, rev)
    if any(p["unit_code"] == code for p in cycle["participants"]):
        raise Conflict(f"{code} already takes part in {cycle_id}")
    entry = _entry(c, cycle["region"], code)
    changed = {
        **cycle,
        "participants": [*cycle["participants"], entry],
        "history": appended(
            cycle["history"],
            _change(who, "participant_added", None, code, reason),
            MAX_HISTORY,
            "changes",
        ),
    }
    undo = _draft_for(c, who, cycle, entry, reason)
    event = events.participant_changed(changed, entry, True, reason, cid)
    return _save_cycle(c, changed, rev, event, undo)


def _draft_for(c: Context, who: Identity, cycle: Doc, entry: Doc, why: str) -> Callable[[], None]:
    """Give the unit a draft (a new one, or its withdrawn one back); returns the undo."""
    store = c.store("submissions")
    old = store.get(f"{cycle['_id']}:{entry['unit_code']}")
    if old is None:
        return _take_back(store, store.insert(new_submission(cycle, entry))["_id"])
    if old["state"] == WITHDRAWN:
        state, trail = audit(old, who, "reinstate", why)
        back = store.save({**old, "state": state, "audit": trail}, old["_rev"])
        return _put_back(store, old, back["_rev"])
    return _nothing  # a draft left by an earlier failed attempt: the unit's own


@retry_stale
def remove_participant(
    c: Context, who: Identity, cycle_id: str, code: str, reason: str, rev: int | None, cid: str
) -> Doc:
    """Remove `code` from an opened cycle, withdrawing its draft: 409 once it has submitted,
    for the last participant or a closed cycle; 422 (`unit`) when it does not take part;
    412 on a stale If-Match."""
    cycle = _editable(c, who, cycle_id, rev)
    entry = next((p for p in cycle["participants"] if p["unit_code"] == code), None)
    if entry is None:
        raise ValidationProblem({"unit": [f"{code!r} does not take part in {cycle_id}"]})
    if len(cycle["participants"]) == 1:
        raise Conflict("a cycle keeps at least one participant")
    store = c.store("submissions")
    draft = store.get(f"{cycle_id}:{code}")
    if draft is not None and draft["state"] not in (DRAFT, WITHDRAWN):
        raise Conflict(f"{code} has already submitted ({draft['state']}); it stays in the cycle")
    undo = _nothing
    if draft is not None and draft["state"] == DRAFT:
        state, trail = audit(draft, who, "withdraw", reason)
        gone = store.save({**draft, "state": state, "audit": trail}, draft["_rev"])
        undo = _put_back(store, draft, gone["_rev"])
    changed = {
        **cycle,
        "participants": [p for p in cycle["participants"] if p["unit_code"] != code],
        "history": appended(
            cycle["history"],
            _change(who, "participant_removed", code, None, reason),
            MAX_HISTORY,
            "changes",
        ),
    }
    event = events.participant_changed(changed, entry, False, reason, cid)
    return _save_cycle(c, changed, rev, event, undo)
