"""Single-document atomicity, which the outbox, ETags and claims rely on, holds on the store.

FerretDB 1.x on SQLite updates by "query, then write back"; the local wrapper serializes
write commands to restore MongoDB's per-document atomicity. These tests catch a regression.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

from pymongo import ReturnDocument

from tests.support.stack import eventually


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


def test_lookups_by_id_use_an_index(make_settings, mongo, stack_env) -> None:  # type: ignore[no-untyped-def]
    """FerretDB 1.24/SQLite indexes `_id` under an expression its own queries do not use, so
    every find/update/delete by `_id` scanned the whole table; the local wrapper adds an index
    on the expression the queries use (deploy/local/ferretdb/idindex.go)."""
    name = make_settings("idindex").database
    mongo[name]["things"].insert_many([{"_id": f"t{i}", "n": i} for i in range(50)])
    mongo[name]["things"].update_one({"_id": "t7"}, {"$set": {"n": -7}})
    assert mongo[name]["things"].find_one({"_id": "t7"})["n"] == -7
    path = Path(stack_env["STACK_DIR"]) / "store" / f"{name}.sqlite"

    def plan() -> str:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as db:
            tables = [r[0] for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' "
                "ESCAPE '\\'"
            )]  # fmt: skip
            [table] = tables
            rows = db.execute(
                f'EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM "{table}" '
                "WHERE _ferretdb_sjson->'$._id' = ?",
                ('"t7"',),
            ).fetchall()
        return " ".join(str(r[-1]) for r in rows)

    found = eventually(lambda: "USING INDEX" in plan() and plan(), timeout=10, message="index")
    assert "SCAN" not in found


def test_a_loaded_document_is_not_saved_over_a_newer_one(make_settings, mongo) -> None:  # type: ignore[no-untyped-def]
    """`DocumentStore.save` without If-Match writes a loaded document only at the revision it
    was loaded at (StaleWrite otherwise), and `retry_stale` reruns the load-decide-save: N
    concurrent appends are all kept, each with its event in the outbox."""
    from smartcity_shared.events import new_event
    from smartcity_shared.outbox import DocumentStore, StaleWrite, retry_stale

    store = DocumentStore(mongo[make_settings("atomicity").database]["notes"])
    store.insert({"_id": "r", "notes": []})
    stale = store.get("r")
    store.save({**store.get("r"), "notes": ["first"]}, None)  # type: ignore[dict-item]
    try:
        store.save({**stale, "notes": ["lost"]}, None)  # type: ignore[dict-item]
    except StaleWrite:
        pass
    else:
        raise AssertionError("a save from a stale load overwrote a newer revision")
    assert store.get("r")["notes"] == ["first"]  # type: ignore[index]

    @retry_stale
    def append(n: int) -> None:
        doc = store.get("r")
        assert doc is not None
        data = {"region_id": "r", "name": "R", "kind": "city", "timezone": "UTC", "active": True}
        event = new_event("smartcity.directory.region.upserted", "test", "r", data, region="r")
        store.save({**doc, "notes": [*doc["notes"], n]}, None, [event])

    outcomes: list[str] = []

    def appends() -> None:
        for n in range(3):
            try:
                append(n)
                outcomes.append("kept")
            except StaleWrite:  # gave up after STALE_TRIES: a 409, never a silent loss
                outcomes.append("409")

    run_together(6, appends)
    stored = store.collection.find_one({"_id": "r"})
    assert stored is not None
    kept = outcomes.count("kept")
    assert len(stored["notes"]) == 1 + kept and len(stored["_outbox"]) == kept
    assert kept == 18, outcomes
