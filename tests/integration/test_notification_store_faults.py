"""The store dies right after an SMTP send: the mail is not sent a second time. When the
sender itself dies between the send and the record, the mail may go out again, with the same
Message-ID, and the delivery log shows both attempts."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from notification import bootstrap
from notification.sending import DeliverySender
from tests.support.stack import eventually, stack

from .test_notification_support import FAST, NotifyStack, notify_stack, returned

UNITS = {"dinkes": "Dinas Kesehatan"}
LEASE_S = 4.0


@pytest.fixture
def notify(make_settings, start_worker, stack_env) -> Iterator[NotifyStack]:  # type: ignore[no-untyped-def]
    yield from notify_stack(make_settings, start_worker, stack_env)


@pytest.fixture
def store_restored() -> Iterator[None]:
    yield
    stack("start", "store")


class _Died(Exception):
    """The sender 'dies' between the send and the record."""


def _sender_with_fault(notify: NotifyStack, after_send: Any, stop: threading.Event):
    class Faulty(DeliverySender):
        def _attempt(self, doc: Any) -> Any:
            result = super()._attempt(doc)
            after_send()
            return result

    settings = notify.settings.with_(store_timeout_ms=800)
    config = FAST.with_(worker_id="faulty", lease_s=LEASE_S)
    return Faulty(bootstrap.build(settings, config), batch=1, stop=stop)


def _queued(notify: NotifyStack, id: str) -> bool:
    db = notify.ctx.db
    return bool(
        db["delivery_queue"].find_one({"_id": id}) or db["delivery_retry"].find_one({"_id": id})
    )


def _pending_delivery(notify: NotifyStack) -> dict[str, Any]:
    notify.worker(senders=0)  # consumes and stores, sends nothing
    notify.directory(UNITS)
    event = notify.publish(returned(f"c-{uuid.uuid4().hex[:4]}", "dinkes", UNITS["dinkes"]))
    [delivery] = eventually(lambda: notify.deliveries(event_id=event["id"], status="pending"))
    return delivery  # type: ignore[no-any-return]


def test_a_mail_sent_just_before_the_store_died_is_not_sent_again(notify, store_restored) -> None:  # type: ignore[no-untyped-def]
    delivery = _pending_delivery(notify)
    stop, sent = threading.Event(), threading.Event()

    def store_dies() -> None:
        stack("stop", "store", "--kill")
        sent.set()

    sender = _sender_with_fault(notify, store_dies, stop)
    thread = threading.Thread(target=sender.send_batch, daemon=True)
    thread.start()
    try:
        assert sent.wait(30), "the faulty sender sent nothing"
        notify.worker(lease_s=LEASE_S)  # a replica, ready to take over expired leases
        time.sleep(
            LEASE_S + 2
        )  # the store stays away longer than the lease (a fault, not a wait for a result)
        stack("start", "store")
        eventually(lambda: not _queued(notify, delivery["id"]), timeout=60, message="queue drained")
    finally:
        stop.set()
        thread.join(timeout=20)
    assert len(notify.mails_to(notify.address("dinkes"))) == 1
    stored = notify.ctx.deliveries.get(delivery["id"])
    assert stored["status"] == "sent" and stored["in_flight"] is None
    assert [a["outcome"] for a in stored["attempt_log"]] == ["sent"]
    assert stored["attempt_log"][0]["worker"] == "faulty"


def test_a_sender_dead_after_the_send_is_resent_once_with_both_attempts_logged(notify) -> None:  # type: ignore[no-untyped-def]
    delivery = _pending_delivery(notify)

    def dies() -> None:
        raise _Died

    sender = _sender_with_fault(notify, dies, threading.Event())
    with pytest.raises(_Died):
        sender.send_batch()
    [first] = notify.mails_to(notify.address("dinkes"))
    notify.worker(lease_s=LEASE_S)

    mails = notify.wait_for_mails(notify.address("dinkes"), count=2, timeout=60)
    assert {m["headers"]["Message-ID"] for m in mails} == {first["headers"]["Message-ID"]}
    stored = eventually(
        lambda: (d := notify.ctx.deliveries.get(delivery["id"]))["status"] == "sent" and d
    )
    outcomes = [(a["outcome"], a["worker"]) for a in stored["attempt_log"]]
    assert outcomes[0] == ("unknown", "faulty") and outcomes[1][0] == "sent"
    assert len(outcomes) == 2 and stored["in_flight"] is None
