"""The backup tool against the real store: what is dumped comes back identical, types and all."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from bson.int64 import Int64
from pymongo import MongoClient
from pymongo.errors import DuplicateKeyError

from smartcity_shared import backup

Client = MongoClient[dict[str, Any]]


def run(stack_env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MONGO_URI": stack_env["MONGO_URI"]}
    argv = [sys.executable, "-m", "smartcity_shared.backup", *args]
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)


def seed(client: Client, name: str) -> None:
    db = client[name]
    moment = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)
    db["cycles"].insert_many(
        [
            {
                "_id": f"cycle-{i}",
                "region": "kab-batang",
                "year": 2000 + i % 30,
                "deadline": moment + timedelta(days=i),
                "big": Int64(2**40 + i),
                "score": i / 7,
                "nested": {"tags": ["ä", "ö", "ü"], "none": None, "ok": i % 2 == 0},
                "_outbox": {"1": f'{{"id": "e-{i}"}}'},
            }
            for i in range(1_234)
        ]
    )
    db["cycles"].create_index([("region", 1), ("year", 1)], name="region_year")
    db["people"].insert_one({"_id": "p1", "email": "a@batangkab.go.id", "name": "Ani"})
    db["people"].create_index([("email", 1)], name="email_unique", unique=True)


def everything(client: Client, name: str) -> dict[str, list[dict[str, Any]]]:
    db = client[name]
    return {c: list(db[c].find({}).sort("_id", 1)) for c in sorted(db.list_collection_names())}


def test_a_dump_restores_every_document_and_index_after_the_database_is_wiped(
    stack_env: dict[str, str], mongo: Client, tmp_path: Path
) -> None:
    name = f"t{uuid.uuid4().hex[:8]}_backup"
    seed(mongo, name)
    before = everything(mongo, name)
    dumped = run(stack_env, "dump", "--db", name, "--out", str(tmp_path))
    assert dumped.returncode == 0, dumped.stderr
    (path,) = tmp_path.glob(f"{name}-*.jsonl.gz")
    mongo.drop_database(name)
    assert everything(mongo, name) == {}

    restored = run(stack_env, "restore", str(path))
    assert restored.returncode == 0, restored.stderr
    after = everything(mongo, name)
    assert after == before
    fifth = next(doc for doc in after["cycles"] if doc["_id"] == "cycle-5")
    assert fifth["big"] == 2**40 + 5 and isinstance(fifth["big"], int)
    assert fifth["deadline"] == datetime(2026, 3, 6, 2, 30, tzinfo=UTC)
    with pytest.raises(DuplicateKeyError):
        mongo[name]["people"].insert_one({"_id": "p2", "email": "a@batangkab.go.id"})
    mongo.drop_database(name)


def test_a_restore_replaces_the_dumped_collections_and_leaves_the_others(
    stack_env: dict[str, str], mongo: Client, tmp_path: Path
) -> None:
    name = f"t{uuid.uuid4().hex[:8]}_backup"
    seed(mongo, name)
    path = tmp_path / "one.jsonl.gz"
    backup.dump(mongo[name], path)
    mongo[name]["people"].update_one({"_id": "p1"}, {"$set": {"name": "changed"}})
    mongo[name]["people"].insert_one({"_id": "p9", "email": "later@batangkab.go.id"})
    mongo[name]["later"].insert_one({"_id": "x", "kept": True})

    counts = backup.restore(mongo, path)
    assert counts == {"cycles": 1_234, "people": 1}
    assert list(mongo[name]["people"].find({})) == [
        {"_id": "p1", "email": "a@batangkab.go.id", "name": "Ani"}
    ]
    assert mongo[name]["later"].find_one({"_id": "x"}) == {"_id": "x", "kept": True}
    copy = f"{name}_copy"
    backup.restore(mongo, path, into=copy)
    assert everything(mongo, copy)["cycles"] == everything(mongo, name)["cycles"]
    mongo.drop_database(name)
    mongo.drop_database(copy)


def test_restore_refuses_a_file_that_is_not_a_backup(
    stack_env: dict[str, str], tmp_path: Path
) -> None:
    stranger = tmp_path / "notes.jsonl.gz"
    with gzip.open(stranger, "wb") as out:
        out.write(b'{"hello": "world"}\n')
    result = run(stack_env, "restore", str(stranger))
    assert result.returncode != 0
    assert "is not a smartcity-backup v1 file" in result.stderr


def test_keep_prunes_all_but_the_newest_dumps(tmp_path: Path) -> None:
    for stamp in ("20260101T000000Z", "20260102T000000Z", "20260103T000000Z"):
        (tmp_path / f"smartcity_innovation-{stamp}.jsonl.gz").write_bytes(b"")
    (tmp_path / "smartcity_evaluation-20260101T000000Z.jsonl.gz").write_bytes(b"")
    gone = backup.prune(tmp_path, "smartcity_innovation", keep=2)
    assert [p.name for p in gone] == ["smartcity_innovation-20260101T000000Z.jsonl.gz"]
    assert len(list(tmp_path.iterdir())) == 3
