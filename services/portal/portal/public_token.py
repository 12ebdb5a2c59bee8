"""The portal's own token for the public pages: the portal client's service account
(client credentials; a `viewer` of every region in the realm), fetched when first needed and
kept until shortly before it expires. It never leaves the server."""

from __future__ import annotations

import threading
import time
from typing import Any

import requests

from .clients import ApiProblem


class PublicToken:
    def __init__(self, metadata_url: str, client_id: str, secret: str, http: requests.Session):
        self.metadata_url, self.client_id, self.secret, self.http = (
            metadata_url,
            client_id,
            secret,
            http,
        )
        self._token, self._until, self._lock = "", 0.0, threading.Lock()

    def get(self) -> str:
        with self._lock:
            if not self._token or time.time() >= self._until:
                self._token, self._until = self._fetch()
            return self._token

    def _fetch(self) -> tuple[str, float]:
        endpoint = self._json("GET", self.metadata_url)["token_endpoint"]
        body = self._json(
            "POST",
            endpoint,
            data={"grant_type": "client_credentials"},
            auth=(self.client_id, self.secret),
        )
        lifetime = float(body.get("expires_in") or 60)
        return str(body["access_token"]), time.time() + max(5.0, lifetime - 30)

    def _json(self, method: str, url: str, **kw: Any) -> dict[str, Any]:
        r = self.http.request(method, url, timeout=10, **kw)
        if r.status_code != 200:
            raise ApiProblem(503, "Sign-in service unavailable", f"{url}: {r.status_code}", {})
        return r.json()  # type: ignore[no-any-return]
