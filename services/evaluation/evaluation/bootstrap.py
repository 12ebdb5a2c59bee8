"""The one place that builds the evaluation service's real adapters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pymongo import ASCENDING, MongoClient
from pymongo.database import Database

from smartcity_shared import store
from smartcity_shared.outbox import DocumentStore
from smartcity_shared.settings import Settings

from .frameworks import FrameworkCache

SERVICE = "evaluation"
# Aggregates written with events (the outbox relay scans exactly these).
AGGREGATES = [
    "regions",
    "units",
    "people",
    "cycles",
    "submissions",
    "recommendations",
    "risks",
]
INDEXES: list[store.IndexSpec] = [
    *[(name, [("_pending", ASCENDING)], {}) for name in AGGREGATES],
    ("units", [("region", ASCENDING), ("code", ASCENDING)], {"unique": True}),
    ("people", [("region", ASCENDING), ("email", ASCENDING)], {"unique": True}),
    ("frameworks", [("key", ASCENDING), ("version", ASCENDING)], {"unique": True}),
    ("cycles", [("region", ASCENDING), ("year", ASCENDING)], {}),
    ("submissions", [("cycle_id", ASCENDING), ("unit", ASCENDING)], {"unique": True}),
    ("recommendations", [("region", ASCENDING), ("unit", ASCENDING)], {}),
    ("risks", [("region", ASCENDING), ("perspective", ASCENDING)], {}),
]


@dataclass
class Context:
    settings: Settings
    client: MongoClient[dict[str, Any]]
    db: Database[dict[str, Any]]
    stores: dict[str, DocumentStore] = field(default_factory=dict)
    frameworks: FrameworkCache = field(default_factory=FrameworkCache)

    def store(self, name: str) -> DocumentStore:
        if name not in self.stores:
            self.stores[name] = DocumentStore(self.db[name])
        return self.stores[name]


def build(settings: Settings) -> Context:
    """Creates clients without connecting; the first request or `ensure_indexes` connects."""
    client = store.connect(settings)
    return Context(settings, client, store.database(client, settings))


def ensure_indexes(ctx: Context) -> None:
    store.ensure_indexes(ctx.db, INDEXES)
