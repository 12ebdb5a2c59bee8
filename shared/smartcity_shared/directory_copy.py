"""A service's own copy of the directory (regions, units, people), rebuilt from the compacted
`smartcity.directory` topic. Each handler stores the entity's latest state and is idempotent;
an older event (by event time) arriving after a newer one is skipped.

Collections: `dir_regions`, `dir_units` (id `<region>:<code>`), `dir_people`.
"""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING
from pymongo.database import Database

from .consumer import Event, Handler
from .store import IndexSpec

REGIONS, UNITS, PEOPLE = "dir_regions", "dir_units", "dir_people"
INDEXES: list[IndexSpec] = [
    (UNITS, [("region", ASCENDING), ("code", ASCENDING)], {}),
    (PEOPLE, [("region", ASCENDING), ("role", ASCENDING)], {}),
]


def _upsert(db: Database[dict[str, Any]], collection: str, id: str, event: Event) -> None:
    current = db[collection].find_one({"_id": id}, {"event_time": 1})
    if current is not None and str(current.get("event_time", "")) > event.time:
        return  # a newer state is already stored
    doc = {**event.data, "_id": id, "event_time": event.time, "event_id": event.id}
    db[collection].replace_one({"_id": id}, doc, upsert=True)


def handlers(db: Database[dict[str, Any]]) -> dict[str, Handler]:
    """Handlers for the directory event types, writing into `db`."""
    return {
        "smartcity.directory.region.upserted": lambda e: _upsert(
            db, REGIONS, e.data["region_id"], e
        ),
        "smartcity.directory.unit.upserted": lambda e: _upsert(db, UNITS, e.data["unit_id"], e),
        "smartcity.directory.person.upserted": lambda e: _upsert(
            db, PEOPLE, e.data["person_id"], e
        ),
    }


def units_of(
    db: Database[dict[str, Any]], region: str, active_only: bool = True
) -> list[dict[str, Any]]:
    query: dict[str, Any] = {"region": region}
    if active_only:
        query["active"] = True
    return list(db[UNITS].find(query).sort("code", ASCENDING))


def region(db: Database[dict[str, Any]], region_id: str) -> dict[str, Any] | None:
    return db[REGIONS].find_one({"_id": region_id})
