"""Who owns, writes and reads a framework (docs/ACCESS.md), framework-free.

A framework is owned by the national catalogue (`owner: "national"`, also every version stored
before owners existed) or by one region (`owner: <region id>`). National frameworks are
written by admins whose token carries `catalogue: true`; a region's own frameworks by that
region's admins, with keys beginning `<region>-` (so one region can neither squat nor probe
another's keys). Published versions are read by everyone; drafts only by their writers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from smartcity_shared.errors import Forbidden, NotFound
from smartcity_shared.errors import ValidationProblem as Invalid
from smartcity_shared.identity import Identity

NATIONAL = "national"
PUBLISHED = "published"


def owner_of(doc: Mapping[str, Any]) -> str:
    return str(doc.get("owner") or NATIONAL)


def new_owner(who: Identity, region_known: bool) -> str:
    """The owner of a framework `who` creates; Forbidden when `who` may create none."""
    if who.role == "admin" and who.catalogue:
        return NATIONAL
    if who.role != "admin":
        raise Forbidden("only an admin may write frameworks")
    if not region_known:
        raise Forbidden(f"region {who.region} is not in the directory")
    return who.region


def check_key(owner: str, key: str) -> None:
    """A region's own framework keys begin with `<region>-` (422 otherwise)."""
    if owner != NATIONAL and not key.startswith(f"{owner}-"):
        message = f"a framework of {owner} has a key beginning with '{owner}-'"
        raise Invalid({"key": [message + " (national ones are written by the catalogue)"]})


def writes(who: Identity, owner: str) -> bool:
    if who.role != "admin":
        return False
    return who.catalogue if owner == NATIONAL else who.region == owner


def reads(who: Identity, doc: Mapping[str, Any]) -> bool:
    return doc["status"] == PUBLISHED or writes(who, owner_of(doc))


def require_writer(who: Identity, versions: Iterable[Mapping[str, Any]], what: str) -> None:
    """Forbidden when `who` may read but not write; NotFound when it may not even read."""
    docs = list(versions)
    if not docs:
        raise NotFound(f"{what} not found")
    if writes(who, owner_of(docs[-1])):
        return
    if any(reads(who, d) for d in docs):
        raise Forbidden(f"only the owner of {what} may change it")
    raise NotFound(f"{what} not found")


def usable_by(region: str, doc: Mapping[str, Any]) -> bool:
    """May a cycle of `region` use this version? National ones and the region's own."""
    return owner_of(doc) in (NATIONAL, region)
