"""create_app: the innovation service's HTTP API."""

from __future__ import annotations

import logging

from flask import Flask

from smartcity_shared import kafka_io, logs, store
from smartcity_shared.http.app import create_base_app
from smartcity_shared.settings import Settings

from . import bootstrap
from .api import innovations, insights, masterplans, quota

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, ctx: bootstrap.Context | None = None) -> Flask:
    settings = settings or Settings.from_env(bootstrap.SERVICE)
    logs.configure(settings.service, settings.log_level)
    ctx = ctx or bootstrap.build(settings)
    app, api = create_base_app(
        settings,
        "Smart City innovation API",
        {
            "store": lambda: store.ping(ctx.client),
            "broker": lambda: kafka_io.broker_reachable(settings),
        },
    )
    app.extensions["ctx"] = ctx
    for blueprint in (masterplans.blp, innovations.blp, quota.blp, insights.blp):
        api.register_blueprint(blueprint)
    try:
        bootstrap.ensure_indexes(ctx)
    except Exception:  # the store may be down at start; /readyz says so, indexes come next start
        log.warning("could not ensure indexes at start", exc_info=True)
    return app
