"""Quota policy and compliance: the policy per region and year, the live report, and the stored
compliance snapshot whose changes become events.

`refresh` is called after every write that may change compliance (innovation registered,
edited, moved, discontinued; policy set; an OPD added or deactivated) and by the daily scan
(statuses move with the date). It recomputes the report, compares it with the latest stored
snapshot and stores the new snapshot together with the change events in ONE document write
(the outbox). Each snapshot is a new document, `_id` = `<region>:<year>:<seq>`: the next
sequence number can be inserted only once, so two concurrent refreshes never both emit. (An
insert on a unique `_id` is atomic on every store we run on; a conditional update is not
atomic on the local FerretDB under concurrency.) Older snapshots whose events went out are
pruned.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from smartcity_shared.errors import Conflict, PreconditionFailed, ValidationProblem
from smartcity_shared.identity import Identity

from . import documents as docs
from . import events
from . import repository as repo
from .access import actor, require_admin, require_visible
from .bootstrap import COMPLIANCE, POLICIES, Context
from .domain.innovation import Innovation
from .domain.quota import (
    ChangeKind,
    ComplianceChange,
    ComplianceReport,
    compliance,
    compliance_changes,
    parse_quota_policy,
)

log = logging.getLogger(__name__)
Doc = dict[str, Any]
CHANGE_TYPES = {
    ChangeKind.SHORTFALL_DETECTED: "shortfall_detected",
    ChangeKind.MET: "met",
    ChangeKind.SHORTFALL_CHANGED: "compliance_changed",
    ChangeKind.STATUS_CHANGED: "compliance_changed",
}
OPEN_YEAR_GRACE_DAYS = 30


def policy_view(ctx: Context, who: Identity, region: str, year: int) -> Doc:
    """The stored policy (with `revision`) or the default one (`is_default: true`)."""
    require_visible(who, region)
    stored = repo.stored_policy(ctx.db, region, year)
    policy = docs.policy_from(stored) if stored else repo.policy(ctx.db, region, year)
    body = {**docs.policy_doc(policy), "deadline": policy.due.isoformat()}
    body["_rev"] = stored.get("_rev", 0) if stored else 0
    body["is_default"] = stored is None
    return body


def set_policy(
    ctx: Context, who: Identity, region: str, year: int, body: Doc, rev: int | None, cid: str
) -> Doc:
    """Admin only. Stores the policy with `quota.policy_set`, then refreshes compliance.
    Raises ValidationProblem (422), PreconditionFailed (412 on a stale If-Match)."""
    require_admin(who, region)
    policy = parse_quota_policy(body, region=region, year=year)
    unknown = repo.unknown_units(ctx.db, region, sorted(policy.exempt_units))
    if unknown:
        raise ValidationProblem({"exempt_units": [f"Unknown units: {', '.join(unknown)}."]})
    doc = {**docs.policy_doc(policy), "set_by": actor(who), "set_at": _now()}
    event = events.policy_set(policy, actor(who), cid)
    store = ctx.store(POLICIES)
    if rev is None:  # a PUT replaces the whole policy: the last of concurrent PUTs wins
        stored = store.upsert(doc, [event])
    elif repo.stored_policy(ctx.db, region, year) is not None:
        stored = store.save(doc, rev, [event])
    else:
        raise PreconditionFailed(f"no policy for {region} {year} has revision {rev}")
    refresh_quietly(ctx, region, year, cid)
    return stored


def current_report(
    ctx: Context, region: str, year: int
) -> tuple[ComplianceReport, list[Innovation]]:
    """The live report: every active OPD of the directory copy, on the region's today."""
    policy = repo.policy(ctx.db, region, year)
    units = [u["code"] for u in repo.active_units(ctx.db, region)]
    innovations = repo.innovations(ctx.db, region, year=year)
    return compliance(policy, units, innovations, ctx.today(region)), innovations


def report(
    ctx: Context, who: Identity, region: str, year: int
) -> tuple[ComplianceReport, dict[str, str]]:
    """The compliance report and the OPD names (code -> name), for any role of the region."""
    require_visible(who, region)
    found, _ = current_report(ctx, region, year)
    return found, repo.unit_names(ctx.db, region)


def refresh(ctx: Context, region: str, year: int, cid: str = "") -> list[Doc]:
    """Store the current compliance snapshot with its change events; returns the events.

    Nothing is written when only the date of the report changed. Retries when a concurrent
    refresh stored a newer snapshot first.
    """
    for _ in range(5):
        before, seq = repo.snapshot(ctx.db, region, year)
        after, innovations = current_report(ctx, region, year)
        if before is not None and _same(before, after):
            return []
        known = {i.id: i for i in innovations}
        changes = compliance_changes(before, after)
        refs = repo.unit_refs(ctx.db, region) if changes else {}
        out = [_change_event(refs, after, c, known, cid) for c in changes]
        try:
            _store_snapshot(ctx, after, seq + 1, out)
            return out
        except Conflict:
            continue
    log.warning("compliance of %s %s kept changing; left for the next refresh", region, year)
    return []


def refresh_quietly(ctx: Context, region: str, year: int, cid: str = "") -> None:
    """`refresh` after a stored write: a failure is logged, the daily scan catches up."""
    try:
        refresh(ctx, region, year, cid)
    except Exception:
        log.warning("compliance refresh of %s %s failed", region, year, exc_info=True)


def open_years(ctx: Context, region: str) -> list[int]:
    """Years whose compliance can still move with the date or the directory: the current
    year, and earlier years whose deadline passed less than 30 days ago."""
    today = ctx.today(region)
    candidates = {today.year, today.year - 1, *repo.policy_years(ctx.db, region)}
    years = []
    for year in sorted(candidates):
        due = repo.policy(ctx.db, region, year).due
        if year == today.year or (year < today.year and (today - due).days <= OPEN_YEAR_GRACE_DAYS):
            years.append(year)
    return years


def _same(before: ComplianceReport, after: ComplianceReport) -> bool:
    def key(r: ComplianceReport) -> Doc:
        return {k: v for k, v in docs.report_doc(r).items() if k != "as_of"}

    return key(before) == key(after)


def _store_snapshot(ctx: Context, report: ComplianceReport, seq: int, out: list[Doc]) -> None:
    """Raises Conflict when snapshot `seq` was stored meanwhile."""
    pid = docs.policy_id(report.region, report.year)
    doc = {**docs.report_doc(report), "_id": repo.snapshot_id(pid, seq), "seq": seq}
    ctx.store(COMPLIANCE).insert({**doc, "stored_at": _now()}, out)
    repo.set_head(ctx.db, report.region, report.year, seq)
    repo.prune_snapshots(ctx.db, report.region, report.year, seq)


def _change_event(
    refs: dict[str, Doc],
    report: ComplianceReport,
    change: ComplianceChange,
    known: dict[str, Innovation],
    cid: str,
) -> Doc:
    row = report.unit(change.unit)
    assert row is not None
    kind = CHANGE_TYPES[change.kind]
    extra: Doc = {}
    if kind == "compliance_changed":
        extra = {
            "change": change.kind.value,
            "shortfall_before": change.shortfall_before,
            "status_before": change.status_before.value if change.status_before else None,
        }
    ref = refs.get(row.unit) or repo.ref_of(report.region, row.unit, None)
    return events.quota_unit(ref, kind, report, row, known, cid, **extra)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
