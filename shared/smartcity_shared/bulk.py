"""Bulk writes that stay cheap on the local store and portable to MongoDB.

Why: every write command is one round trip and, on the local FerretDB wrapper, one turn of
its write lock; an `insert` of many documents is one SQL statement there. Update commands
with many statements are split into small chunks, because FerretDB 1.24 keeps a connection
per statement open until the whole command ends (more than ~100 statements in one command
exhaust its pool and hang it).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from pymongo.collection import Collection
from pymongo.errors import BulkWriteError

DUPLICATE_KEY = 11000
#: Statements per update/delete command (see the module docstring).
CHUNK = 20
T = TypeVar("T")


def insert_new(collection: Collection[Any], docs: Sequence[dict[str, Any]]) -> set[int]:
    """Insert `docs` (unordered) in one command; returns the indexes of those that already
    existed (duplicate key). Raises any other write error."""
    if not docs:
        return set()
    try:
        collection.insert_many(list(docs), ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        other = [e for e in errors if e.get("code") != DUPLICATE_KEY]
        if other or exc.details.get("writeConcernErrors"):
            raise
        return {int(e["index"]) for e in errors}
    return set()


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """`items` in slices of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
