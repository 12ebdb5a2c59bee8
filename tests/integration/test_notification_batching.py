"""Batching loses nothing and mails nothing twice: a consumer killed after storing a batch's
deliveries but before committing it, and a sender killed in the middle of a claimed batch."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest

from notification import bootstrap
from notification.repository.deliveries import DeliveryRepository
from notification.sending import DeliverySender
from notification.worker import spec
from tests.support.stack import eventually

from .test_notification_support import FAST, NotifyStack, notify_stack, returned

UNITS = {"dinkes": "Dinas Kesehatan"}


class Killed(BaseException):
    """Stands for the worker process dying at that point."""


class DiesAfterStoring:
    """The consumer's delivery batch, dying right after the first flush that stored
    deliveries: the effects are in the store, the processed ids and the offsets are not."""

    def __init__(self, deliveries: DeliveryRepository) -> None:
        self.deliveries = deliveries
        self.died = threading.Event()

    def begin(self) -> None:
        self.deliveries.begin()

    def flush(self) -> None:
        stored = self.deliveries.batch.pending()
        self.deliveries.flush()
        if stored and not self.died.is_set():
            self.died.set()
            raise Killed

    def discard(self) -> None:
        self.deliveries.discard()


@pytest.fixture
def notify(make_settings, start_worker, stack_env) -> Iterator[NotifyStack]:  # type: ignore[no-untyped-def]
    yield from notify_stack(make_settings, start_worker, stack_env)


def returned_ids(notify: NotifyStack, events: list[dict]) -> set[str]:  # type: ignore[type-arg]
    stored = notify.ctx.db["processed_events"].find({}, {"_id": 1})
    ids = {str(d["_id"]).split(":", 1)[1] for d in stored}
    return ids & {e["id"] for e in events}


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_consumer_killed_between_storing_a_batch_and_committing_it_mails_once(notify) -> None:  # type: ignore[no-untyped-def]
    ctx = bootstrap.build(notify.settings, FAST.with_(worker_id=uuid.uuid4().hex[:6]))
    dying = DiesAfterStoring(ctx.deliveries)
    worker = spec(ctx)
    worker.batch_scopes = [dying]
    notify.start_worker(notify.settings, ctx.db, worker)
    notify.directory(UNITS)
    events = [notify.publish(returned(f"c-b{n}", "dinkes", UNITS["dinkes"])) for n in range(5)]

    assert dying.died.wait(30), "the consumer never stored a batch of deliveries"
    assert returned_ids(notify, events) == set()  # died before its processed ids were stored
    stored = notify.ctx.db["deliveries"].count_documents({})
    assert stored >= 1

    notify.worker()  # a replica in the same group gets the uncommitted events again
    eventually(lambda: returned_ids(notify, events) == {e["id"] for e in events}, timeout=60)
    mails = notify.wait_for_mails(notify.address("dinkes"), count=5)
    eventually(lambda: len(notify.deliveries(status="sent")) == 5)
    threading.Event().wait(1.0)  # time for a second mail, if one were coming
    assert len(notify.mails_to(notify.address("dinkes"))) == len(mails) == 5
    assert {m["headers"]["X-SmartCity-Event-Id"] for m in mails} == {e["id"] for e in events}
    assert notify.ctx.db["deliveries"].count_documents({}) == 5


class DyingSmtp:
    """Real SMTP for `survive` mails, then the process dies before the next send."""

    def __init__(self, real: object, survive: int) -> None:
        self.real, self.left = real, survive

    def send(self, message: object) -> object:
        if self.left == 0:
            raise Killed
        self.left -= 1
        return self.real.send(message)  # type: ignore[attr-defined]

    def close(self) -> None:
        self.real.close()  # type: ignore[attr-defined]


def test_a_sender_killed_mid_batch_loses_nothing_and_repeats_nothing(notify) -> None:  # type: ignore[no-untyped-def]
    notify.worker(senders=0)  # consumes and stores, sends nothing
    notify.directory(UNITS)
    events = [notify.publish(returned(f"c-s{n}", "dinkes", UNITS["dinkes"])) for n in range(4)]
    eventually(lambda: len(notify.deliveries(status="pending")) == 4, timeout=30)

    killed = bootstrap.build(notify.settings, FAST.with_(worker_id="killed", lease_s=3.0))
    sender = DeliverySender(killed)
    sender.smtp = DyingSmtp(sender.smtp, survive=2)  # type: ignore[assignment]
    with pytest.raises(Killed):
        sender.send_batch()
    assert len(notify.mails_to(notify.address("dinkes"))) == 2
    assert killed.deliveries.queue.size()["ready"] == 4  # all four still queued, claimed

    notify.worker()  # takes the entries over once their leases ran out
    mails = notify.wait_for_mails(notify.address("dinkes"), count=4)
    eventually(lambda: len(notify.deliveries(status="sent")) == 4)
    eventually(lambda: notify.ctx.deliveries.queue.size() == {"ready": 0, "retry": 0})
    assert len(notify.mails_to(notify.address("dinkes"))) == len(mails) == 4
    assert {m["headers"]["X-SmartCity-Event-Id"] for m in mails} == {e["id"] for e in events}
