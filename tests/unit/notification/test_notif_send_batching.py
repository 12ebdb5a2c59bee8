"""The delivery loop's batch, with fakes of the send queue, the delivery log and SMTP: one
claim for the batch, one log update per mail right after its send, the finished entries out
of the queue together; transient failures wait in the retry queue, permanent ones fail and
are dead-lettered; a sender killed mid-batch repeats nothing already recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from notification.config import NotifyConfig
from notification.domain.delivery import SmtpFailure
from notification.domain.directory import InMemoryDirectory
from notification.sending import DeliverySender
from notification.smtp import SmtpPermanentError, SmtpResponse, SmtpTransientError
from smartcity_shared.settings import Settings


class Killed(BaseException):
    """Stands for the worker process dying at that point."""


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class FakeQueue:
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    removals: list[list[str]] = field(default_factory=list)
    retried: dict[str, datetime] = field(default_factory=dict)

    def done_many(self, entries: list[dict[str, Any]]) -> None:
        self.removals.append([e["_id"] for e in entries])
        for entry in entries:
            self.entries.pop(entry["_id"], None)

    def later(self, entry: dict[str, Any], due_at: datetime) -> None:
        self.retried[entry["_id"]] = due_at
        self.entries.pop(entry["_id"], None)


@dataclass
class FakeDeliveries:
    """The log (`docs`), rendered mails and the queue; `claim` takes every free entry."""

    docs: dict[str, dict[str, Any]] = field(default_factory=dict)
    queue: FakeQueue = field(default_factory=FakeQueue)
    claims: int = 0
    updates: list[str] = field(default_factory=list)

    def add(self, n: int) -> None:
        id = f"d{n}"
        self.docs[id] = {
            "_id": id, "event_id": f"e{n}", "recipient": f"opd{n}@batangkab.go.id",
            "template": "submission_returned", "status": "pending", "attempts": 0,
            "created_at": _now(), "updated_at": _now(), "attempt_log": [],
        }  # fmt: skip
        self.queue.entries[id] = {"_id": id, "claim_gen": 0, "queue": "delivery_queue"}

    def claim(self, now: datetime, lease: timedelta, worker: str, batch: int) -> list[Any]:
        self.claims += 1
        free = [e for e in self.queue.entries.values() if not e.get("claimed_by")][:batch]
        for entry in free:
            entry.update(claimed_by=worker, claim_gen=1, claimed_until=now + lease)
        return [dict(e) for e in free]

    def get(self, id: str) -> dict[str, Any] | None:
        return dict(self.docs[id]) if id in self.docs else None

    def rendered(self, id: str) -> dict[str, str]:
        return {"subject": f"Subject {id}", "text": "Teks", "html": "<p>Teks</p>"}

    def record(self, id: str, fields: dict[str, Any], attempt: dict[str, Any]) -> None:
        self.updates.append(id)
        self.docs[id].update(fields, in_flight=None, in_doubt_since=None)
        self.docs[id]["attempt_log"].append(attempt)

    def dead_lettered(self, id: str, now: datetime) -> None:
        self.docs[id]["dlq_pending"] = False

    def begin_attempt(self, id: str, attempt: dict[str, Any]) -> None:
        self.docs[id]["in_flight"] = attempt

    def in_doubt(self, id: str, since: datetime) -> None:
        self.docs[id]["in_doubt_since"] = since

    def record_unknown(self, id: str, attempt: dict[str, Any]) -> None:
        self.docs[id].update(in_flight=None, in_doubt_since=None)
        self.docs[id]["attempt_log"].append(attempt)


@dataclass
class FakeSmtp:
    """Accepts every message except those to `refuse` (address -> error); `die_after`:
    the process dies before the n+1th send."""

    refuse: dict[str, Exception] = field(default_factory=dict)
    die_after: int | None = None
    sent: list[str] = field(default_factory=list)

    def send(self, message: Any) -> SmtpResponse:
        if self.die_after is not None and len(self.sent) >= self.die_after:
            raise Killed
        to = str(message["To"])
        if to in self.refuse:
            raise self.refuse[to]
        self.sent.append(to)
        return SmtpResponse(250, "2.0.0 Ok: queued")

    def close(self) -> None:
        pass


@dataclass
class FakePublisher:
    records: list[Any] = field(default_factory=list)

    def publish_many(self, records: list[Any]) -> None:
        self.records += records


def sender_for(deliveries: FakeDeliveries, smtp: FakeSmtp) -> tuple[DeliverySender, Any]:
    config = NotifyConfig(lease_s=60.0, smtp_timeout_s=1.0, worker_id="w1", max_attempts=3)
    ctx = SimpleNamespace(
        settings=Settings(service="notification"),
        config=config,
        deliveries=deliveries,
        publisher=FakePublisher(),
        directory=InMemoryDirectory.of(),
    )
    sender = DeliverySender(ctx)  # type: ignore[arg-type]
    sender.smtp = smtp  # type: ignore[assignment]
    return sender, ctx


def test_a_batch_is_one_claim_one_update_per_mail_and_one_queue_removal() -> None:
    deliveries, smtp = FakeDeliveries(), FakeSmtp()
    for n in range(5):
        deliveries.add(n)
    sender, _ = sender_for(deliveries, smtp)
    assert sender.send_batch() == 5
    assert len(smtp.sent) == 5 and deliveries.claims == 1
    assert sorted(deliveries.updates) == [f"d{n}" for n in range(5)]
    assert [sorted(r) for r in deliveries.queue.removals] == [[f"d{n}" for n in range(5)]]
    sent = deliveries.docs["d0"]
    assert sent["status"] == "sent" and sent["claim_gen"] == 1 and sent["claimed_by"] == "w1"
    assert sender.send_batch() == 0  # the queue is empty


def test_a_transient_failure_waits_in_the_retry_queue_and_a_permanent_one_fails(caplog) -> None:  # type: ignore[no-untyped-def]
    deliveries = FakeDeliveries()
    for n in range(3):
        deliveries.add(n)
    smtp = FakeSmtp(
        refuse={
            "opd0@batangkab.go.id": SmtpTransientError(SmtpFailure(451, "try later")),
            "opd1@batangkab.go.id": SmtpPermanentError(SmtpFailure(550, "5.1.1 no such user")),
        }
    )
    sender, ctx = sender_for(deliveries, smtp)
    sender.send_batch()
    assert deliveries.docs["d0"]["status"] == "retrying" and "d0" in deliveries.queue.retried
    assert deliveries.docs["d1"]["status"] == "failed"
    assert deliveries.docs["d2"]["status"] == "sent"
    assert sorted(deliveries.queue.removals[0]) == ["d1", "d2"]
    [dead] = ctx.publisher.records
    assert dead[0].endswith("smartcity.notification.dlq") and dead[1] == "d1"
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 2  # one line per failed send, at WARNING
    assert "mail not sent: delivery d0" in warnings[0] and "451 try later" in warnings[0]
    assert "mail failed for good: delivery d1" in warnings[1] and "550" in warnings[1]


def test_a_sender_killed_mid_batch_left_only_unrecorded_mails_to_send_again() -> None:
    deliveries = FakeDeliveries()
    for n in range(4):
        deliveries.add(n)
    sender, _ = sender_for(deliveries, FakeSmtp(die_after=2))
    with pytest.raises(Killed):
        sender.send_batch()
    sent = sorted(d for d, doc in deliveries.docs.items() if doc["status"] == "sent")
    assert len(sent) == 2 and deliveries.queue.removals == []  # died before the removal

    [in_flight] = [d for d, doc in deliveries.docs.items() if doc.get("in_flight")]

    # Another worker takes the entries over (their leases ran out): it reads the log first,
    # so the two recorded mails leave the queue unsent; the one that died mid-send (it may
    # be out) waits a lease for an outcome, and only the never-tried one goes out now.
    for entry in deliveries.queue.entries.values():
        entry.pop("claimed_by")
    smtp = FakeSmtp()
    sender, _ = sender_for(deliveries, smtp)
    sender.send_batch()
    [never_tried] = [d for d in deliveries.docs if d not in sent and d != in_flight]
    assert smtp.sent == [deliveries.docs[never_tried]["recipient"]]
    assert in_flight in deliveries.queue.retried and deliveries.queue.entries == {}

    # A lease later there is still no outcome: it is sent again, both attempts on the log.
    deliveries.docs[in_flight]["in_doubt_since"] -= timedelta(seconds=61)
    deliveries.queue.entries[in_flight] = {"_id": in_flight, "claim_gen": 1, "queue": "retry"}
    sender.send_batch()
    assert smtp.sent[-1] == deliveries.docs[in_flight]["recipient"]
    assert [a["outcome"] for a in deliveries.docs[in_flight]["attempt_log"]] == ["unknown", "sent"]
    assert all(doc["status"] == "sent" for doc in deliveries.docs.values())


def test_an_entry_whose_lease_is_nearly_over_is_left_for_another_worker() -> None:
    deliveries, smtp = FakeDeliveries(), FakeSmtp()
    deliveries.add(0)
    sender, _ = sender_for(deliveries, smtp)
    [entry] = deliveries.claim(_now(), timedelta(seconds=1), "w1", 10)
    assert sender.send_entry(entry) is False
    assert smtp.sent == [] and deliveries.updates == []
