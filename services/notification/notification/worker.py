"""`python -m notification.worker`: consumes directory, evaluation and innovation events."""

from __future__ import annotations

from smartcity_shared import directory_copy, logs
from smartcity_shared.events.registry import TOPICS
from smartcity_shared.settings import Settings
from smartcity_shared.worker import WorkerSpec, run_worker

from . import bootstrap


def main() -> None:
    settings = Settings.from_env(bootstrap.SERVICE)
    logs.configure(f"{settings.service}-worker", settings.log_level)
    ctx = bootstrap.build(settings)
    spec = WorkerSpec(
        group="notification",
        topics=list(TOPICS),
        handlers=directory_copy.handlers(ctx.db),
        outbox_collections=bootstrap.AGGREGATES,
    )
    run_worker(settings, ctx.db, spec)


if __name__ == "__main__":
    main()
