"""create_app: the notification service's HTTP API."""

from __future__ import annotations

import logging

from flask import Flask, request

from smartcity_shared import kafka_io, logs, store
from smartcity_shared.http.app import create_base_app
from smartcity_shared.settings import Settings

from . import bootstrap, metrics
from .api import deliveries, preferences, reminders, rules, templates

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, ctx: bootstrap.Context | None = None) -> Flask:
    settings = settings or Settings.from_env(bootstrap.SERVICE)
    logs.configure(settings.service, settings.log_level)
    ctx = ctx or bootstrap.build(settings)
    app, api = create_base_app(
        settings,
        "Smart City notification API",
        {
            "store": lambda: store.ping(ctx.client),
            "broker": lambda: kafka_io.broker_reachable(settings),
        },
    )
    app.extensions["ctx"] = ctx
    for blueprint in (deliveries.blp, reminders.blp, preferences.blp, rules.blp, templates.blp):
        api.register_blueprint(blueprint)

    @app.before_request
    def refresh_gauges() -> None:
        """Scrapes see the delivery log's current counts (failed ones above all)."""
        if request.path != "/metrics":
            return
        try:
            metrics.publish_counts(ctx.deliveries.counts({}))
        except Exception as exc:  # the store may be down; /metrics still answers
            log.warning("delivery counts unavailable for /metrics: %s", exc)

    try:
        bootstrap.ensure_indexes(ctx)
    except Exception:  # the store may be down at start; /readyz says so, indexes come next start
        log.warning("could not ensure indexes at start", exc_info=True)
    return app
