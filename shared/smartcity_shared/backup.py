"""Back up and restore the services' databases: `python -m smartcity_shared.backup`.

    python -m smartcity_shared.backup dump --out backups/ [--db smartcity_evaluation ...]
    python -m smartcity_shared.backup restore backups/smartcity_evaluation-<stamp>.jsonl.gz

Works the same against MongoDB and FerretDB (plain finds and inserts, no server tooling), so the
Kubernetes CronJob, `make up`'s store and the restore drill in the tests run one tool. A dump is
one gzip file per database: a header line, then per collection its indexes and its documents in
MongoDB's canonical Extended JSON (types survive: dates, 64-bit integers, binary). `restore`
replaces each collection it holds (drop, insert, indexes) and leaves other collections alone.
The connection comes from MONGO_URI (credentials and TLS in the URI). `--keep N` removes all but
the newest N dumps of each database in the output folder.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

from bson import json_util
from pymongo import MongoClient
from pymongo.database import Database

from .clock import system_clock
from .settings import Settings

FORMAT = "smartcity-backup"
VERSION = 1
SERVICES = ("evaluation", "innovation", "notification")
BATCH = 500
OPTIONS = json_util.JSONOptions(json_mode=json_util.JSONMode.CANONICAL, tz_aware=True, tzinfo=UTC)
Db = Database[dict[str, Any]]


def _line(value: Any) -> bytes:
    return (json_util.dumps(value, json_options=OPTIONS) + "\n").encode()


def _indexes(db: Db, name: str) -> list[dict[str, Any]]:
    """The collection's indexes except `_id_` (keys in order, with their options)."""
    found = []
    for info in db[name].list_indexes():
        if info["name"] == "_id_":
            continue
        keys = [[field, direction] for field, direction in info["key"].items()]
        options = {k: v for k, v in info.items() if k in ("name", "unique", "sparse")}
        found.append({"keys": keys, "options": options})
    return found


def dump(db: Db, path: Path) -> dict[str, int]:
    """Write every collection of `db` to `path`; returns the document count per collection."""
    counts: dict[str, int] = {}
    tmp = path.with_name(path.name + ".part")
    with gzip.open(tmp, "wb") as out:
        header = {"format": FORMAT, "version": VERSION, "database": db.name}
        out.write(_line({**header, "created": system_clock()}))
        for name in sorted(db.list_collection_names()):
            out.write(_line({"collection": name, "indexes": _indexes(db, name)}))
            counts[name] = 0
            for doc in db[name].find({}).sort("_id", 1):
                out.write(_line({"c": name, "d": doc}))
                counts[name] += 1
    tmp.replace(path)
    return counts


def _records(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rb") as src:
        for raw in src:
            yield json_util.loads(raw, json_options=OPTIONS)


def read_header(path: Path) -> dict[str, Any]:
    header = next(_records(path), None)
    if not header or header.get("format") != FORMAT or header.get("version") != VERSION:
        raise ValueError(f"{path} is not a {FORMAT} v{VERSION} file")
    return header


def restore(client: MongoClient[dict[str, Any]], path: Path, into: str = "") -> dict[str, int]:
    """Replace each collection the dump holds (into database `into`, else the dumped one)."""
    header = read_header(path)
    db = client[into or header["database"]]
    counts: dict[str, int] = {}
    batch: list[dict[str, Any]] = []
    current = ""

    def flush() -> None:
        if batch:
            db[current].insert_many(batch, ordered=True)
            batch.clear()

    for record in _records(path):
        if "collection" in record:
            flush()
            current = record["collection"]
            db.drop_collection(current)
            db.create_collection(current)
            for index in record["indexes"]:
                keys = [(field, direction) for field, direction in index["keys"]]
                db[current].create_index(keys, **index["options"])
            counts[current] = 0
        elif "c" in record:
            batch.append(record["d"])
            counts[current] += 1
            if len(batch) >= BATCH:
                flush()
    flush()
    return counts


def prune(folder: Path, database: str, keep: int) -> list[Path]:
    """Remove all but the newest `keep` dumps of `database` in `folder`; returns the removed."""
    dumps = sorted(folder.glob(f"{database}-*.jsonl.gz"))
    gone = dumps[: max(len(dumps) - keep, 0)] if keep > 0 else []
    for path in gone:
        path.unlink()
    return gone


def _client() -> MongoClient[dict[str, Any]]:
    settings = Settings.from_env("backup")
    return MongoClient(settings.mongo_uri, tz_aware=True, appname="smartcity-backup")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m smartcity_shared.backup")
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="dump databases to gzip files in a folder")
    d.add_argument("--out", type=Path, required=True)
    d.add_argument("--db", action="append", default=[], help="default: the three services'")
    d.add_argument("--keep", type=int, default=0, help="keep only the newest N dumps per db")
    r = sub.add_parser("restore", help="restore dump files (replaces their collections)")
    r.add_argument("files", type=Path, nargs="+")
    r.add_argument("--into", default="", help="restore into this database instead")
    args = parser.parse_args(argv)
    client = _client()
    if args.command == "dump":
        args.out.mkdir(parents=True, exist_ok=True)
        stamp = system_clock().strftime("%Y%m%dT%H%M%SZ")
        for name in args.db or [f"smartcity_{s}" for s in SERVICES]:
            path = args.out / f"{name}-{stamp}.jsonl.gz"
            counts = dump(client[name], path)
            pruned = prune(args.out, name, args.keep)
            print(json.dumps({"dumped": str(path), "documents": counts, "pruned": len(pruned)}))
    else:
        for path in args.files:
            counts = restore(client, path, args.into)
            print(json.dumps({"restored": str(path), "documents": counts}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
