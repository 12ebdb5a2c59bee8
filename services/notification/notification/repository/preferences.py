"""Per-address preferences (`preferences`, `_id` = the normalized e-mail address).

`effective(email, ...)` is what the worker decides with: the stored preference, else the
default (the directory's language for the person, the region's time zone). Reads are cached
for `ttl_s` seconds, so an edit takes effect within that time.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

from pymongo.database import Database

from notification.domain.preferences import (
    Preference,
    default_preference,
    preference_from_dict,
    preference_to_dict,
)
from notification.domain.rules import normalize_email

Doc = dict[str, Any]
COLLECTION = "preferences"


class PreferenceRepository:
    def __init__(self, db: Database[Doc], ttl_s: float = 2.0) -> None:
        self.coll = db[COLLECTION]
        self.ttl_s = ttl_s
        self._cache: dict[str, tuple[float, Preference | None]] = {}
        self._lock = threading.Lock()

    def get(self, email: str) -> Preference | None:
        """The stored preference, or None when the person never set one."""
        doc = self.coll.find_one({"_id": normalize_email(email)})
        if doc is None:
            return None
        fields = {k: doc[k] for k in ("language", "opt_out", "digest_hour", "timezone") if k in doc}
        return preference_from_dict(fields, email=str(doc["_id"]))

    def put(self, preference: Preference, by: str) -> Doc:
        doc = {
            **preference_to_dict(preference),
            "updated_at": datetime.now(UTC),
            "updated_by": by,
        }
        self.coll.replace_one(
            {"_id": preference.email}, {"_id": preference.email, **doc}, upsert=True
        )
        with self._lock:
            self._cache.pop(preference.email, None)
        return doc

    def effective(self, email: str, timezone: str, language: str) -> Preference:
        """The stored preference or the default one; cached."""
        address = normalize_email(email)
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(address)
        if hit is not None and hit[0] > now:
            stored = hit[1]
        else:
            stored = self.get(address)
            with self._lock:
                self._cache[address] = (now + self.ttl_s, stored)
        return stored or default_preference(address, timezone, language)
