"""Use cases that move an innovation along: stage changes, discontinuation, an assessor's
verification, and milestones (add, update, complete). Each stores the innovation with its
events in one write (innovations.mutate); stage moves then refresh the quota compliance.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from smartcity_shared.identity import Identity

from . import compliance, events
from .access import actor, require_assessor
from .bootstrap import Context
from .domain.innovation import Innovation
from .domain.milestones import (
    Milestone,
    add_milestone,
    complete_milestone,
    find_milestone,
    parse_milestone,
    update_milestone,
)
from .domain.stages import change_stage as apply_stage_change
from .domain.stages import parse_stage_change, parse_verification, verify
from .innovations import mutate

Doc = dict[str, Any]


def change_stage(
    ctx: Context,
    who: Identity,
    region: str,
    innovation_id: str,
    body: Doc,
    rev: int | None,
    cid: str,
) -> Doc:
    """Moves the innovation (stages.py rules: 409 for an illegal move, 422 without a needed
    reason). Emits `innovation.stage_changed`, or `innovation.discontinued`."""
    request = parse_stage_change(body, today=ctx.today(region))

    def change(current: Innovation) -> tuple[Innovation, list[Doc]]:
        updated = apply_stage_change(current, request, by=actor(who))
        return updated, [events.stage_changed(ctx.db, updated, updated.history[-1], cid)]

    stored = mutate(ctx, who, region, innovation_id, rev, change)
    compliance.refresh_quietly(ctx, region, int(stored["year"]), cid)
    return stored


def discontinue(
    ctx: Context,
    who: Identity,
    region: str,
    innovation_id: str,
    body: Doc,
    rev: int | None,
    cid: str,
) -> Doc:
    """A stage change to `discontinued`; body {reason, date?, evidence?}."""
    return change_stage(ctx, who, region, innovation_id, {**body, "to": "discontinued"}, rev, cid)


def record_verification(
    ctx: Context,
    who: Identity,
    region: str,
    innovation_id: str,
    body: Doc,
    rev: int | None,
    cid: str,
) -> Doc:
    """An assessor's verdict {status, note?, date?}; emits `innovation.verified`."""
    request = parse_verification(body, today=ctx.today(region))

    def change(current: Innovation) -> tuple[Innovation, list[Doc]]:
        updated = verify(current, request, by=actor(who))
        return updated, [events.verified(ctx.db, updated, updated.verifications[-1], cid)]

    return mutate(
        ctx, who, region, innovation_id, rev, change, check=lambda _: require_assessor(who, region)
    )


def add(
    ctx: Context,
    who: Identity,
    region: str,
    innovation_id: str,
    body: Doc,
    rev: int | None,
    cid: str,
) -> tuple[Doc, str]:
    """Adds a milestone; returns the stored innovation and the new milestone's id.
    Emits `milestone.planned` (and `milestone.completed` when it is added as done)."""
    milestone = parse_milestone(
        body, milestone_id=f"ms-{uuid.uuid4().hex[:12]}", today=ctx.today(region)
    )

    def change(current: Innovation) -> tuple[Innovation, list[Doc]]:
        updated = replace(current, milestones=add_milestone(current.milestones, milestone))
        return updated, _milestone_events(ctx, updated, None, milestone, cid)

    return mutate(ctx, who, region, innovation_id, rev, change), milestone.id


def update(
    ctx: Context,
    who: Identity,
    region: str,
    innovation_id: str,
    milestone_id: str,
    body: Doc,
    rev: int | None,
    cid: str,
) -> Doc:
    """A partial milestone edit; emits `milestone.planned` when the planned date moves and
    `milestone.completed` when it gets an actual date."""
    today = ctx.today(region)

    def change(current: Innovation) -> tuple[Innovation, list[Doc]]:
        before = find_milestone(current.milestones, milestone_id)
        milestones = update_milestone(current.milestones, milestone_id, body, today=today)
        updated = replace(current, milestones=milestones)
        after = find_milestone(milestones, milestone_id)
        return updated, _milestone_events(ctx, updated, before, after, cid)

    return mutate(ctx, who, region, innovation_id, rev, change)


def complete(
    ctx: Context,
    who: Identity,
    region: str,
    innovation_id: str,
    milestone_id: str,
    body: Doc,
    rev: int | None,
    cid: str,
) -> Doc:
    """Marks a milestone done on `body.date` (default today); 409 when already done."""
    today = ctx.today(region)
    on = body.get("date") or today

    def change(current: Innovation) -> tuple[Innovation, list[Doc]]:
        before = find_milestone(current.milestones, milestone_id)
        milestones = complete_milestone(current.milestones, milestone_id, on=on, today=today)
        updated = replace(current, milestones=milestones)
        after = find_milestone(milestones, milestone_id)
        return updated, _milestone_events(ctx, updated, before, after, cid)

    return mutate(ctx, who, region, innovation_id, rev, change)


def _milestone_events(
    ctx: Context, innovation: Innovation, before: Milestone | None, after: Milestone, cid: str
) -> list[Doc]:
    out = []
    if before is None or before.planned_date != after.planned_date:
        previous = before.planned_date if before else None
        out.append(events.milestone_planned(ctx.db, innovation, after, previous, cid))
    if after.done and (before is None or not before.done):
        out.append(events.milestone_completed(ctx.db, innovation, after, cid))
    return out
