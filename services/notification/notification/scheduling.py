"""Use cases for deadline reminders: plan and cancel them from events, fire the due ones.

`apply_schedule(event)` (in the consumer's handler) first reopens what the event makes not
done any more (a returned submission, an OPD short again), then applies what it finishes (a
submission cancels that unit's reminders and is remembered as done; a discontinued innovation
cancels its milestones', a reactivated one gets those still ahead back), then what it plans
(a deadline set or moved: the subject's pending reminders are reconciled with the new plan,
so none goes out for the old date, and kept ones take the event's details, e.g. a new
shortfall; a moved cycle deadline also tells each unit still to submit, once, old -> new),
and last re-plans a returned submission from the cycle's last known deadline
(`replanning`). `fire_due_reminder` (in the reminder loop) claims one due reminder
atomically and turns it into notices through `services.notify`; the delivery loop sends them.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from notification.domain.directory import DEFAULT_TIMEZONE
from notification.domain.documents import reminder_from_dict
from notification.domain.events import Event, lookup
from notification.domain.moved import deadline_moved_event
from notification.domain.reminders import (
    Reminder,
    deadline_key,
    plan_reminders,
    reconcile,
    reminder_event,
    zone,
)
from notification.domain.replanning import (
    Reopen,
    plan_after_return,
    refreshed,
    reopen_scopes,
    revive_scopes,
)
from notification.domain.triggers import (
    CancelScope,
    PlanRequest,
    cancel_scopes,
    parse_deadline,
    plan_requests,
    to_cancel,
)
from smartcity_shared.errors import PermanentError, ValidationProblem

from .bootstrap import Context
from .repository.reminders import ALL_UNITS
from .services import notify

log = logging.getLogger(__name__)


def apply_schedule(ctx: Context, event: Event, now: datetime) -> None:
    """Reopen, cancel what `event` finishes, (re)plan what it schedules. Idempotent."""
    reopened = reopen_scopes(event)
    for reopen in reopened:
        ctx.reminders.clear_done(reopen.kind, reopen.subject_id, reopen.unit)
    for scope in cancel_scopes(event):
        cancel(ctx, scope, now)
    for revive in revive_scopes(event):
        ctx.reminders.revive_by_detail(revive.kind, revive.detail, revive.value, revive.reason, now)
    for request in plan_requests(event):
        plan(ctx, request, _timezone(ctx, request.region, event), now)
    for reopen in reopened:
        if reopen.replan:
            replan_returned(ctx, reopen, now)


def cancel(ctx: Context, scope: CancelScope, now: datetime) -> None:
    """Cancel the pending reminders `scope` covers; a unit's (or subject's) done mark too,
    except for a cancel by detail (a discontinued innovation's milestones)."""
    if scope.by_detail:
        live = ctx.reminders.live_by_detail(scope.kind, scope.by_detail, scope.subject_id)
    else:
        ctx.reminders.mark_done(scope.kind, scope.subject_id, scope.unit, now)
        live = ctx.reminders.live(scope.kind, scope.subject_id)
    ctx.reminders.cancel([r.id for r in to_cancel(live, [scope])], scope.reason, now)


def plan(ctx: Context, request: PlanRequest, timezone: str, now: datetime) -> list[Reminder]:
    """Reconcile the subject's pending reminders with a plan for `request`'s units that are
    not done yet; returns the new plan."""
    live = ctx.reminders.live(request.kind, request.subject_id)
    if not request.complete:
        live = [r for r in live if r.unit in request.units]
    details = _details_per_unit(request, live)
    done = ctx.reminders.done_units(request.kind, request.subject_id)
    units = [] if ALL_UNITS in done else [u for u in details if u not in done]
    planned = [
        reminder
        for unit in units
        for reminder in plan_reminders(
            request.kind,
            request.subject_id,
            request.region,
            [unit],
            request.deadline,
            now,
            timezone=timezone,
            details=details[unit],
        )
    ]
    stale, create = reconcile(live, planned)
    ctx.reminders.cancel([r.id for r in stale], "rescheduled", now)
    ctx.reminders.add(create, now)
    ctx.reminders.refresh(refreshed(live, planned), now)
    if request.previous is not None:
        tell_moved(ctx, request, {u: details[u] for u in units}, timezone, now)
    given = {k: v for k, v in request.details.items() if v is not None}
    deadline = request.deadline
    if isinstance(deadline, datetime) and deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=zone(timezone))
    ctx.reminders.remember_schedule(
        request.kind, request.subject_id, request.region, deadline_key(deadline), timezone,
        given, now,
    )  # fmt: skip
    return planned


def tell_moved(
    ctx: Context,
    request: PlanRequest,
    details: dict[str, dict[str, Any]],
    timezone: str,
    now: datetime,
) -> None:
    """One "deadline changed (old -> new)" notice per unit still to act (`details`' units)."""
    assert request.previous is not None
    for unit, unit_details in details.items():
        notify(
            ctx,
            deadline_moved_event(
                request.kind, request.subject_id, request.region, unit, request.deadline,
                request.previous, now, timezone=timezone, details=unit_details,
            ),
            now,
        )  # fmt: skip


def replan_returned(ctx: Context, reopen: Reopen, now: datetime) -> list[Reminder]:
    """Plan the reopened unit again from the subject's last planned deadline (nothing when
    none is known or the whole subject is done, e.g. a closed cycle)."""
    known = ctx.reminders.schedule(reopen.kind, reopen.subject_id)
    deadline = parse_deadline(known.get("deadline")) if known else None
    done = ctx.reminders.done_units(reopen.kind, reopen.subject_id)
    if known is None or deadline is None or ALL_UNITS in done or reopen.unit in done:
        log.info("no deadline to re-plan %s %s for %s", reopen.kind, reopen.subject_id, reopen.unit)
        return []
    planned = plan_after_return(
        reopen, str(known["region"]), deadline, now,
        timezone=str(known.get("timezone") or DEFAULT_TIMEZONE),
        details=dict(known.get("details") or {}),
    )  # fmt: skip
    live = [r for r in ctx.reminders.live(reopen.kind, reopen.subject_id) if r.unit == reopen.unit]
    stale, create = reconcile(live, planned)
    ctx.reminders.cancel([r.id for r in stale], "rescheduled", now)
    ctx.reminders.add(create, now)
    return planned


def _details_per_unit(request: PlanRequest, live: list[Reminder]) -> dict[str, dict[str, Any]]:
    """The display details of each unit to plan for: the event's, over what the unit's
    pending reminders carry (a moved deadline that names no units keeps their details)."""
    given = {k: v for k, v in request.details.items() if v is not None}
    known: dict[str, dict[str, Any]] = {}
    for reminder in live:
        known.setdefault(reminder.unit, dict(reminder.details))
    units = list(known) if request.reuse_units else list(request.units)
    found = {}
    for unit in units:
        name = request.unit_names.get(unit)
        found[unit] = {**known.get(unit, {}), **given, **({"unit_name": name} if name else {})}
    return found


def _timezone(ctx: Context, region: str, event: Event) -> str:
    """The event's `data.timezone`, else the region's, else Asia/Jakarta."""
    given = lookup(event, "data.timezone")
    if isinstance(given, str) and given:
        try:
            return zone(given).key
        except ValidationProblem:
            log.warning("event %s names an unknown time zone %r", event.get("id"), given)
    known = ctx.directory.region(region)
    return known.timezone if known else DEFAULT_TIMEZONE


def fire_due_reminder(ctx: Context, now: datetime) -> bool:
    """Claim one due reminder and store its notices; False when none is due.

    A reminder for something done meanwhile is cancelled instead. A reminder whose mail can
    never be rendered is marked `failed` (and logged) rather than retried forever.
    """
    lease = timedelta(seconds=ctx.config.lease_s)
    doc = ctx.reminders.claim_due(now, lease, ctx.config.worker_id)
    if doc is None:
        return False
    reminder = reminder_from_dict({**doc, "status": "pending"})
    if ctx.reminders.is_done(reminder):
        ctx.reminders.finish(doc, "cancelled", now, cancel_reason="done")
        return True
    try:
        result = notify(ctx, reminder_event(reminder, now), now)
    except PermanentError as exc:
        log.error("reminder %s cannot be sent: %s", reminder.id, exc)
        ctx.reminders.finish(doc, "failed", now, error=str(exc))
        return True
    ctx.reminders.finish(doc, "sent", now, fired_at=now, notices=result.notices)
    return True
