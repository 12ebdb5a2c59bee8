"""`StoreDirectory`: the domain's `Directory` over the service's copy of the directory topic.

The copy itself (collections `dir_regions`, `dir_units`, `dir_people`) is kept by the shared
`directory_copy.handlers`; this adapter only reads it. Lookups are cached for `ttl_s`
seconds (hits and misses), because one event asks for the same unit and people several
times; a directory change is therefore seen at most `ttl_s` late.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from pymongo.database import Database

from notification.domain.directory import (
    ALL_REGIONS,
    Person,
    Region,
    Unit,
    person_from_data,
    region_from_data,
    unit_from_data,
)
from smartcity_shared import directory_copy

T = TypeVar("T")


def unit_id(region: str, unit: str) -> str:
    """Events name a unit by its code (`dinkes`) or its id (`kab-batang:dinkes`)."""
    return unit if ":" in unit else f"{region}:{unit}"


def unit_code(unit: str | None) -> str:
    """The code part of a unit id (`kab-batang:dinkes` -> `dinkes`)."""
    return (unit or "").rsplit(":", 1)[-1]


class StoreDirectory:
    """Implements `notification.domain.directory.Directory`; thread-safe."""

    def __init__(self, db: Database[dict[str, Any]], ttl_s: float = 2.0) -> None:
        self.db = db
        self.ttl_s = ttl_s
        self._cache: dict[tuple[str, ...], tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def _cached(self, key: tuple[str, ...], load: Callable[[], T]) -> T:
        if self.ttl_s <= 0:
            return load()
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]  # type: ignore[no-any-return]
        value = load()
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[key] = (now + self.ttl_s, value)
        return value

    def region(self, region_id: str) -> Region | None:
        def load() -> Region | None:
            doc = self.db[directory_copy.REGIONS].find_one({"_id": region_id})
            return region_from_data(doc) if doc else None

        return self._cached(("region", region_id), load)

    def unit(self, region_id: str, unit: str) -> Unit | None:
        """The OPD; a region taking part as itself (unit = region id) is answered as a unit
        whose contacts are the region's admin addresses."""

        def load() -> Unit | None:
            if unit == region_id:
                region = self.region(region_id)
                if region is None:
                    return None
                return Unit(unit, region_id, region.name, region.admin_emails, region.active)
            doc = self.db[directory_copy.UNITS].find_one({"_id": unit_id(region_id, unit)})
            if doc is None or doc.get("region") != region_id:
                return None
            found = unit_from_data(doc)
            # Events may name the unit by code: answer under the name the caller asked for.
            return Unit(unit, found.region, found.name, found.contact_emails, found.active)

        return self._cached(("unit", region_id, unit), load)

    def people(self, region_id: str, role: str) -> list[Person]:
        def load() -> list[Person]:
            query = {"role": role, "active": True, "region": {"$in": [region_id, ALL_REGIONS]}}
            docs = self.db[directory_copy.PEOPLE].find(query).sort("email", 1)
            return [person_from_data(d) for d in docs]

        return self._cached(("people", region_id, role), load)

    def person_by_email(self, email: str) -> Person | None:
        wanted = email.strip().lower()

        def load() -> Person | None:
            pattern = f"^{re.escape(wanted)}$"
            query = {"email": {"$regex": pattern, "$options": "i"}, "active": True}
            doc = self.db[directory_copy.PEOPLE].find_one(query)
            return person_from_data(doc) if doc else None

        return self._cached(("person", wanted), load)

    def person(self, person_id: str) -> Person | None:
        def load() -> Person | None:
            doc = self.db[directory_copy.PEOPLE].find_one({"_id": person_id})
            return person_from_data(doc) if doc else None

        return self._cached(("person-id", person_id), load)

    def people_by_email(self, email: str) -> list[Person]:
        wanted = email.strip().lower()

        def load() -> list[Person]:
            pattern = f"^{re.escape(wanted)}$"
            query = {"email": {"$regex": pattern, "$options": "i"}}
            return [person_from_data(d) for d in self.db[directory_copy.PEOPLE].find(query)]

        return self._cached(("people-email", wanted), load)

    def admin_manages_address(self, region_id: str, email: str) -> bool:
        """May an admin of `region_id` manage the preferences of `email`? (docs/ACCESS.md)

        An address registered as a person belongs to the region(s) of those people: the admin
        manages it only when every such person is of its own region. An address that is no
        person's belongs to the regions that list it (unit contacts, admin addresses): the
        admin manages it only when its region is the one listing it. So typing an address into
        a unit of one's own region gives no rights over it."""
        people = self.people_by_email(email)
        if people:
            return all(p.region == region_id for p in people)
        return self.regions_listing(email) == {region_id}

    def regions_listing(self, email: str) -> set[str]:
        """The regions whose units or admin addresses list `email` (active or not)."""
        wanted = email.strip().lower()
        found = set()
        for doc in self.db[directory_copy.REGIONS].find({}, {"admin_emails": 1}):
            if wanted in {a.lower() for a in doc.get("admin_emails") or []}:
                found.add(str(doc["_id"]))
        for doc in self.db[directory_copy.UNITS].find({}, {"region": 1, "contact_emails": 1}):
            if wanted in {a.lower() for a in doc.get("contact_emails") or []}:
                found.add(str(doc.get("region")))
        return found
