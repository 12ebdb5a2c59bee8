"""Publishing a cycle's scorecard.

Every submitted submission must be final (409 naming the open ones) and at least one final.
A participant that has not submitted blocks publishing while its deadline runs (409 problem
naming each such OPD under `errors`), unless the admin excuses it: the body's `excused` lists
`{unit, reason}`, kept on the cycle and in its history. Once the deadline has passed the
missing ones simply take no part. Emits scorecard.published (with the year-on-year delta),
which also ends the cycle's reminders in the notification service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smartcity_shared.errors import Conflict
from smartcity_shared.identity import Identity
from smartcity_shared.outbox import retry_stale

from . import events
from .common import Doc, iso, now, parse_instant, require_admin, who_name
from .domain.cycle_rules import check_publishable
from .scorecards import EXACT, OPEN_STATES, compute_cycle, year_on_year
from .submissions import cycle_of

if TYPE_CHECKING:
    from .bootstrap import Context


@retry_stale
def publish(c: Context, who: Identity, cycle_id: str, body: Doc, rev: int | None, cid: str) -> Doc:
    """Publish the cycle's scorecard (see the module's rules)."""
    cycle = cycle_of(c, who, cycle_id)
    require_admin(who, cycle["region"])
    if cycle.get("published"):
        raise Conflict(f"the scorecard of {cycle_id} is already published")
    states = {
        d["unit"]: d["state"]
        for d in c.store("submissions").collection.find(
            {"cycle_id": cycle_id}, {"state": 1, "unit": 1}
        )
    }
    pending = sorted(unit for unit, state in states.items() if state in OPEN_STATES)
    if pending:
        raise Conflict(f"submissions still under way: {', '.join(pending)}")
    excused = {e["unit"]: e["reason"] for e in body.get("excused") or []}
    missing = [
        p["unit_code"]
        for p in cycle["participants"]
        if states.get(p["unit_code"], "draft") == "draft"
    ]
    at = now()
    check_publishable(missing, excused, parse_instant(cycle.get("submission_deadline")), at)
    result = compute_cycle(c, cycle)
    if not result["ranking"]:
        raise Conflict("no final submission to publish")
    result["delta"], _ = year_on_year(c, cycle, result)
    result.pop(EXACT)
    snapshot = {k: result[k] for k in ("overall", "band", "delta", "participants", "dimensions")}
    by = who_name(who)
    audit = [
        {"at": iso(at), "by": by, "change": "excused", "from": None, "to": unit, "why": why}
        for unit, why in excused.items()
    ]
    changed = {
        **cycle,
        "published": True,
        "published_at": iso(at),
        "published_by": by,
        "excused": [{"unit": unit, "reason": why} for unit, why in excused.items()],
        "history": [*cycle.get("history", []), *audit],
        "result": snapshot,
    }
    emitted = [events.scorecard_published(changed, snapshot, cid)]
    return c.store("cycles").save(changed, rev, emitted)
