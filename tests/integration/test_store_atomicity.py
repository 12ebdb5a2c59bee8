"""Single-document atomicity, which the outbox, ETags and claims rely on, holds on the store.

FerretDB 1.x on SQLite updates by "query, then write back"; the local wrapper serializes
write commands to restore MongoDB's per-document atomicity. These tests catch a regression.
"""

from __future__ import annotations

import threading
from typing import Any

from pymongo import ReturnDocument


def run_together(n: int, work: Any) -> None:
    barrier = threading.Barrier(n)

    def go() -> None:
        barrier.wait()
        work()

    threads = [threading.Thread(target=go) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_concurrent_increments_are_not_lost(make_settings, mongo) -> None:  # type: ignore[no-untyped-def]
    coll = mongo[make_settings("atomicity").database]["counters"]
    coll.insert_one({"_id": "c", "n": 0})
    run_together(4, lambda: [coll.update_one({"_id": "c"}, {"$inc": {"n": 1}}) for _ in range(20)])
    assert coll.find_one({"_id": "c"})["n"] == 80


def test_a_conditional_update_has_exactly_one_winner(make_settings, mongo) -> None:  # type: ignore[no-untyped-def]
    coll = mongo[make_settings("atomicity").database]["claims"]
    for trial in range(10):
        coll.insert_one({"_id": trial, "rev": 0})
        wins: list[int] = []
        run_together(
            4,
            lambda t=trial, wins=wins: wins.append(
                coll.update_one({"_id": t, "rev": 0}, {"$set": {"rev": 1}}).modified_count
            ),
        )
        assert sum(wins) == 1, f"trial {trial}: {wins}"


def test_find_one_and_update_claims_a_document_once(make_settings, mongo) -> None:  # type: ignore[no-untyped-def]
    coll = mongo[make_settings("atomicity").database]["jobs"]
    coll.insert_many([{"_id": n, "status": "pending"} for n in range(20)])
    claimed: list[Any] = []

    def claim() -> None:
        while (
            doc := coll.find_one_and_update(
                {"status": "pending"},
                {"$set": {"status": "claimed"}},
                return_document=ReturnDocument.AFTER,
            )
        ) is not None:
            claimed.append(doc["_id"])

    run_together(4, claim)
    assert sorted(claimed) == list(range(20))
