"""`python -m accounts.worker`: consumes `smartcity.directory` (group `accounts`) and keeps
the OIDC provider's accounts in step with the directory's people: a new person gets an
account and a "set your password" e-mail, a deactivated person's account is disabled.
Idempotent (event ids remembered in its own database; provisioning compares before writing);
an unreachable provider is retried, a refused change goes to the dead-letter topic."""

from __future__ import annotations

from smartcity_shared import logs
from smartcity_shared.events.registry import TOPIC_DIRECTORY
from smartcity_shared.settings import Settings
from smartcity_shared.worker import WorkerSpec, run_worker

from . import bootstrap, handlers
from .bootstrap import Context


def spec(ctx: Context) -> WorkerSpec:
    """What the worker runs; tests start the same spec in threads."""
    return WorkerSpec(
        group=bootstrap.SERVICE,
        topics=[TOPIC_DIRECTORY],
        handlers=handlers.handlers(ctx.provider),
        outbox_collections=[],
    )


def main() -> None:
    settings = Settings.from_env(bootstrap.SERVICE)
    logs.configure(f"{settings.service}-worker", settings.log_level)
    ctx = bootstrap.build(settings)
    run_worker(settings, ctx.db, spec(ctx))


if __name__ == "__main__":
    main()
