"""Use cases of frameworks: evaluation forms as versioned data.

A framework version is stored as `{_id: "<key>@<version>", key, version, status, name,
document_json}` where `document_json` is `framework_to_dict(parse_framework(input))` as JSON
text (so reading it back always parses, and the store never sees the nested arrays of number
bands, which FerretDB rejects); readers get it back as `document`. Versions are `draft`
until published; a published version never changes:
editing it stores the next version as a draft (cycles freeze the version they use). Each
version has an `owner` (the national catalogue or one region, `framework_access`) and an
`audit` list of every change (created, edited, published: when, by whom).
"""

from __future__ import annotations

import json
import threading
from typing import Any

from smartcity_shared.errors import Conflict, NotFound, PreconditionFailed
from smartcity_shared.errors import ValidationProblem as Invalid
from smartcity_shared.identity import Identity
from smartcity_shared.outbox import DocumentStore, retry_stale
from smartcity_shared.store import reject_unsafe_keys

from . import framework_access as access
from .common import Doc, iso, listed, now, who_name
from .domain import Framework, framework_to_dict, parse_framework

DRAFT, PUBLISHED = "draft", access.PUBLISHED


def framework_id(key: str, version: int) -> str:
    return f"{key}@{version}"


def _audit(doc: Doc, who: Identity, action: str) -> list[Doc]:
    entry = {"at": iso(now()), "by": who_name(who), "sub": who.sub, "action": action}
    return [*doc.get("audit", []), entry]


def _parse(document: Any, key: str | None, version: int) -> Framework:
    reject_unsafe_keys(document)
    if not isinstance(document, dict):
        raise Invalid({"_schema": ["must be an object"]})
    if key is not None and document.get("key", key) != key:
        raise Invalid({"key": [f"must be {key!r} (the framework being edited)"]})
    return parse_framework({**document, "key": key or document.get("key"), "version": version})


def _version_doc(framework: Framework, who: Identity, owner: str) -> Doc:
    return {
        "_id": framework_id(framework.key, framework.version),
        "key": framework.key,
        "version": framework.version,
        "name": framework.name,
        "status": DRAFT,
        "document_json": json.dumps(framework_to_dict(framework), ensure_ascii=False),
        "created_at": iso(now()),
        "created_by": who_name(who),
        "region": who.region,
        "owner": owner,
    }


def with_document(doc: Doc) -> Doc:
    """A stored version as readers see it: the framework document decoded."""
    shown = {k: v for k, v in doc.items() if k != "document_json"}
    shown["document"] = json.loads(doc["document_json"])
    shown["owner"] = access.owner_of(doc)
    return shown


def versions_of(store: DocumentStore, key: str) -> list[Doc]:
    return listed(store, {"key": key}, [("version", 1)])


def create_framework(
    store: DocumentStore, who: Identity, document: Any, region_known: bool = False
) -> Doc:
    """Store version 1 of a new framework as a draft, owned by the national catalogue (a
    `catalogue` admin) or by the admin's region (`region_known`: it is in the directory).
    Conflict when the key exists."""
    owner = access.new_owner(who, region_known)
    framework = _parse(document, None, 1)
    access.check_key(owner, framework.key)
    if store.collection.find_one({"key": framework.key}, {"_id": 1}):
        raise Conflict(f"framework {framework.key} exists; edit it to make a new version")
    doc = _version_doc(framework, who, owner)
    return with_document(store.insert({**doc, "audit": _audit({}, who, "created")}))


def edit_framework(
    store: DocumentStore, who: Identity, key: str, document: Any, rev: int | None
) -> Doc:
    """Replace the latest draft, or store the next version when the latest is published.

    `rev` (If-Match) must be the latest version's revision when given (412 otherwise).
    """
    versions = versions_of(store, key)
    access.require_writer(who, versions, f"framework {key}")
    latest = versions[-1]
    owner = access.owner_of(latest)
    if rev is not None and rev != latest["_rev"]:
        raise PreconditionFailed(f"framework {key} has changed (revision {latest['_rev']})")
    if latest["status"] == DRAFT:
        framework = _parse(document, key, latest["version"])
        doc = {**latest, **_version_doc(framework, who, owner), "created_at": latest["created_at"]}
        doc["audit"] = _audit(latest, who, "edited")
        return with_document(store.save(doc, latest["_rev"]))
    framework = _parse(document, key, latest["version"] + 1)
    doc = _version_doc(framework, who, owner)
    return with_document(store.insert({**doc, "audit": _audit({}, who, "created")}))


@retry_stale
def publish_framework(
    store: DocumentStore, who: Identity, key: str, version: int, rev: int | None
) -> Doc:
    """draft -> published (then immutable); Conflict when already published."""
    doc = store.get(framework_id(key, version))
    what = f"framework {key} version {version}"
    access.require_writer(who, [doc] if doc else [], what)
    assert doc is not None
    if doc["status"] == PUBLISHED:
        raise Conflict(f"{what} is already published")
    changed = {
        **doc,
        "status": PUBLISHED,
        "published_at": iso(now()),
        "published_by": who_name(who),
        "audit": _audit(doc, who, "published"),
    }
    return with_document(store.save(changed, rev))


def _readable(who: Identity, doc: Doc) -> bool:
    return access.reads(who, doc)


def summary(versions: list[Doc]) -> Doc:
    latest = versions[-1]
    published = [v["version"] for v in versions if v["status"] == PUBLISHED]
    return {
        "key": latest["key"],
        "name": latest["name"],
        "owner": access.owner_of(latest),
        "latest_version": latest["version"],
        "published_version": published[-1] if published else None,
        "versions": [
            {"version": v["version"], "status": v["status"], "published_at": v.get("published_at")}
            for v in versions
        ],
    }


def list_frameworks(store: DocumentStore, who: Identity) -> list[Doc]:
    by_key: dict[str, list[Doc]] = {}
    for doc in listed(store, {}, [("key", 1), ("version", 1)]):
        if _readable(who, doc):
            by_key.setdefault(doc["key"], []).append(doc)
    return [summary(versions) for _, versions in sorted(by_key.items())]


def get_framework(store: DocumentStore, who: Identity, key: str) -> Doc:
    versions = [v for v in versions_of(store, key) if _readable(who, v)]
    if not versions:
        raise NotFound(f"framework {key} not found")
    return summary(versions)


def get_version(store: DocumentStore, who: Identity, key: str, version: int) -> Doc:
    doc = store.get(framework_id(key, version))
    if doc is None or not _readable(who, doc):
        raise NotFound(f"framework {key} version {version} not found")
    return with_document(doc)


class FrameworkCache:
    """Parsed published framework versions, kept in memory (they never change)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, int], Framework] = {}
        self._lock = threading.Lock()

    def load(self, store: DocumentStore, key: str, version: int) -> Framework:
        """The parsed framework version; NotFound when it does not exist."""
        cached = self._cache.get((key, version))
        if cached is not None:
            return cached
        doc = store.get(framework_id(key, version))
        if doc is None:
            raise NotFound(f"framework {key} version {version} not found")
        framework = parse_framework(json.loads(doc["document_json"]))
        if doc["status"] == PUBLISHED:
            with self._lock:
                self._cache[(key, version)] = framework
        return framework
