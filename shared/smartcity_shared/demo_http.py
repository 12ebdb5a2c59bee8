"""The HTTP transport of the services' demo loaders (`python -m <svc>.demo`).

A loader talks to its own service like a portal would; tests hand it a Flask test client
instead, through the same `Send` shape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# send(method, path, headers, json body) -> (status, parsed JSON or text)
Send = Callable[[str, str, dict[str, str], Any], tuple[int, Any]]


def http_send(base_url: str) -> Send:
    """A `Send` over one keep-alive session to `base_url` (60 s timeout per call)."""
    import requests

    session = requests.Session()

    def send(method: str, path: str, headers: dict[str, str], body: Any) -> tuple[int, Any]:
        response = session.request(method, base_url + path, headers=headers, json=body, timeout=60)
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, response.text

    return send
