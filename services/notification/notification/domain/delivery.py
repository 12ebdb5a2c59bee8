"""The delivery log's record, its state machine, the retry backoff and SMTP failure classes.

States: `pending` → `sending` (claimed by one worker under a lease) → `sent`;
`sending` → `retrying` (transient failure, attempts left) → `sending` → ... → `sent` or
`failed` (permanent failure, or attempts exhausted); `failed` → `pending` only by an explicit
resend. `suppressed` records a notice the person opted out of (never sent). A `sent` record
never changes again: that, with the unique key (event id, recipient, template), is what keeps
a redelivered event from mailing twice. Claiming a record (the lease across worker replicas,
and reclaiming a `sending` record whose lease expired) is the store's business.

Everything here takes plain values (SMTP code, message, exception class name), so it stays
pure; `mail.py` turns smtplib exceptions into those values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from notification.domain.rules import normalize_email
from smartcity_shared.errors import Conflict


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    RETRYING = "retrying"
    SENT = "sent"
    FAILED = "failed"
    SUPPRESSED = "suppressed"


#: States a worker may record an attempt's outcome from.
OPEN_STATUSES = frozenset({DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.RETRYING})


class FailureClass(StrEnum):
    TRANSIENT = "transient"
    PERMANENT = "permanent"


@dataclass(frozen=True)
class RetryPolicy:
    """Waits after the 1st, 2nd, ... failed attempt (the last repeats); at most `max_attempts`."""

    backoff: tuple[timedelta, ...] = (
        timedelta(seconds=30),
        timedelta(minutes=2),
        timedelta(minutes=10),
        timedelta(hours=1),
    )
    max_attempts: int = 6

    def delay(self, attempts: int) -> timedelta:
        """The wait after `attempts` failed attempts (attempts >= 1)."""
        return self.backoff[min(max(attempts, 1), len(self.backoff)) - 1]


DEFAULT_RETRY = RetryPolicy()

#: Failures of the message itself (an address or header that can never be sent).
PERMANENT_KINDS = frozenset(
    {"InvalidAddress", "HeaderParseError", "UnicodeEncodeError", "SMTPNotSupportedError"}
)
#: Failures of the server or its settings, not of this message: retried even on a 5xx code.
TRANSIENT_KINDS = frozenset({"SMTPAuthenticationError"})
_ENHANCED = re.compile(r"\b([245])\.\d{1,3}\.\d{1,3}\b")


@dataclass(frozen=True)
class SmtpFailure:
    """What went wrong: the SMTP reply code (None without one), its text, the exception name."""

    code: int | None
    message: str
    kind: str = ""
    phase: str = "message"  # "connect": before MAIL FROM (connect, EHLO, STARTTLS, AUTH)

    @property
    def failure_class(self) -> FailureClass:
        return classify(self.code, self.message, self.kind, phase=self.phase)

    def describe(self) -> str:
        prefix = f"{self.code} " if self.code is not None else ""
        return f"{self.kind}: {prefix}{self.message}".strip(": ")


def classify(
    code: int | None = None, message: str = "", kind: str = "", *, phase: str = "message"
) -> FailureClass:
    """Transient (retry later) or permanent (mark failed, dead-letter with the reason).

    4xx → transient; 5xx → permanent; no code: an enhanced status (`5.1.1`) in the message
    decides, else transient (connection refused, timeout, dropped connection: the server may
    come back). Bad addresses and unencodable messages are permanent whatever the code.
    Failures of the server or its settings are transient whatever the code: any failure in
    the `connect` phase (greeting, EHLO, STARTTLS, AUTH) and authentication errors, so that
    fixing the server delivers the backlog instead of failing it.
    """
    if phase == "connect":
        return FailureClass.TRANSIENT
    if kind in PERMANENT_KINDS:
        return FailureClass.PERMANENT
    if kind in TRANSIENT_KINDS:
        return FailureClass.TRANSIENT
    if code is not None and 400 <= code < 500:
        return FailureClass.TRANSIENT
    if code is not None and 500 <= code < 600:
        return FailureClass.PERMANENT
    enhanced = _ENHANCED.search(message or "")
    if enhanced and enhanced.group(1) == "5":
        return FailureClass.PERMANENT
    return FailureClass.TRANSIENT


@dataclass(frozen=True)
class DeliveryKey:
    """Unique per delivery-log record: one mail per (event, recipient, template)."""

    event_id: str
    recipient: str
    template: str

    def as_dict(self) -> dict[str, str]:
        return {"event_id": self.event_id, "recipient": self.recipient, "template": self.template}


def delivery_key(event_id: str, recipient: str, template: str) -> DeliveryKey:
    """The key with the address normalized (case and spaces never make a second mail)."""
    return DeliveryKey(event_id, normalize_email(recipient), template)


@dataclass(frozen=True)
class Delivery:
    """One delivery-log record. Times are aware UTC datetimes."""

    key: DeliveryKey
    created_at: datetime
    updated_at: datetime
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    smtp_code: int | None = None
    smtp_response: str | None = None
    last_error: str | None = None
    failure_class: FailureClass | None = None


def new_delivery(key: DeliveryKey, now: datetime) -> Delivery:
    """A pending record, due at once."""
    return Delivery(key=key, created_at=now, updated_at=now, next_attempt_at=now)


def is_due(delivery: Delivery, now: datetime) -> bool:
    """Pending or retrying, and its next attempt time has come."""
    waiting = delivery.status in (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)
    return waiting and (delivery.next_attempt_at is None or delivery.next_attempt_at <= now)


def _require_open(delivery: Delivery, action: str) -> None:
    if delivery.status not in OPEN_STATUSES:
        raise Conflict(f"Cannot record {action} for a delivery that is {delivery.status.value}.")


def record_sent(delivery: Delivery, now: datetime, code: int, response: str) -> Delivery:
    """The attempt succeeded. Raises `Conflict` unless pending, sending or retrying."""
    _require_open(delivery, "a success")
    return replace(
        delivery,
        status=DeliveryStatus.SENT,
        attempts=delivery.attempts + 1,
        updated_at=now,
        sent_at=now,
        next_attempt_at=None,
        smtp_code=code,
        smtp_response=response,
    )


def record_failure(
    delivery: Delivery, failure: SmtpFailure, now: datetime, policy: RetryPolicy = DEFAULT_RETRY
) -> Delivery:
    """The attempt failed: `retrying` with the next time, or `failed` when permanent or the
    last attempt. Raises `Conflict` unless pending, sending or retrying."""
    _require_open(delivery, "a failure")
    attempts = delivery.attempts + 1
    failure_class = failure.failure_class
    give_up = failure_class is FailureClass.PERMANENT or attempts >= policy.max_attempts
    return replace(
        delivery,
        status=DeliveryStatus.FAILED if give_up else DeliveryStatus.RETRYING,
        attempts=attempts,
        updated_at=now,
        next_attempt_at=None if give_up else now + policy.delay(attempts),
        smtp_code=failure.code,
        smtp_response=failure.message,
        last_error=failure.describe(),
        failure_class=failure_class,
    )


def resend(delivery: Delivery, now: datetime) -> Delivery:
    """An operator's resend of a failed record: pending again with fresh attempts. The last
    error stays visible until the next attempt. Raises `Conflict` unless failed."""
    if delivery.status is not DeliveryStatus.FAILED:
        raise Conflict(f"Only a failed delivery can be resent; this one is {delivery.status}.")
    return replace(
        delivery, status=DeliveryStatus.PENDING, attempts=0, updated_at=now, next_attempt_at=now
    )
