"""The delivery loop's work: claim due deliveries, send them, record the outcomes.

`DeliverySender.send_batch` claims a batch from the send queue atomically (see
`repository.queue`), so replicas never send the same record at once; a worker killed
mid-send leaves claimed entries whose lease expires, and another worker sends them.
Transient SMTP failures are retried with the policy's backoff; permanent ones (and
exhausted retries) are marked `failed` and dead-lettered on `smartcity.notification.dlq`
with the reason.

No mail twice because of a store failure: a sender notes the attempt on the log record
(`in_flight`) before the SMTP conversation, and after it retries recording the outcome until
the store answers (it never gives the delivery up with the mail out). A sender that claims a
delivery whose record still carries an earlier attempt's note waits one lease for that
attempt's outcome to arrive; only when none comes (its worker died between the send and the
record) does it send again, with the same Message-ID, and the log keeps both attempts (the
first as `unknown`). A dead letter that cannot be published (Kafka away) stays flagged
(`dlq_pending`) and `publish_dead_letters` sends it later. The sweep also forgets old
claim tokens.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from notification.domain.delivery import (
    OPEN_STATUSES,
    Delivery,
    DeliveryStatus,
    FailureClass,
    SmtpFailure,
    record_failure,
    record_sent,
)
from notification.domain.directory import sender
from notification.domain.documents import delivery_from_dict, delivery_to_dict
from notification.mail import RenderedMail, build_message, stable_message_id
from notification.smtp import SmtpPermanentError, SmtpSender, SmtpTransientError
from smartcity_shared.events.registry import TOPIC_NOTIFICATION
from smartcity_shared.logs import bound
from smartcity_shared.store import is_store_failure

from . import metrics
from .bootstrap import Context

log = logging.getLogger(__name__)
Doc = dict[str, Any]
DLQ_TOPIC = f"{TOPIC_NOTIFICATION}.dlq"
KEY_FIELDS = ("event_id", "recipient", "template", "created_at")
#: The claim an attempt ran under, shown on the log record with its outcome.
CLAIM_FIELDS = ("claim_gen", "claimed_by")
#: A queue entry whose delivery record never appeared (a handler died in between and its
#: event was not redelivered) is dropped after this long.
ORPHAN_AFTER = timedelta(hours=1)


def _now() -> datetime:
    return datetime.now(UTC)


class DeliverySender:
    """One per delivery thread (it keeps one SMTP connection open)."""

    def __init__(self, ctx: Context, batch: int = 20, stop: threading.Event | None = None) -> None:
        self.ctx = ctx
        self.batch = batch
        self.stop = stop or threading.Event()
        s = ctx.settings
        self.smtp = SmtpSender(
            s.smtp_host,
            s.smtp_port,
            s.smtp_username,
            s.smtp_password,
            s.smtp_starttls,
            timeout=ctx.config.smtp_timeout_s,
        )

    def close(self) -> None:
        self.smtp.close()

    def send_batch(self) -> int:
        """Claim up to `batch` queued deliveries and send them one by one over the kept SMTP
        connection; returns how many were claimed (0: nothing is due). Blocks for the sends.

        Each outcome is recorded on the log right after its send (so a killed worker can
        repeat at most the mail in flight); the finished entries leave the queue together
        at the end (a leftover entry is harmless: its log record says it is done). The claim
        lives on the queue entry; the log record goes from pending (or retrying) straight to
        the outcome, with the claim it ran under, saving a `sending` update per mail."""
        lease = timedelta(seconds=self.ctx.config.lease_s)
        entries = self.ctx.deliveries.claim(_now(), lease, self.ctx.config.worker_id, self.batch)
        finished = [entry for entry in entries if self.send_entry(entry)]
        self.ctx.deliveries.queue.done_many(finished)
        return len(entries)

    def send_entry(self, entry: Doc) -> bool:
        """Send one claimed queue entry and record the outcome; True when the entry is to
        leave the queue (the caller removes it). An entry whose lease is nearly over (a slow
        batch) is left alone: another worker will take it over, and starting to send it now
        could mail twice."""
        margin = timedelta(seconds=2 * self.ctx.config.smtp_timeout_s)
        if _now() + margin >= entry["claimed_until"]:
            return False
        queue, doc = self.ctx.deliveries.queue, self.ctx.deliveries.get(entry["_id"])
        if doc is None:  # queued a moment before its record was stored (or long orphaned)
            queued_at = entry.get("queued_at") or _now()
            if _now() - queued_at > ORPHAN_AFTER:
                return True
            queue.later(entry, _now() + timedelta(seconds=2))
            return False
        if doc["status"] not in OPEN_STATUSES:
            return True  # sent or failed meanwhile: nothing to do
        with bound(str(doc.get("correlation_id") or "")):
            return self._send_open(entry, doc)

    def _send_open(self, entry: Doc, doc: Doc) -> bool:
        if doc.get("in_flight") and not self._earlier_attempt_settled(doc, entry):
            return False
        self.ctx.deliveries.begin_attempt(doc["_id"], self._attempt_note(entry))
        updated, outcome = self._attempt(doc)
        if _now() >= entry["claimed_until"]:
            # Recorded all the same: a worker that took the entry over reads the log before
            # it sends, so the recorded outcome is what keeps it from sending again.
            log.warning("delivery %s: attempt ended after its lease ran out", doc["_id"])
        return self._record(doc, entry, updated, outcome)

    def _attempt_note(self, entry: Doc) -> Doc:
        return {"at": _now(), "worker": self.ctx.config.worker_id, "claim_gen": entry["claim_gen"]}

    def _earlier_attempt_settled(self, doc: Doc, entry: Doc) -> bool:
        """An earlier attempt started and recorded no outcome: its worker may still be
        recording it (the store was away), or may have died after the send. Wait one lease
        from the first sight of it (the entry comes back then); after that, log it as
        `unknown` and let this claim send (True)."""
        grace = timedelta(seconds=self.ctx.config.lease_s)
        since = doc.get("in_doubt_since")
        if since is None:
            since = _now()
            self.ctx.deliveries.in_doubt(doc["_id"], since)
            log.warning(
                "delivery %s: an earlier attempt has no recorded outcome; waiting %.0f s for it",
                doc["_id"],
                grace.total_seconds(),
            )
        if _now() < since + grace:
            self.ctx.deliveries.queue.later(entry, since + grace)
            return False
        flight = doc["in_flight"]
        log.warning(
            "delivery %s: the attempt of worker %s has no outcome; sending again (same Message-ID)",
            doc["_id"],
            flight.get("worker"),
        )
        self.ctx.deliveries.record_unknown(doc["_id"], {**flight, "outcome": "unknown"})
        return True

    def _attempt(self, doc: Doc) -> tuple[Delivery, dict[str, str]]:
        delivery = delivery_from_dict(doc)
        try:
            response = self.smtp.send(self._message(doc))
        except (SmtpTransientError, SmtpPermanentError) as exc:
            updated = record_failure(delivery, exc.failure, _now(), self.ctx.config.retry_policy)
            return updated, {"outcome": updated.status.value, "error": exc.failure.describe()}
        return record_sent(delivery, _now(), response.code, response.message), {"outcome": "sent"}

    def _record(self, doc: Doc, entry: Doc, updated: Delivery, outcome: dict[str, str]) -> bool:
        """One update of the log record: the outcome and the claim it was sent under. True
        when the entry leaves the queue; a retry moves it to the retry queue instead."""
        fields = {k: v for k, v in delivery_to_dict(updated).items() if k not in KEY_FIELDS}
        fields.update({k: entry[k] for k in CLAIM_FIELDS if k in entry})
        failed = updated.status is DeliveryStatus.FAILED
        if failed:
            fields["dlq_pending"] = True
        attempt = {"at": updated.updated_at, "code": updated.smtp_code, **outcome}
        self._record_until_stored(
            doc["_id"], fields, {**attempt, "worker": self.ctx.config.worker_id}
        )
        self._count(updated.status, updated.failure_class)
        _log_outcome(doc, updated, outcome)
        if failed:
            dead_letter(self.ctx, {**doc, **fields})
        if updated.status is DeliveryStatus.RETRYING and updated.next_attempt_at is not None:
            self.ctx.deliveries.queue.later(entry, updated.next_attempt_at)
            return False
        return True

    def _record_until_stored(self, id: str, fields: Doc, attempt: Doc) -> None:
        """The attempt is over (a mail may be out): retry the record while the store is
        away, until it is stored or the worker stops (then the `in_flight` note stays, and
        the next sender treats the attempt as unknown)."""
        warned = False
        while True:
            try:
                self.ctx.deliveries.record(id, fields, attempt)
            except Exception as exc:
                if not is_store_failure(exc) or self.stop.is_set():
                    raise
                if not warned:
                    log.warning(
                        "delivery %s: outcome %s not recorded, the store is away (%s); "
                        "retrying until it is back",
                        id,
                        attempt.get("outcome"),
                        type(exc).__name__,
                    )
                    warned = True
                self.stop.wait(1.0)
                continue
            if warned:
                log.info("delivery %s: outcome %s recorded", id, attempt.get("outcome"))
            return

    def _message(self, doc: Doc) -> Any:
        mail = self.ctx.deliveries.rendered(str(doc["_id"]))
        if mail is None:
            failure = SmtpFailure(None, "the delivery has no rendered mail", "HeaderParseError")
            raise SmtpPermanentError(failure)
        headers = {
            "X-SmartCity-Template": str(doc["template"]),
            "X-SmartCity-Delivery-Id": str(doc["_id"]),
        }
        region = self.ctx.directory.region(str(doc.get("region") or ""))
        mail_from = sender(region, self.ctx.settings.mail_from, self.ctx.config.mail_from_name)
        domain = mail_from.rpartition("@")[2].strip(" >") or "localhost"
        message_id = stable_message_id(doc["event_id"], doc["recipient"], doc["template"], domain)
        try:
            return build_message(
                RenderedMail(mail["subject"], mail["text"], mail["html"]),
                mail_from,
                doc["recipient"],
                event_id=str(doc["event_id"]),
                headers=headers,
                message_id=message_id,
            )
        except ValueError as exc:
            raise SmtpPermanentError(SmtpFailure(None, str(exc), "HeaderParseError")) from exc

    @staticmethod
    def _count(status: DeliveryStatus, failure_class: FailureClass | None) -> None:
        if status is DeliveryStatus.SENT:
            metrics.EMAILS_SENT.inc()
            return
        metrics.SEND_FAILURES.labels(failure_class.value if failure_class else "unknown").inc()
        if status is DeliveryStatus.FAILED:
            metrics.DELIVERIES_FAILED.labels(_reason(failure_class)).inc()


def _log_outcome(doc: Doc, updated: Delivery, outcome: dict[str, str]) -> None:
    """One line per attempt: INFO when sent, WARNING when not (with when it is retried)."""
    what = f"delivery {doc['_id']} ({doc.get('template')}, attempt {updated.attempts})"
    if updated.status is DeliveryStatus.SENT:
        log.info("mail sent: %s", what)
    elif updated.status is DeliveryStatus.RETRYING:
        when = updated.next_attempt_at.isoformat() if updated.next_attempt_at else "later"
        log.warning("mail not sent: %s: %s; retry at %s", what, outcome.get("error"), when)
    else:
        log.warning("mail failed for good: %s: %s", what, outcome.get("error"))


def _reason(failure_class: FailureClass | str | None) -> str:
    permanent = failure_class in (FailureClass.PERMANENT, FailureClass.PERMANENT.value)
    return "smtp-permanent" if permanent else "attempts-exhausted"


def dead_letter(ctx: Context, doc: Doc) -> bool:
    """Publish a failed delivery's record on the notification DLQ; False (and still flagged
    for the sweep) when Kafka is away."""
    reason = _reason(doc.get("failure_class"))
    record = {
        "delivery_id": doc["_id"],
        "reason": reason,
        "error": doc.get("last_error"),
        "smtp_code": doc.get("smtp_code"),
        "smtp_response": doc.get("smtp_response"),
        "attempts": doc.get("attempts"),
        **{k: doc.get(k) for k in ("event_id", "event_type", "recipient", "template")},
        **{k: doc.get(k) for k in ("region", "unit")},
        "failed_at": _now().isoformat(),
    }
    headers = [
        ("dlq.reason", reason.encode()),
        ("dlq.detail", str(doc.get("last_error") or "")[:2000].encode()),
        ("dlq.source", b"notification-delivery"),
    ]
    value = json.dumps(record, default=str).encode()
    topic = ctx.settings.topic(DLQ_TOPIC)
    try:
        ctx.publisher.publish_many([(topic, str(doc["_id"]), value, headers)])
    except Exception as exc:
        log.warning("dead letter for delivery %s not published yet: %s", doc["_id"], exc)
        return False
    ctx.deliveries.dead_lettered(str(doc["_id"]), _now())
    return True


def publish_dead_letters(ctx: Context) -> int:
    """Publish the failed deliveries whose dead letter has not gone out for a lease's time
    (the sender publishes at once; this catches those Kafka refused, or a sender that died
    in between). At least once: a letter may, rarely, go out twice."""
    published = 0
    stale = _now() - timedelta(seconds=ctx.config.lease_s)
    for doc in ctx.deliveries.awaiting_dead_letter(stale):
        if not dead_letter(ctx, doc):
            break
        published += 1
    ctx.deliveries.queue.purge_tokens(_now())
    return published
