"""create_app: the notification service's HTTP API."""

from __future__ import annotations

import logging

from flask import Flask, request

from smartcity_shared.http.app import create_service_app
from smartcity_shared.settings import Settings

from . import bootstrap, metrics
from .api import deliveries, preferences, reminders, rules, templates

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, ctx: bootstrap.Context | None = None) -> Flask:
    settings = settings or Settings.from_env(bootstrap.SERVICE)
    context = ctx or bootstrap.build(settings)
    app = create_service_app(
        settings,
        "Smart City notification API",
        context.client,
        [deliveries.blp, reminders.blp, preferences.blp, rules.blp, templates.blp],
        lambda: bootstrap.ensure_indexes(context),
    )
    app.extensions["ctx"] = context

    @app.before_request
    def refresh_gauges() -> None:
        """Scrapes see the delivery log's current counts (failed ones above all)."""
        if request.path != "/metrics":
            return
        try:
            metrics.publish_counts(context.deliveries.counts({}))
        except Exception as exc:  # the store may be down; /metrics still answers
            log.warning("delivery counts unavailable for /metrics: %s", exc)

    return app
