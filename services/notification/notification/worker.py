"""`python -m notification.worker`: consumes the directory, evaluation, innovation and
notification topics (group `notification`) and runs the delivery, reminder, digest and
dead-letter loops. Several replicas may run: every piece of work is claimed in the store."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from smartcity_shared import logs
from smartcity_shared.events.registry import TOPICS
from smartcity_shared.settings import Settings
from smartcity_shared.worker import WorkerSpec, run_worker

from . import bootstrap, handlers
from .bootstrap import Context
from .digesting import send_due_digests
from .scheduling import fire_due_reminder
from .sending import DeliverySender, publish_dead_letters

log = logging.getLogger(__name__)
Loop = Callable[[threading.Event], None]
Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


def delivery_loop(ctx: Context) -> Loop:
    """Send due deliveries one by one; wait `delivery_poll_s` when there is none."""

    def run(stop: threading.Event) -> None:
        sender = DeliverySender(ctx, stop=stop)
        try:
            while not stop.is_set():
                if not sender.send_batch():
                    stop.wait(ctx.config.delivery_poll_s)
        finally:
            sender.close()

    return run


def reminder_loop(ctx: Context, clock: Clock = _now) -> Loop:
    def run(stop: threading.Event) -> None:
        while not stop.is_set():
            if not fire_due_reminder(ctx, clock()):
                stop.wait(ctx.config.reminder_poll_s)

    return run


def periodic(interval_s: Callable[[], float], job: Callable[[], object]) -> Loop:
    def run(stop: threading.Event) -> None:
        while not stop.is_set():
            job()
            stop.wait(interval_s())

    return run


def spec(ctx: Context, clock: Clock = _now) -> WorkerSpec:
    """What the worker runs; tests start the same spec in threads (`clock`: what the event
    handlers, reminders and digests take as now; tests may pin it)."""
    config = ctx.config
    loops: dict[str, Loop] = {f"delivery-{n}": delivery_loop(ctx) for n in range(config.senders)}
    loops["reminders"] = reminder_loop(ctx, clock)
    loops["digests"] = periodic(
        lambda: config.digest_poll_s, lambda: send_due_digests(ctx, clock())
    )
    loops["dead-letters"] = periodic(lambda: config.dlq_sweep_s, lambda: publish_dead_letters(ctx))
    return WorkerSpec(
        group="notification",
        topics=list(TOPICS),
        handlers=handlers.handlers(ctx, clock),
        outbox_collections=bootstrap.AGGREGATES,
        extra_loops=loops,
        batch_scopes=[ctx.deliveries],  # a poll batch's deliveries in a few bulk inserts
    )


def main() -> None:
    settings = Settings.from_env(bootstrap.SERVICE)
    logs.configure(f"{settings.service}-worker", settings.log_level)
    ctx = bootstrap.build(settings)
    try:
        bootstrap.ensure_indexes(ctx)
    except Exception:  # the store may be down at start; the loops retry until it is back
        log.warning("could not ensure indexes at start", exc_info=True)
    run_worker(settings, ctx.db, spec(ctx))


if __name__ == "__main__":
    main()
