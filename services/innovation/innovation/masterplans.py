"""Use cases of the master plan: create, read, programmes, review (a new version), and the
review report (per programme: linked innovations, stages, progress, behind schedule).

Writes are the region admin's; every role of the region reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from smartcity_shared.errors import ValidationProblem
from smartcity_shared.identity import Identity
from smartcity_shared.outbox import retry_stale

from . import documents as docs
from . import events
from . import repository as repo
from .access import actor, require_admin, require_visible
from .bootstrap import MASTERPLANS, Context
from .domain.masterplan import (
    MasterPlan,
    add_programme,
    create_master_plan,
    review_master_plan,
    update_programme,
)
from .domain.progress import MasterPlanReport, master_plan_report

Doc = dict[str, Any]
Change = Callable[[MasterPlan], tuple[MasterPlan, list[Doc]]]


def plan_id_for(start_year: int, end_year: int) -> str:
    """A plan's id: its original period (`mp-2018-2027`), kept when a review moves it."""
    return f"mp-{start_year}-{end_year}"


def create(ctx: Context, who: Identity, region: str, body: Doc) -> Doc:
    """A new plan (version 1); 409 when the region has a plan with that id already."""
    require_admin(who, region)
    today = ctx.today(region)
    plan = create_master_plan(body, plan_id="new", region=region, by=actor(who), today=today)
    plan = replace(plan, id=plan_id_for(plan.start_year, plan.end_year))
    _check_owner_units(ctx, plan, [p.id for p in plan.programmes], "programmes")
    doc = {**docs.plan_doc(plan), "created_at": _now(), "created_by": actor(who)}
    return ctx.store(MASTERPLANS).insert(doc)


def get(ctx: Context, who: Identity, region: str, plan_id: str) -> Doc:
    require_visible(who, region)
    return repo.plan_doc(ctx.db, region, plan_id)


def list_plans(ctx: Context, who: Identity, region: str) -> list[Doc]:
    require_visible(who, region)
    return repo.plan_docs(ctx.db, region)


def new_programme(
    ctx: Context, who: Identity, region: str, plan_id: str, body: Doc, rev: int | None
) -> Doc:
    def change(plan: MasterPlan) -> tuple[MasterPlan, list[Doc]]:
        updated = add_programme(plan, body)
        _check_owner_units(ctx, updated, [updated.programmes[-1].id], "")
        return updated, []

    return _mutate(ctx, who, region, plan_id, rev, change)


def edit_programme(
    ctx: Context,
    who: Identity,
    region: str,
    plan_id: str,
    programme_id: str,
    body: Doc,
    rev: int | None,
) -> Doc:
    def change(plan: MasterPlan) -> tuple[MasterPlan, list[Doc]]:
        updated = update_programme(plan, programme_id, body)
        _check_owner_units(ctx, updated, [programme_id], "")
        return updated, []

    return _mutate(ctx, who, region, plan_id, rev, change)


def review(
    ctx: Context, who: Identity, region: str, plan_id: str, body: Doc, rev: int | None, cid: str
) -> Doc:
    """Closes a review: the next version, with what changed and why; emits
    `masterplan.reviewed` naming the programmes behind schedule."""
    today = ctx.today(region)

    def change(plan: MasterPlan) -> tuple[MasterPlan, list[Doc]]:
        updated = review_master_plan(plan, body, by=actor(who), today=today)
        found = master_plan_report(updated, repo.innovations(ctx.db, region), today)
        return updated, [events.plan_reviewed(updated, found, cid)]

    return _mutate(ctx, who, region, plan_id, rev, change)


def report(
    ctx: Context, who: Identity, region: str, plan_id: str
) -> tuple[MasterPlanReport, MasterPlan, dict[str, str]]:
    """The review report on the region's today, the plan, and OPD names (code -> name)."""
    require_visible(who, region)
    plan = docs.plan_from(repo.plan_doc(ctx.db, region, plan_id))
    found = master_plan_report(plan, repo.innovations(ctx.db, region), ctx.today(region))
    return found, plan, repo.unit_names(ctx.db, region)


def _check_owner_units(ctx: Context, plan: MasterPlan, ids: list[str], prefix: str) -> None:
    """Each named programme's owner unit is an active OPD of the region (422 otherwise)."""
    index = {p.id: n for n, p in enumerate(plan.programmes)}
    problems: dict[str, list[str]] = {}
    for programme_id in ids:
        programme = plan.programme(programme_id)
        if repo.unknown_units(ctx.db, plan.region, [programme.owner_unit]):
            path = f"{prefix}.{index[programme_id]}.owner_unit" if prefix else "owner_unit"
            problems[path] = [f"Unknown unit {programme.owner_unit} in {plan.region}."]
    if problems:
        raise ValidationProblem(problems)


@retry_stale
def _mutate(
    ctx: Context, who: Identity, region: str, plan_id: str, rev: int | None, change: Change
) -> Doc:
    """Load, apply `change`, save: a stale If-Match is 412; without one a concurrent write
    makes it start over (`retry_stale`), so no change is lost."""
    require_admin(who, region)
    doc = repo.plan_doc(ctx.db, region, plan_id)
    updated, out = change(docs.plan_from(doc))
    new_doc = {**doc, **docs.plan_doc(updated), "updated_at": _now(), "updated_by": actor(who)}
    return ctx.store(MASTERPLANS).save(new_doc, rev, out)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
