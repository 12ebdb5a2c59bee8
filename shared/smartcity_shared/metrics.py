"""Prometheus metrics shared by APIs and workers.

With several gunicorn workers, set PROMETHEUS_MULTIPROC_DIR (the gunicorn config does) and
`render()` aggregates every worker process's samples.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

HTTP_REQUESTS = Counter(
    "http_requests_total", "HTTP requests", ["service", "method", "endpoint", "status"]
)
HTTP_LATENCY = Histogram(
    "http_request_duration_seconds", "HTTP request latency", ["service", "endpoint"]
)
EVENTS_CONSUMED = Counter(
    "events_consumed_total", "Events handled by a consumer", ["group", "type", "outcome"]
)
EVENTS_RETRIED = Counter("events_retried_total", "Transient failures retried", ["group"])
EVENTS_DEAD_LETTERED = Counter(
    "events_dead_lettered_total", "Events sent to a dead-letter topic", ["group", "reason"]
)
CONSUMER_LAG = Gauge(
    "consumer_lag",
    "Messages behind the high watermark",
    ["group", "topic", "partition"],
    multiprocess_mode="max",
)
OUTBOX_PUBLISHED = Counter("outbox_published_total", "Events published by the outbox relay")
OUTBOX_FAILURES = Counter("outbox_failures_total", "Outbox relay failures")
OUTBOX_BACKLOG = Gauge(
    "outbox_backlog",
    "Writes whose events the relay's last round could not publish yet (at most one batch)",
    multiprocess_mode="max",
)


def render() -> tuple[bytes, str]:
    """The exposition text and its content type, aggregated across processes if configured."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
