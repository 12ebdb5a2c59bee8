"""An acknowledged write survives the store process being killed with SIGKILL: a writer keeps
inserting while the store is killed mid-burst; after the restart every id the store had
acknowledged is there (writes refused during the outage may or may not be)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from pymongo import MongoClient
from pymongo.errors import PyMongoError

from tests.support.stack import eventually, stack


@pytest.fixture
def store_restored() -> Iterator[None]:
    yield
    stack("start", "store")


def test_every_acknowledged_write_survives_a_sigkill_of_the_store(
    make_settings: Any, stack_env: dict[str, str], store_restored: None
) -> None:
    name = make_settings("evaluation").database
    client: MongoClient[dict[str, Any]] = MongoClient(
        stack_env["MONGO_URI"], serverSelectionTimeoutMS=500, socketTimeoutMS=2000
    )
    acknowledged: list[str] = []
    stop = threading.Event()

    def write() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            doc_id = f"w-{n:06d}"
            try:
                client[name]["writes"].insert_one({"_id": doc_id, "n": n})
                acknowledged.append(doc_id)
            except PyMongoError:
                stop.wait(0.05)  # refused or unknown: not counted as acknowledged

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        eventually(lambda: len(acknowledged) >= 200, 120, message="a burst of writes")
        stack("stop", "store", "--kill")
        killed_at = len(acknowledged)
        stack("start", "store")
        eventually(lambda: len(acknowledged) > killed_at + 20, 120, message="writes again")
    finally:
        stop.set()
        writer.join(30)
    stored = {d["_id"] for d in client[name]["writes"].find({}, {"_id": 1})}
    assert set(acknowledged) <= stored, sorted(set(acknowledged) - stored)[:10]
    assert killed_at >= 200
    client.drop_database(name)
    client.close()
