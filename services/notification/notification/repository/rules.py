"""Recipient rules per region (`rules`), seeded from the shipped defaults once per region.

Documents: `_id` `<region>:<rule id>`, `region`, the rule's fields (`rules.rule_to_dict`) and
`_rev` (the ETag). The defaults are copied into a region the first time its rules are read
(insert-if-absent, then a marker in `rule_seeds`), so an admin's later deletions stick and
several replicas seeding at once do no harm. `active(region)` is what the worker routes with;
it is cached for `ttl_s` seconds, so an edit takes effect within that time.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from notification.domain.default_rules import DEFAULT_RULES
from notification.domain.rules import RecipientRule, rule_from_dict, rule_to_dict
from smartcity_shared.outbox import DocumentStore
from smartcity_shared.store import IndexSpec

Doc = dict[str, Any]
COLLECTION, SEEDS = "rules", "rule_seeds"
INDEXES: list[IndexSpec] = [(COLLECTION, [("region", ASCENDING), ("id", ASCENDING)], {})]


def rule_doc_id(region: str, rule_id: str) -> str:
    return f"{region}:{rule_id}"


class RuleRepository:
    def __init__(self, db: Database[Doc], ttl_s: float = 2.0) -> None:
        self.store = DocumentStore(db[COLLECTION])
        self.seeds = db[SEEDS]
        self.ttl_s = ttl_s
        self._cache: dict[str, tuple[float, tuple[RecipientRule, ...]]] = {}
        self._lock = threading.Lock()

    def ensure_seeded(self, region: str) -> None:
        """Copy the default rules into `region` unless that happened before."""
        if self.seeds.find_one({"_id": region}) is not None:
            return
        now = datetime.now(UTC)
        for raw in DEFAULT_RULES:
            doc = {**rule_to_dict(rule_from_dict(raw)), "_id": rule_doc_id(region, raw["id"])}
            try:
                self.store.collection.insert_one({**doc, "region": region, "_rev": 1, "at": now})
            except DuplicateKeyError:
                pass
        try:
            self.seeds.insert_one({"_id": region, "at": now})
        except DuplicateKeyError:
            pass

    def seed_defaults(self, region: str) -> list[str]:
        """Restore every missing default rule (an admin's explicit request); returns the ids
        added."""
        added = []
        for raw in DEFAULT_RULES:
            doc = {**rule_to_dict(rule_from_dict(raw)), "_id": rule_doc_id(region, raw["id"])}
            try:
                self.store.collection.insert_one({**doc, "region": region, "_rev": 1})
                added.append(str(raw["id"]))
            except DuplicateKeyError:
                pass
        self.ensure_seeded(region)
        self._forget(region)
        return added

    def list(self, region: str) -> list[Doc]:
        self.ensure_seeded(region)
        return list(self.store.collection.find({"region": region}).sort("id", ASCENDING))

    def get(self, region: str, rule_id: str) -> Doc | None:
        self.ensure_seeded(region)
        return self.store.get(rule_doc_id(region, rule_id))

    def insert(self, region: str, rule: RecipientRule) -> Doc:
        """Raises Conflict when the id exists in the region."""
        self.ensure_seeded(region)
        doc = {**rule_to_dict(rule), "_id": rule_doc_id(region, rule.id), "region": region}
        stored = self.store.insert(doc)
        self._forget(region)
        return stored

    def replace(self, region: str, rule: RecipientRule, expected_rev: int | None) -> Doc:
        """Raises NotFound, or PreconditionFailed on a stale `expected_rev`."""
        doc = {**rule_to_dict(rule), "_id": rule_doc_id(region, rule.id), "region": region}
        stored = self.store.save(doc, expected_rev)
        self._forget(region)
        return stored

    def delete(self, region: str, rule_id: str) -> bool:
        result = self.store.collection.delete_one({"_id": rule_doc_id(region, rule_id)})
        self._forget(region)
        return result.deleted_count == 1

    def active(self, region: str | None) -> tuple[RecipientRule, ...]:
        """The region's rules as domain objects (the defaults for an event without a region)."""
        if not region:
            return tuple(rule_from_dict(raw) for raw in DEFAULT_RULES)
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(region)
        if hit is not None and hit[0] > now:
            return hit[1]
        rules = tuple(rule_from_dict(_fields(doc)) for doc in self.list(region))
        with self._lock:
            self._cache[region] = (now + self.ttl_s, rules)
        return rules

    def _forget(self, region: str) -> None:
        with self._lock:
            self._cache.pop(region, None)


def _fields(doc: Doc) -> Doc:
    """The rule's own fields of a stored document."""
    keys = ("id", "event_type", "audiences", "template", "category", "urgent", "explicit")
    out = {k: doc[k] for k in keys if k in doc}
    out["conditions"] = doc.get("conditions") or []
    for optional in ("unit_path", "enabled"):
        if doc.get(optional) is not None:
            out[optional] = doc[optional]
    return out
