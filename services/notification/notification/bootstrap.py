"""The one place that builds the notification service's real adapters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pymongo import MongoClient
from pymongo.database import Database

from smartcity_shared import directory_copy, store
from smartcity_shared.settings import Settings

SERVICE = "notification"
AGGREGATES: list[str] = []
INDEXES: list[store.IndexSpec] = [*directory_copy.INDEXES]


@dataclass
class Context:
    settings: Settings
    client: MongoClient[dict[str, Any]]
    db: Database[dict[str, Any]]


def build(settings: Settings) -> Context:
    client = store.connect(settings)
    return Context(settings, client, store.database(client, settings))


def ensure_indexes(ctx: Context) -> None:
    store.ensure_indexes(ctx.db, INDEXES)
