"""JSON logs with the correlation id of the request or event being handled.

Every line on stderr is one JSON object: `time`, `level`, `service`, `logger`, `message`,
the `correlation_id` when one is set (an HTTP request's `X-Correlation-ID`, or the
`correlationid` of the event a worker handles, see `bound`), any `fields` passed with
`extra={"fields": {...}}` (the access log's method, path, status, duration), and
`exception` for a traceback. Errors Python would print raw (an exception in `__del__`, in a
thread) are logged the same way, so the stream stays JSON lines.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

correlation_id: contextvars.ContextVar[str] = contextvars.ContextVar("correlation_id", default="")
log = logging.getLogger(__name__)


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        cid = correlation_id.get()
        if cid:
            body["correlation_id"] = cid
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            body.update({k: v for k, v in fields.items() if k not in body})
        if record.exc_info:
            body["exception"] = self.formatException(record.exc_info)
        return json.dumps(body, default=str)


@contextlib.contextmanager
def bound(cid: str) -> Iterator[None]:
    """Log with correlation id `cid` inside the block (nothing changes when it is empty)."""
    if not cid:
        yield
        return
    token = correlation_id.set(cid)
    try:
        yield
    finally:
        correlation_id.reset(token)


def brief(exc: BaseException, limit: int = 160) -> str:
    """`Type: first line of the message`, cut to `limit` characters (a store or broker
    outage's message can run to kilobytes of topology description)."""
    text = (str(exc).splitlines() or [""])[0]
    if len(text) > limit:
        text = text[:limit] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _unraisable(info: Any) -> None:
    where = getattr(info.object, "__qualname__", None) or repr(info.object)[:80]
    log.warning("ignored error in %s: %s", where, brief(info.exc_value or Exception()))


def _thread_crash(args: threading.ExceptHookArgs) -> None:
    name = args.thread.name if args.thread else "?"
    exc_info = (args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)
    log.error("thread %s crashed", name, exc_info=exc_info)


def configure(service: str, level: str = "INFO") -> None:
    """Send every logger's records to stderr as one JSON object a line."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("kafka").setLevel(logging.CRITICAL)  # we log outages ourselves, once
    sys.unraisablehook = _unraisable
    threading.excepthook = _thread_crash
