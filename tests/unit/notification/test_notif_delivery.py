"""Delivery records: classification, backoff, the state machine and its documents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from notification.domain.delivery import (
    DeliveryStatus,
    FailureClass,
    RetryPolicy,
    SmtpFailure,
    classify,
    delivery_key,
    is_due,
    new_delivery,
    record_failure,
    record_sent,
    resend,
)
from notification.domain.documents import delivery_from_dict, delivery_to_dict
from smartcity_shared.errors import Conflict

T = FailureClass.TRANSIENT
P = FailureClass.PERMANENT
NOW = datetime(2020, 7, 1, 1, 0, tzinfo=UTC)
KEY = delivery_key("evt-1", " Dinkes@BatangKab.go.id ", "submission_returned")


@pytest.mark.parametrize(
    ("code", "message", "kind", "expected"),
    [
        (421, "Service not available", "SMTPSenderRefused", T),
        (450, "Mailbox busy", "SMTPRecipientsRefused", T),
        (452, "Insufficient storage", "SMTPDataError", T),
        (550, "5.1.1 No such user", "SMTPRecipientsRefused", P),
        (552, "Message too big", "SMTPDataError", P),
        (554, "Transaction failed", "SMTPDataError", P),
        (None, "[Errno 111] Connection refused", "ConnectionRefusedError", T),
        (None, "timed out", "TimeoutError", T),
        (None, "Connection unexpectedly closed", "SMTPServerDisconnected", T),
        (None, "not a valid recipient address", "InvalidAddress", P),
        (None, "server does not accept SMTPUTF8 addresses", "SMTPNotSupportedError", P),
        (None, "rejected: 5.1.3 bad destination syntax", "SMTPException", P),
        (None, "something odd", "RuntimeError", T),
        (535, "5.7.8 Authentication credentials invalid", "SMTPAuthenticationError", T),
    ],
)
def test_classify(code, message, kind, expected):
    assert classify(code, message, kind) is expected


def test_anything_before_mail_from_is_transient():
    assert classify(554, "no SMTP service here", "SMTPConnectError", phase="connect") is T


def test_the_key_normalizes_the_address():
    assert KEY.as_dict() == {
        "event_id": "evt-1",
        "recipient": "dinkes@batangkab.go.id",
        "template": "submission_returned",
    }


def test_backoff_30s_2m_10m_1h_then_hourly():
    policy = RetryPolicy()

    assert [policy.delay(n) for n in range(1, 7)] == [
        timedelta(seconds=30),
        timedelta(minutes=2),
        timedelta(minutes=10),
        timedelta(hours=1),
        timedelta(hours=1),
        timedelta(hours=1),
    ]


def test_transient_failures_retry_with_backoff_until_the_sixth_attempt_fails():
    record = new_delivery(KEY, NOW)
    refused = SmtpFailure(None, "Connection refused", "ConnectionRefusedError")
    now = NOW
    waits = []
    for _ in range(5):
        record = record_failure(record, refused, now)
        assert record.status is DeliveryStatus.RETRYING
        assert not is_due(record, now)
        waits.append(record.next_attempt_at - now)
        now = record.next_attempt_at
        assert is_due(record, now)

    record = record_failure(record, refused, now)

    assert waits[:4] == [
        timedelta(seconds=30),
        timedelta(minutes=2),
        timedelta(minutes=10),
        timedelta(hours=1),
    ]
    assert record.status is DeliveryStatus.FAILED
    assert record.attempts == 6
    assert record.next_attempt_at is None
    assert record.failure_class is T
    assert "Connection refused" in (record.last_error or "")


def test_a_permanent_failure_fails_at_once_with_the_smtp_reply():
    record = record_failure(
        new_delivery(KEY, NOW), SmtpFailure(550, "5.1.1 No such user", "SMTPRecipientsRefused"), NOW
    )

    assert record.status is DeliveryStatus.FAILED
    assert (record.smtp_code, record.smtp_response) == (550, "5.1.1 No such user")
    assert record.failure_class is P


def test_success_after_a_retry_is_sent_and_final():
    retrying = record_failure(new_delivery(KEY, NOW), SmtpFailure(451, "try later"), NOW)
    sent = record_sent(retrying, NOW + timedelta(minutes=1), 250, "2.0.0 Ok: queued")

    assert sent.status is DeliveryStatus.SENT
    assert sent.attempts == 2
    assert sent.sent_at == NOW + timedelta(minutes=1)
    assert not is_due(sent, NOW + timedelta(days=1))
    with pytest.raises(Conflict):
        record_sent(sent, NOW, 250, "again")
    with pytest.raises(Conflict):
        record_failure(sent, SmtpFailure(451, "x"), NOW)
    with pytest.raises(Conflict):
        resend(sent, NOW)


def test_resending_a_failed_delivery_starts_over():
    failed = record_failure(new_delivery(KEY, NOW), SmtpFailure(550, "no such user"), NOW)
    later = NOW + timedelta(days=1)
    again = resend(failed, later)

    assert (again.status, again.attempts, again.next_attempt_at) == (
        DeliveryStatus.PENDING,
        0,
        later,
    )
    assert is_due(again, later)


def test_delivery_documents_round_trip():
    failed = record_failure(new_delivery(KEY, NOW), SmtpFailure(550, "no such user", "X"), NOW)
    sent = record_sent(new_delivery(KEY, NOW), NOW, 250, "ok")
    for record in (new_delivery(KEY, NOW), failed, sent):
        document = delivery_to_dict(record)
        assert delivery_from_dict(document) == record
        naive = {
            k: v.replace(tzinfo=None) if isinstance(v, datetime) else v for k, v in document.items()
        }
        assert delivery_from_dict(naive) == record
