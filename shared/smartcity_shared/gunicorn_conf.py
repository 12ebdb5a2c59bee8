"""gunicorn settings from the environment; a service's gunicorn.conf.py calls `apply`."""

from __future__ import annotations

import os
import tempfile
from typing import Any


def apply(namespace: dict[str, Any], service: str, default_port: int) -> None:
    """Fill a gunicorn config module's namespace: bind, workers, threads, timeouts, metrics."""
    port = os.environ.get(f"{service.upper()}_PORT", str(default_port))
    host = os.environ.get("BIND_HOST", "127.0.0.1")
    namespace["bind"] = os.environ.get("GUNICORN_BIND", f"{host}:{port}")
    namespace["workers"] = int(os.environ.get("GUNICORN_WORKERS", "2"))
    namespace["threads"] = int(os.environ.get("GUNICORN_THREADS", "4"))
    namespace["timeout"] = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
    namespace["graceful_timeout"] = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
    namespace["keepalive"] = 5
    namespace["accesslog"] = os.environ.get("GUNICORN_ACCESSLOG") or None
    namespace["logconfig_dict"] = _json_logging(service)
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        path = tempfile.mkdtemp(prefix=f"prom-{service}-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = path

    def child_exit(server: Any, worker: Any) -> None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

    namespace["child_exit"] = child_exit


def _json_logging(service: str) -> dict[str, Any]:
    """gunicorn's own lines (booting, worker exits) as the same JSON lines as the app's."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    logger = {"level": "INFO", "handlers": ["console"], "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "smartcity_shared.logs.JsonFormatter", "service": service}},
        "handlers": {"console": handler},
        "root": {"level": "INFO", "handlers": []},
        "loggers": {"gunicorn.error": logger, "gunicorn.access": logger},
    }
