"""The one place that builds the notification service's real adapters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pymongo import MongoClient
from pymongo.database import Database

from smartcity_shared import directory_copy, kafka_io, store
from smartcity_shared.relay import Publisher
from smartcity_shared.settings import Settings

from .config import NotifyConfig
from .mail import MailRenderer
from .projection import StoreDirectory
from .repository import (
    INDEXES as REPOSITORY_INDEXES,
)
from .repository import (
    DeliveryRepository,
    DigestRepository,
    PreferenceRepository,
    ReminderRepository,
    RuleRepository,
)

SERVICE = "notification"
# The service writes no aggregate with events; its dead letters are published directly.
AGGREGATES: list[str] = []
INDEXES: list[store.IndexSpec] = [*directory_copy.INDEXES, *REPOSITORY_INDEXES]


@dataclass
class Context:
    settings: Settings
    config: NotifyConfig
    client: MongoClient[dict[str, Any]]
    db: Database[dict[str, Any]]
    directory: StoreDirectory
    deliveries: DeliveryRepository
    reminders: ReminderRepository
    rules: RuleRepository
    preferences: PreferenceRepository
    digests: DigestRepository
    renderer: MailRenderer
    _publisher: Publisher | None = field(default=None, repr=False)

    @property
    def publisher(self) -> Publisher:
        """The Kafka publisher for dead letters; connects on first use."""
        if self._publisher is None:
            self._publisher = kafka_io.publisher(self.settings)
        return self._publisher


def build(settings: Settings, config: NotifyConfig | None = None) -> Context:
    """Creates clients without connecting; the first request or `ensure_indexes` connects."""
    config = config or NotifyConfig.from_env()
    client = store.connect(settings)
    db = store.database(client, settings)
    return Context(
        settings=settings,
        config=config,
        client=client,
        db=db,
        directory=StoreDirectory(db, config.cache_ttl_s),
        deliveries=DeliveryRepository(db),
        reminders=ReminderRepository(db),
        rules=RuleRepository(db, config.cache_ttl_s),
        preferences=PreferenceRepository(db, config.cache_ttl_s),
        digests=DigestRepository(db),
        renderer=MailRenderer(settings.portal_base_url),
    )


def ensure_indexes(ctx: Context) -> None:
    store.ensure_indexes(ctx.db, INDEXES)
