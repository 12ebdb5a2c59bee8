"""MongoDB access helpers: one client per process, one database per service, key guard.

The portable subset only (INFRA.md): single-document atomicity, no transactions, no
`$lookup`, no `$sum: 1`; analytics are computed in Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pymongo import MongoClient
from pymongo.database import Database
from pymongo.errors import AutoReconnect, ConnectionFailure, NetworkTimeout, PyMongoError

from .errors import ValidationProblem
from .settings import Settings

IndexSpec = tuple[str, list[tuple[str, int]], dict[str, Any]]


def connect(settings: Settings) -> MongoClient[dict[str, Any]]:
    """A client that fails fast (short timeouts) so an API answers 503 instead of hanging.

    Creating the client does not connect; the first operation does.
    """
    t = settings.store_timeout_ms
    return MongoClient(
        settings.mongo_uri,
        serverSelectionTimeoutMS=t,
        connectTimeoutMS=t,
        socketTimeoutMS=max(t * 5, 10_000),
        tz_aware=True,
        appname=f"smartcity-{settings.service}",
    )


def database(client: MongoClient[dict[str, Any]], settings: Settings) -> Database[dict[str, Any]]:
    return client[settings.database]


def ensure_indexes(db: Database[dict[str, Any]], specs: Iterable[IndexSpec]) -> None:
    """Create each (collection, keys, options) index; idempotent."""
    for collection, keys, options in specs:
        db[collection].create_index(keys, **options)


def is_store_failure(exc: BaseException) -> bool:
    """True for failures worth retrying: the store is unreachable or timed out."""
    return isinstance(exc, ConnectionFailure | AutoReconnect | NetworkTimeout)


def unsafe_key_errors(value: Any, path: str = "") -> dict[str, list[str]]:
    """Field paths of every dict key that begins with `$` or contains `.` (never stored)."""
    errors: dict[str, list[str]] = {}
    if isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if not isinstance(key, str) or key.startswith("$") or "." in key or "\x00" in key:
                errors.setdefault(path or "$root", []).append(
                    f"key {key!r} is not allowed (no leading '$', no '.')"
                )
                continue
            errors.update(unsafe_key_errors(item, where))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            errors.update(unsafe_key_errors(item, f"{path}.{i}" if path else str(i)))
    return errors


def reject_unsafe_keys(value: Any, path: str = "") -> None:
    """Raise ValidationProblem (422) when user input carries `$`-keys or dotted keys;
    `path` names where `value` sits in the request body (for the error paths)."""
    errors = unsafe_key_errors(value, path)
    if errors:
        raise ValidationProblem(errors, "Keys that begin with '$' or contain '.' are not allowed.")


def ping(client: MongoClient[dict[str, Any]]) -> str | None:
    """None when the store answers `ping`, else a short reason."""
    try:
        client.admin.command("ping")
        return None
    except PyMongoError as exc:
        return type(exc).__name__
