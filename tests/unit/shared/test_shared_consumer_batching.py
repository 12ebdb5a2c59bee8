"""The consumer loop per poll batch, with a fake broker: one commit per batch, strictly after
the batch's buffered effects and processed ids are stored; a batch whose store fails or whose
worker dies before the commit comes again and is harmless the second time."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import pytest

from smartcity_shared.consumer import Event
from smartcity_shared.consumer_loop import ConsumerLoop
from smartcity_shared.events import encode, new_event
from smartcity_shared.settings import Settings

UNIT = "smartcity.directory.unit.upserted"
TOPIC = "smartcity.directory"


class Killed(BaseException):
    """Stands for the worker process dying at that point."""


@dataclass(frozen=True)
class TP:
    topic: str
    partition: int


@dataclass(frozen=True)
class Record:
    topic: str
    partition: int
    offset: int
    value: bytes
    key: bytes = b"k"


@dataclass
class Broker:
    """One partition's log and the group's committed offset, shared by consumers."""

    log: list[bytes] = field(default_factory=list)
    committed: int = 0
    commits: list[int] = field(default_factory=list)


class FakeConsumer:
    """What `ConsumerLoop` uses of a KafkaConsumer: poll (up to `max_records`), seek,
    commit, close, assignment, highwater. Stops the loop once the log is consumed."""

    def __init__(self, broker: Broker, stop: threading.Event, journal: list[str]) -> None:
        self.broker, self.stop, self.journal = broker, stop, journal
        self.tp = TP(TOPIC, 0)
        self.position = broker.committed
        self.max_records = 100

    def poll(self, timeout_ms: int = 0) -> dict[TP, list[Record]]:
        end = min(len(self.broker.log), self.position + self.max_records)
        if self.position >= end:
            self.stop.set()
            return {}
        records = [Record(TOPIC, 0, n, self.broker.log[n]) for n in range(self.position, end)]
        self.position = end
        return {self.tp: records}

    def seek(self, tp: TP, offset: int) -> None:
        self.position = offset

    def commit(self, offsets: dict[TP, Any]) -> None:
        self.journal.append("commit")
        self.broker.committed = offsets[self.tp].offset
        self.broker.commits.append(self.broker.committed)

    def close(self, autocommit: bool = False) -> None:
        pass

    def assignment(self) -> set[TP]:
        return set()


class StoredIds:
    """A processed log with batches, like `MongoProcessedLog`: ids stored only by `flush`."""

    def __init__(self, journal: list[str]) -> None:
        self.stored: set[str] = set()
        self.pending: set[str] | None = None
        self.journal = journal

    def begin(self) -> None:
        self.pending = set()

    def seen(self, event_id: str) -> bool:
        return event_id in self.stored or event_id in (self.pending or set())

    def remember(self, event_id: str, type: str) -> None:
        if self.pending is None:
            self.stored.add(event_id)
        else:
            self.pending.add(event_id)

    def flush(self) -> None:
        self.journal.append("ids stored")
        self.stored |= self.pending or set()
        self.pending = None

    def discard(self) -> None:
        self.pending = None


class Effects:
    """A handler's buffered writes, stored by `flush` insert-if-absent per event id (as the
    delivery log is by (event, recipient, template)). `handled` counts handler calls."""

    def __init__(self, journal: list[str], fail: int = 0, die: int = 0) -> None:
        self.stored: set[str] = set()
        self.handled: dict[str, int] = {}
        self.buffer: list[str] | None = None
        self.journal = journal
        self.fail, self.die = fail, die

    def handle(self, event: Event) -> None:
        self.handled[event.id] = self.handled.get(event.id, 0) + 1
        if self.buffer is None:
            self.stored.add(event.id)
        else:
            self.buffer.append(event.id)

    def begin(self) -> None:
        self.buffer = []

    def flush(self) -> None:
        if self.fail:
            self.fail -= 1
            raise OSError("store away")
        self.stored |= set(self.buffer or [])
        self.buffer = None
        self.journal.append("effects stored")
        if self.die:
            self.die -= 1
            raise Killed

    def discard(self) -> None:
        self.buffer = None


class Dlq:
    def __init__(self) -> None:
        self.records: list[Any] = []

    def publish_many(self, records: list[Any]) -> None:
        self.records += records


def unit_event(n: int) -> dict[str, Any]:
    data = {"unit_id": f"kab-batang:u{n}", "region": "kab-batang", "code": f"u{n}",
            "name": f"Unit {n}", "active": True}  # fmt: skip
    return new_event(UNIT, "evaluation", f"kab-batang:u{n}", data, region="kab-batang")


def run_once(broker: Broker, effects: Effects, ids: StoredIds, dlq: Dlq | None = None) -> None:
    """One worker's consumer from the committed offset until the log is consumed."""
    stop = threading.Event()
    consumer = FakeConsumer(broker, stop, ids.journal)
    loop = ConsumerLoop(
        Settings(service="notification"),
        "g",
        [TOPIC],
        {UNIT: effects.handle},
        ids,
        dlq or Dlq(),
        scopes=[effects],
    )
    loop._consumer = lambda: consumer  # type: ignore[method-assign]
    loop.run(stop)


def test_a_batch_is_committed_once_after_its_effects_and_ids_are_stored() -> None:
    journal: list[str] = []
    events = [unit_event(n) for n in range(5)]
    broker = Broker([encode(e) for e in events])
    effects, ids = Effects(journal), StoredIds(journal)
    run_once(broker, effects, ids)
    assert journal == ["effects stored", "ids stored", "commit"]
    assert broker.commits == [5]
    assert effects.handled == {e["id"]: 1 for e in events}
    assert effects.stored == ids.stored == {e["id"] for e in events}


def test_a_duplicate_inside_one_batch_is_handled_once() -> None:
    journal: list[str] = []
    event = unit_event(1)
    broker = Broker([encode(event), encode(event)])
    effects = Effects(journal)
    run_once(broker, effects, StoredIds(journal))
    assert effects.handled == {event["id"]: 1}
    assert broker.commits == [2]


def test_a_failed_store_commits_nothing_and_the_batch_comes_again() -> None:
    journal: list[str] = []
    events = [unit_event(n) for n in range(3)]
    broker = Broker([encode(e) for e in events])
    effects = Effects(journal, fail=1)
    run_once(broker, effects, StoredIds(journal))
    # First try: nothing stored, nothing committed. Second try (unbuffered after a refused
    # flush that was not an outage): each event's effect stored, then one commit.
    assert effects.stored == {e["id"] for e in events}
    assert journal.index("commit") == len(journal) - 1 and broker.commits == [3]


def test_a_worker_killed_after_storing_a_batch_and_before_its_commit_redoes_it_harmlessly() -> None:
    journal: list[str] = []
    events = [unit_event(n) for n in range(4)]
    broker = Broker([encode(e) for e in events])
    effects = Effects(journal, die=1)
    with pytest.raises(Killed):
        run_once(broker, effects, StoredIds(journal))
    assert broker.commits == [] and broker.committed == 0
    assert effects.stored == {e["id"] for e in events}  # stored; the processed ids not

    # The next worker gets the whole batch again; the effects are keyed by event id (as the
    # delivery log is by (event, recipient, template)), so nothing happens twice.
    restarted = StoredIds(journal)
    run_once(broker, effects, restarted)
    assert broker.commits == [4]
    assert restarted.stored == effects.stored == {e["id"] for e in events}
    assert effects.handled == {e["id"]: 2 for e in events}  # handled again, stored once


def test_processed_ids_stored_before_a_lost_commit_make_the_redelivery_a_duplicate() -> None:
    journal: list[str] = []
    events = [unit_event(n) for n in range(3)]
    broker = Broker([encode(e) for e in events])
    effects, ids = Effects(journal), StoredIds(journal)
    run_once(broker, effects, ids)
    broker.committed = 0  # the commit was lost (the worker died right after storing)
    run_once(broker, effects, ids)
    assert effects.handled == {e["id"]: 1 for e in events}  # all duplicates the 2nd time
    assert broker.commits == [3, 3]


def test_poison_in_a_batch_is_dead_lettered_and_the_rest_is_handled() -> None:
    journal: list[str] = []
    good = unit_event(1)
    broker = Broker([b"{not json", encode(good)])
    effects, dlq = Effects(journal), Dlq()
    run_once(broker, effects, StoredIds(journal), dlq)
    assert [r[0] for r in dlq.records] == [f"{TOPIC}.dlq"]
    assert effects.stored == {good["id"]}
    assert broker.commits == [2]
