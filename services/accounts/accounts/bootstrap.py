"""The one place that builds the accounts worker's real adapters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pymongo import MongoClient
from pymongo.database import Database

from smartcity_shared import store
from smartcity_shared.settings import Settings

from .config import AccountsConfig
from .keycloak import KeycloakAccounts
from .provider import AccountProvider

SERVICE = "accounts"


@dataclass
class Context:
    settings: Settings
    config: AccountsConfig
    client: MongoClient[dict[str, Any]]
    db: Database[dict[str, Any]]  # only the consumer's processed-event log lives here
    provider: AccountProvider


def build(settings: Settings) -> Context:
    config = AccountsConfig.from_env(settings)
    client = store.connect(settings)
    db = store.database(client, settings)
    return Context(settings, config, client, db, KeycloakAccounts(config))
