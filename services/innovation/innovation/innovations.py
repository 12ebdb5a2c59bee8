"""Use cases of the innovation registry: register, read, search, edit the profile, evidence.

Stage changes, verification and milestones are in lifecycle.py. Every write stores the
innovation with its events in one document write (the outbox) and then refreshes the quota
compliance of the year(s) it touches.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from smartcity_shared.errors import Forbidden, ValidationProblem
from smartcity_shared.identity import Identity
from smartcity_shared.outbox import retry_stale

from . import compliance, events
from . import documents as docs
from . import repository as repo
from .access import actor, require_unit_writer, require_visible
from .bootstrap import INNOVATIONS, Context
from .domain.innovation import (
    Innovation,
    evidence_input,
    register_innovation,
    update_profile,
)
from .domain.search import InnovationFilter, matches, parse_innovation_filter

Doc = dict[str, Any]
Change = Callable[[Innovation], tuple[Innovation, list[Doc]]]
WRITERS = ("admin", "opd")


def new_id() -> str:
    return f"inv-{uuid.uuid4().hex[:16]}"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def register(ctx: Context, who: Identity, region: str, body: Doc, cid: str) -> Doc:
    """An OPD registers an innovation of its own unit (the admin: of any unit).

    Raises NotFound (other region), Forbidden (role or unit), ValidationProblem (body, unknown
    units or programme). Emits `innovation.registered`.
    """
    require_visible(who, region)
    if who.role not in WRITERS:
        raise Forbidden(f"role {who.role} may not register innovations")
    innovation = register_innovation(
        body,
        innovation_id=new_id(),
        region=region,
        registered_by=actor(who),
        today=ctx.today(region),
    )
    require_unit_writer(who, region, innovation.owner_unit)
    check_references(ctx, innovation)
    doc = {**docs.innovation_doc(innovation), "created_at": now(), "created_by": actor(who)}
    stored = ctx.store(INNOVATIONS).insert(
        doc, [events.registered(ctx.db, innovation, actor(who), cid)]
    )
    compliance.refresh_quietly(ctx, region, innovation.year, cid)
    return stored


def check_references(ctx: Context, innovation: Innovation) -> None:
    """The owner and partner units are active OPDs of the region and the programme exists."""
    problems: dict[str, list[str]] = {}
    region = innovation.region
    active = {u["code"] for u in repo.active_units(ctx.db, region)}
    if innovation.owner_unit not in active:
        problems["owner_unit"] = [f"Unknown unit {innovation.owner_unit} in {region}."]
    unknown = [u for u in innovation.partner_units if u not in active]
    if unknown:
        problems["partner_units"] = [f"Unknown units: {', '.join(unknown)}."]
    programme = innovation.programme_id
    if programme and programme not in repo.programme_ids(ctx.db, region):
        problems["programme_id"] = [f"No programme {programme} in {region}'s master plans."]
    if problems:
        raise ValidationProblem(problems)


def get(ctx: Context, who: Identity, region: str, innovation_id: str) -> Doc:
    require_visible(who, region)
    return repo.innovation_doc(ctx.db, region, innovation_id)


def search(
    ctx: Context, who: Identity, region: str, args: Doc, limit: int, offset: int
) -> tuple[list[Doc], int]:
    """The page of the region's innovations matching `args` (search.py) and the total."""
    require_visible(who, region)
    criteria = parse_innovation_filter(args)
    found = [
        d for d in _candidates(ctx, region, criteria) if matches(docs.innovation_from(d), criteria)
    ]
    return found[offset : offset + limit], len(found)


def _candidates(ctx: Context, region: str, f: InnovationFilter) -> list[Doc]:
    """The store narrows by the exact criteria; unit and text are matched in Python."""
    return repo.innovation_docs(
        ctx.db,
        region,
        year=f.year,
        stage=f.stage.value if f.stage else None,
        type=f.type.value if f.type else None,
        pillar=f.pillar.value if f.pillar else None,
        programme_id=f.programme_id,
    )


def edit_profile(
    ctx: Context, who: Identity, region: str, innovation_id: str, body: Doc, rev: int | None
) -> Doc:
    """A partial profile edit (no event of its own). Handing an innovation to another unit
    needs write rights on both units. Refreshes compliance of the old and new year."""
    before: list[Innovation] = []

    def change(current: Innovation) -> tuple[Innovation, list[Doc]]:
        updated = update_profile(current, body)
        if updated.owner_unit != current.owner_unit:
            require_unit_writer(who, region, updated.owner_unit)
        check_references(ctx, updated)
        before.append(current)
        return updated, []

    stored = mutate(ctx, who, region, innovation_id, rev, change)
    for year in {before[-1].year, int(stored["year"])}:
        compliance.refresh_quietly(ctx, region, year)
    return stored


def add_evidence(
    ctx: Context, who: Identity, region: str, innovation_id: str, body: Doc, rev: int | None
) -> Doc:
    """Appends one piece of evidence {url, description, kind} to the profile."""

    def change(current: Innovation) -> tuple[Innovation, list[Doc]]:
        listed = [evidence_input(e) for e in current.evidence]
        try:
            updated = update_profile(current, {"evidence": [*listed, body]})
        except ValidationProblem as exc:
            raise ValidationProblem(_unprefix(exc.errors, f"evidence.{len(listed)}")) from exc
        return updated, []

    return mutate(ctx, who, region, innovation_id, rev, change)


def _unprefix(errors: dict[str, list[str]], prefix: str) -> dict[str, list[str]]:
    """Error paths of the appended item as paths of the posted body."""
    out: dict[str, list[str]] = {}
    for path, messages in errors.items():
        key = path.removeprefix(prefix).lstrip(".") if path.startswith(prefix) else path
        out[key or "_schema"] = messages
    return out


@retry_stale
def mutate(
    ctx: Context,
    who: Identity,
    region: str,
    innovation_id: str,
    rev: int | None,
    change: Change,
    *,
    check: Callable[[Innovation], None] | None = None,
) -> Doc:
    """Load, authorise (owner unit's writer, unless `check` is given), apply `change`, save
    with its events. Without If-Match (`rev` None) a concurrent write makes it start over
    (`retry_stale`), so no update is lost; with If-Match a stale revision is 412."""
    doc = repo.innovation_doc(ctx.db, region, innovation_id)
    current = docs.innovation_from(doc)
    if check is not None:
        check(current)
    else:
        require_unit_writer(who, region, current.owner_unit)
    updated, out = change(current)
    new_doc = {
        **doc,
        **docs.innovation_doc(updated),
        "updated_at": now(),
        "updated_by": actor(who),
    }
    return ctx.store(INNOVATIONS).save(new_doc, rev, out)
