"""The one place that builds the innovation service's real adapters."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pymongo import ASCENDING, MongoClient
from pymongo.database import Database

from smartcity_shared import directory_copy, store
from smartcity_shared.outbox import DocumentStore
from smartcity_shared.settings import Settings

SERVICE = "innovation"
DEFAULT_TIMEZONE = "Asia/Jakarta"
ZONE_CACHE_S = 60.0

INNOVATIONS = "innovations"
MASTERPLANS = "masterplans"
POLICIES = "quota_policies"
COMPLIANCE = "compliance"  # compliance snapshots per region and year, append-only (seq)
COMPLIANCE_HEADS = "compliance_heads"  # a hint: the latest snapshot's seq per region and year
ALERTS = "alerts"  # facts emitted once (deadline near/passed, milestone due/overdue)

# Aggregates written with events (the outbox relay scans exactly these).
AGGREGATES = [INNOVATIONS, MASTERPLANS, POLICIES, COMPLIANCE, ALERTS]
INDEXES: list[store.IndexSpec] = [
    *[(name, [("_pending", ASCENDING)], {}) for name in AGGREGATES],
    (INNOVATIONS, [("region", ASCENDING), ("year", ASCENDING), ("owner_unit", ASCENDING)], {}),
    (INNOVATIONS, [("region", ASCENDING), ("programme_id", ASCENDING)], {}),
    (MASTERPLANS, [("region", ASCENDING)], {}),
    (POLICIES, [("region", ASCENDING), ("year", ASCENDING)], {}),
    (COMPLIANCE, [("region", ASCENDING), ("year", ASCENDING)], {}),
    *directory_copy.INDEXES,
]

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Context:
    """Settings, the store and the clock; tests may pass their own clock."""

    settings: Settings
    client: MongoClient[dict[str, Any]]
    db: Database[dict[str, Any]]
    clock: Clock = utc_now
    stores: dict[str, DocumentStore] = field(default_factory=dict)
    zones: dict[str, tuple[float, ZoneInfo]] = field(default_factory=dict)

    def store(self, name: str) -> DocumentStore:
        if name not in self.stores:
            self.stores[name] = DocumentStore(self.db[name])
        return self.stores[name]

    def today(self, region: str) -> date:
        """Today's date in the region's time zone (from the directory copy, cached 60 s)."""
        return self.clock().astimezone(self._zone(region)).date()

    def _zone(self, region: str) -> ZoneInfo:
        cached = self.zones.get(region)
        if cached and time.monotonic() - cached[0] < ZONE_CACHE_S:
            return cached[1]
        found = directory_copy.region(self.db, region) or {}
        try:
            zone = ZoneInfo(str(found.get("timezone") or DEFAULT_TIMEZONE))
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo(DEFAULT_TIMEZONE)
        self.zones[region] = (time.monotonic(), zone)
        return zone


def build(settings: Settings, clock: Clock = utc_now) -> Context:
    """Creates clients without connecting; the first request or `ensure_indexes` connects."""
    client = store.connect(settings)
    return Context(settings, client, store.database(client, settings), clock)


def ensure_indexes(ctx: Context) -> None:
    store.ensure_indexes(ctx.db, INDEXES)
