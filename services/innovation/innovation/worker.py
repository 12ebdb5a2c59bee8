"""`python -m innovation.worker`: the outbox relay, the directory consumer and the daily scan
(quota deadlines, milestones; interval `INNOVATION_SCAN_INTERVAL_S`, default 3600 s)."""

from __future__ import annotations

import logging

from smartcity_shared import logs
from smartcity_shared.settings import Settings
from smartcity_shared.worker import WorkerSpec, run_worker

from . import bootstrap, handlers, scan

log = logging.getLogger(__name__)


def spec(ctx: bootstrap.Context, scan_interval_s: float | None = None) -> WorkerSpec:
    """What the worker runs; tests build the same spec with a short scan interval."""
    return WorkerSpec(
        group="innovation",
        topics=["smartcity.directory"],
        handlers=handlers.handlers(ctx),
        outbox_collections=bootstrap.AGGREGATES,
        extra_loops={"scan": scan.loop(ctx, scan_interval_s)},
    )


def main() -> None:
    settings = Settings.from_env(bootstrap.SERVICE)
    logs.configure(f"{settings.service}-worker", settings.log_level)
    ctx = bootstrap.build(settings)
    try:
        bootstrap.ensure_indexes(ctx)
    except Exception:  # the store may be down at start; the loops retry
        log.warning("could not ensure indexes at start", exc_info=True)
    run_worker(settings, ctx.db, spec(ctx))


if __name__ == "__main__":
    main()
