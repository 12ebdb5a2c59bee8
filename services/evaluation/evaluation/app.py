"""create_app: the evaluation service's HTTP API."""

from __future__ import annotations

from flask import Flask

from smartcity_shared.http.app import create_service_app
from smartcity_shared.settings import Settings

from . import bootstrap
from .api import cycles, directory, frameworks, recommendations, risks, scorecards, submissions

BLUEPRINTS = (directory, frameworks, cycles, submissions, scorecards, recommendations, risks)


def create_app(settings: Settings | None = None, ctx: bootstrap.Context | None = None) -> Flask:
    settings = settings or Settings.from_env(bootstrap.SERVICE)
    context = ctx or bootstrap.build(settings)
    app = create_service_app(
        settings,
        "Smart City evaluation API",
        context.client,
        [module.blp for module in BLUEPRINTS],
        lambda: bootstrap.ensure_indexes(context),
    )
    app.extensions["ctx"] = context
    return app
