"""The periodic scan (a worker's extra loop): quota deadlines near or passed with a shortfall,
milestones due soon or overdue, and compliance that moved with the date.

Each reminder fact is stored once under a deterministic id (domain/alerts.py) together with
its event, in one insert (the outbox): a second scan, or the scan of another worker replica,
hits the id (DuplicateKey -> Conflict) and emits nothing. So the scan needs no lock and may
run as often as configured.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from smartcity_shared.errors import Conflict

from . import compliance, events
from . import repository as repo
from .bootstrap import ALERTS, Context
from .domain.alerts import milestone_facts, quota_alerts
from .domain.milestones import AlertKind
from .domain.quota import DeadlinePhase

log = logging.getLogger(__name__)
Doc = dict[str, Any]
DEFAULT_INTERVAL_S = 3600.0


def interval_from_env() -> float:
    """`INNOVATION_SCAN_INTERVAL_S` (default 3600 s)."""
    return float(os.environ.get("INNOVATION_SCAN_INTERVAL_S", DEFAULT_INTERVAL_S))


def scan_once(ctx: Context) -> int:
    """One full scan; returns how many new facts (events) it stored."""
    cid = f"scan-{uuid.uuid4()}"
    emitted = 0
    for region in repo.known_regions(ctx.db):
        for year in compliance.open_years(ctx, region):
            compliance.refresh(ctx, region, year, cid)
            emitted += _quota_facts(ctx, region, year, cid)
    return emitted + _milestone_facts(ctx, cid)


def _quota_facts(ctx: Context, region: str, year: int, cid: str) -> int:
    policy = repo.policy(ctx.db, region, year)
    report, innovations = compliance.current_report(ctx, region, year)
    known = {i.id: i for i in innovations}
    alerts = quota_alerts(policy, report, ctx.today(region))
    refs = repo.unit_refs(ctx.db, region) if alerts else {}
    emitted = 0
    for alert in alerts:
        passed = alert.phase is DeadlinePhase.PASSED
        kind = "deadline_passed" if passed else "deadline_neared"
        extra = {"days_late" if passed else "days_left": alert.days}
        ref = refs.get(alert.row.unit) or repo.ref_of(region, alert.row.unit, None)
        event = events.quota_unit(ref, kind, report, alert.row, known, cid, **extra)
        emitted += _store_fact(ctx, alert.fact_id, region, kind, event)
    return emitted


def _milestone_facts(ctx: Context, cid: str) -> int:
    by_region: dict[str, list[Any]] = {}
    for innovation in repo.innovations_with_milestones(ctx.db):
        by_region.setdefault(innovation.region, []).append(innovation)
    emitted = 0
    for region, innovations in by_region.items():
        index = {i.id: i for i in innovations}
        for fact_id, alert in milestone_facts(innovations, ctx.today(region)):
            overdue = alert.kind is AlertKind.OVERDUE
            innovation = index[alert.innovation_id]
            event = events.milestone_alert(
                ctx.db, innovation, alert.milestone, overdue, alert.days, cid
            )
            emitted += _store_fact(ctx, fact_id, region, alert.kind.value, event)
    return emitted


def _store_fact(ctx: Context, fact_id: str, region: str, kind: str, event: Doc) -> int:
    """1 when the fact is new (stored with its event), 0 when it was emitted before."""
    doc = {
        "_id": fact_id,
        "region": region,
        "kind": kind,
        "subject": event["subject"],
        "event_type": event["type"],
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    try:
        ctx.store(ALERTS).insert(doc, [event])
        return 1
    except Conflict:
        return 0


def loop(ctx: Context, interval_s: float | None = None) -> Callable[[threading.Event], None]:
    """The worker's extra loop: scan, then wait `interval_s` (or until stopped)."""
    every = interval_from_env() if interval_s is None else interval_s

    def run(stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                found = scan_once(ctx)
                if found:
                    log.info("scan stored %d reminder facts", found)
            except Exception:  # the store may be away: try again next round
                log.warning("scan failed", exc_info=True)
            stop.wait(every)

    return run
