"""The worker process: outbox relay + consumer loop (+ any extra loops) until SIGTERM."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kafka.errors import KafkaError
from prometheus_client import start_http_server
from pymongo.database import Database

from .consumer import Handler
from .consumer_loop import BatchScope, ConsumerLoop, MongoProcessedLog
from .kafka_io import publisher as make_publisher
from .logs import brief
from .relay import OutboxRelay
from .settings import Settings, refuse_unsafe_secret
from .store import is_store_failure

log = logging.getLogger(__name__)
Loop = Callable[[threading.Event], None]


@dataclass
class WorkerSpec:
    """What a service's worker runs; `topics` empty means no consumer."""

    group: str
    topics: list[str]
    handlers: Mapping[str, Handler]
    outbox_collections: list[str]
    extra_loops: dict[str, Loop] = field(default_factory=dict)
    #: Writes the handlers buffer per poll batch, stored before the batch is committed.
    batch_scopes: list[BatchScope] = field(default_factory=list)


def run_worker(
    settings: Settings,
    db: Database[dict[str, Any]],
    spec: WorkerSpec,
    stop: threading.Event | None = None,
) -> None:
    """Blocks until `stop` is set (SIGTERM/SIGINT set it when run in the main thread).
    Raises UnsafeSettings first outside the dev/test profiles without a proper JWT_SECRET
    (a worker mints no tokens, but it runs beside the APIs from the same settings)."""
    refuse_unsafe_secret(settings)
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
    if os.environ.get("WORKER_METRICS_PORT"):
        start_http_server(int(os.environ["WORKER_METRICS_PORT"]), addr="0.0.0.0")
    publisher = make_publisher(settings)
    loops: dict[str, Loop] = {
        "outbox-relay": lambda s: OutboxRelay(
            db,
            spec.outbox_collections,
            publisher,
            settings.topic,
            lease_s=float(os.environ.get("OUTBOX_LEASE_S", "30")),
        ).run(s, settings.relay_interval_s),
        **spec.extra_loops,
    }
    if spec.topics:
        consumer = ConsumerLoop(
            settings,
            spec.group,
            spec.topics,
            spec.handlers,
            MongoProcessedLog(db, spec.group),
            publisher,
            scopes=spec.batch_scopes,
        )
        loops["consumer"] = consumer.run
    threads = [
        threading.Thread(target=_guard(name, loop, stop), name=name, daemon=True)
        for name, loop in loops.items()
    ]
    for thread in threads:
        thread.start()
    log.info("worker %s started: %s", settings.service, ", ".join(loops))
    stop.wait()
    for thread in threads:
        thread.join(timeout=15)
    publisher.close()
    log.info("worker %s stopped", settings.service)


def _guard(name: str, loop: Loop, stop: threading.Event) -> Callable[[], None]:
    """Restart a loop that crashed (after a pause) instead of leaving the worker half-alive."""

    def target() -> None:
        last, logged_at = "", 0.0  # an outage is logged once a minute, not every restart
        while not stop.is_set():
            try:
                loop(stop)
            except Exception as exc:
                kind = brief(exc, 40)
                if not (is_store_failure(exc) or isinstance(exc, KafkaError)):
                    log.exception("loop %s crashed; restarting in 2 s", name)
                elif kind != last or time.monotonic() - logged_at > 60:
                    log.warning("loop %s: %s; restarting in 2 s", name, brief(exc))
                    last, logged_at = kind, time.monotonic()
                stop.wait(2.0)

    return target
