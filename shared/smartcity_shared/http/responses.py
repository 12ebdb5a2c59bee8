"""Documents out: `_rev` becomes the ETag header and a `revision` field."""

from __future__ import annotations

from typing import Any

from .etag import etag


def with_etag(doc: dict[str, Any], status: int = 200) -> tuple[dict[str, Any], int, dict[str, str]]:
    """(body, status, headers) for a flask-smorest view returning one stored document."""
    rev = int(doc.get("_rev", 0))
    body = {k: v for k, v in doc.items() if k != "_rev"}
    body["revision"] = rev
    return body, status, {"ETag": etag(rev)}


def file_doc(*media_types: str, description: str = "The file") -> dict[str, Any]:
    """`@blp.doc(**file_doc(XLSX))` on a view that answers a download itself: documents its
    200 with the file's media types (not the JSON a flask-smorest response would be)."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    content = {media_type: binary for media_type in media_types}
    return {"responses": {"200": {"description": description, "content": content}}}
