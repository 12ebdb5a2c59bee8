"""`python -m evaluation.worker`: the outbox relay (and consumers, when the service has any)."""

from __future__ import annotations

from smartcity_shared import logs
from smartcity_shared.settings import Settings
from smartcity_shared.worker import WorkerSpec, run_worker

from . import bootstrap


def main() -> None:
    settings = Settings.from_env(bootstrap.SERVICE)
    logs.configure(f"{settings.service}-worker", settings.log_level)
    ctx = bootstrap.build(settings)
    spec = WorkerSpec(
        group="evaluation", topics=[], handlers={}, outbox_collections=bootstrap.AGGREGATES
    )
    run_worker(settings, ctx.db, spec)


if __name__ == "__main__":
    main()
