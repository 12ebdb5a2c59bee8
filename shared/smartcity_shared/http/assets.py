"""Front-end files (Swagger UI, ...) served by the service itself under `/assets/<name>/`.

The packages and their exact versions are listed in `deploy/assets.txt`; `make install`
unpacks them into `.cache/assets/<name>/` and the container image into `/app/assets/`.
`ASSETS_DIR` says where they are (default: the checkout's `.cache/assets`).
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response, abort, send_from_directory

#: The URL prefix the files are served under.
PREFIX = "/assets"
CHECKOUT_ASSETS = Path(__file__).resolve().parents[3] / ".cache" / "assets"


def assets_dir() -> Path:
    return Path(os.environ.get("ASSETS_DIR") or CHECKOUT_ASSETS)


def url(name: str) -> str:
    """The base URL of package `name`'s files, ending in `/`."""
    return f"{PREFIX}/{name}/"


def register(app: Flask) -> None:
    """Serve `<ASSETS_DIR>/<name>/<path>` at `/assets/<name>/<path>` (cached a day)."""

    @app.get(f"{PREFIX}/<name>/<path:filename>")
    def asset(name: str, filename: str) -> Response:
        folder = assets_dir() / name
        if not name.replace("-", "").replace(".", "").isalnum() or not folder.is_dir():
            abort(404)
        return send_from_directory(folder, filename, max_age=86400)
