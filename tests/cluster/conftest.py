"""The cluster profile of the local stack: three Kafka brokers (KRaft, every node broker and
controller), topics with three replicas and min.insync.replicas 2, producers with acks=all,
the APIs and the stack's workers; each test adds a second replica of every worker. Started
fresh for this package and stopped after it (KEEP_STACK=1 keeps it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import Stack
from tests.support.stack import environment, keep_running, stack

PROFILE = "cluster"


@pytest.fixture(scope="package")
def cluster() -> Iterator[Stack]:
    env = environment(PROFILE)
    stack("up", "--no-demo", "--fresh", profile=PROFILE)
    yield Stack(env)
    if not keep_running():
        stack("down", check=False, profile=PROFILE)


def quorum_leader(env: dict[str, str]) -> int:
    """The node id of the active KRaft controller, from the newest quorum state on disk."""
    newest = (-1, -1)
    for state in Path(env["STACK_DIR"]).glob("kafka-*/data/__cluster_metadata-0/quorum-state"):
        found = json.loads(state.read_text())
        newest = max(newest, (found.get("leaderEpoch", -1), found.get("leaderId", -1)))
    assert newest[1] > 0, "no quorum leader known yet"
    return newest[1]


def report(env: dict[str, str], name: str, figures: dict[str, float]) -> None:
    """Keep a test's recovery times in <state>/reports/cluster.jsonl and print them."""
    line = json.dumps({"test": name, **{k: round(v, 2) for k, v in figures.items()}})
    folder = Path(env["STACK_DIR"]) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "cluster.jsonl", "a", encoding="utf-8") as out:
        out.write(line + "\n")
    print(f"\ncluster recovery: {line}")
