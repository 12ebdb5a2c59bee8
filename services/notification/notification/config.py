"""The notification worker's own knobs (loop intervals, leases, retries), from the environment.

The shared `Settings` carry what every service has (store, Kafka, SMTP); these are specific
to sending mail. Every value has a working default; tests build their own with short intervals.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta

from notification.domain.delivery import RetryPolicy


def _floats(text: str) -> tuple[float, ...]:
    return tuple(float(part) for part in text.split(",") if part.strip())


def _worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class NotifyConfig:
    """`*_poll_s`: how long an idle loop waits before looking again; `lease_s`: how long a
    claimed delivery or reminder stays with the worker that claimed it (after that another
    replica may take it over; a sender starts no send with less than two SMTP timeouts of
    its lease left, so it must exceed twice `smtp_timeout_s`); `senders`: delivery threads."""

    delivery_poll_s: float = 0.5
    reminder_poll_s: float = 10.0
    digest_poll_s: float = 30.0
    dlq_sweep_s: float = 30.0
    lease_s: float = 60.0
    senders: int = 2
    retry_backoff_s: tuple[float, ...] = (30.0, 120.0, 600.0, 3600.0)
    max_attempts: int = 6
    cache_ttl_s: float = 2.0
    smtp_timeout_s: float = 10.0
    worker_id: str = field(default_factory=_worker_id)
    #: The sender name of mail from a region without its own (`MAIL_FROM_NAME`; "" = none).
    mail_from_name: str = ""

    def __post_init__(self) -> None:
        if self.lease_s <= 2 * self.smtp_timeout_s:
            raise ValueError("NOTIFY_LEASE_S must exceed twice SMTP_TIMEOUT_S")

    @property
    def retry_policy(self) -> RetryPolicy:
        backoff = tuple(timedelta(seconds=s) for s in self.retry_backoff_s) or (timedelta(0),)
        return RetryPolicy(backoff=backoff, max_attempts=self.max_attempts)

    def with_(self, **changes: object) -> NotifyConfig:
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> NotifyConfig:
        e = os.environ if env is None else env
        d = cls()
        return cls(
            delivery_poll_s=float(e.get("NOTIFY_DELIVERY_POLL_S", d.delivery_poll_s)),
            reminder_poll_s=float(e.get("NOTIFY_REMINDER_POLL_S", d.reminder_poll_s)),
            digest_poll_s=float(e.get("NOTIFY_DIGEST_POLL_S", d.digest_poll_s)),
            dlq_sweep_s=float(e.get("NOTIFY_DLQ_SWEEP_S", d.dlq_sweep_s)),
            lease_s=float(e.get("NOTIFY_LEASE_S", d.lease_s)),
            senders=max(1, int(e.get("NOTIFY_SENDERS", d.senders))),
            retry_backoff_s=_floats(e.get("NOTIFY_RETRY_BACKOFF_S", "")) or d.retry_backoff_s,
            max_attempts=max(1, int(e.get("NOTIFY_MAX_ATTEMPTS", d.max_attempts))),
            cache_ttl_s=float(e.get("NOTIFY_CACHE_TTL_S", d.cache_ttl_s)),
            smtp_timeout_s=float(e.get("SMTP_TIMEOUT_S", d.smtp_timeout_s)),
            mail_from_name=e.get("MAIL_FROM_NAME", d.mail_from_name),
        )
