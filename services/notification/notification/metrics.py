"""The notification service's Prometheus metrics.

Counters move in the worker (served on `WORKER_METRICS_PORT`); the gauges are refreshed
from the delivery log whenever the API's `/metrics` is scraped, so failed deliveries are
visible wherever Prometheus looks, whichever replica failed them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from prometheus_client import Counter, Gauge

log = logging.getLogger(__name__)

EMAILS_SENT = Counter("notification_emails_sent_total", "E-mails accepted by the SMTP server")
SEND_FAILURES = Counter(
    "notification_send_failures_total", "Failed SMTP attempts", ["failure_class"]
)
DELIVERIES_FAILED = Counter(
    "notification_deliveries_failed_total",
    "Deliveries given up (marked failed and dead-lettered)",
    ["reason"],
)
DELIVERIES = Gauge(
    "notification_deliveries",
    "Delivery-log records per status (from the store, at scrape time)",
    ["status"],
    multiprocess_mode="mostrecent",
)
FAILED_NOW = Gauge(
    "notification_failed_deliveries",
    "Delivery-log records currently failed (from the store, at scrape time)",
    multiprocess_mode="mostrecent",
)


def publish_counts(counts: Mapping[str, int]) -> None:
    for status, count in counts.items():
        DELIVERIES.labels(status).set(count)
    FAILED_NOW.set(counts.get("failed", 0))
