"""The notification service's own copy of the directory, rebuilt from `smartcity.directory`.

Handlers are idempotent: each stores the entity's latest state, skipping an older event
(by event time) that arrives after a newer one.
"""

from __future__ import annotations

from typing import Any

from pymongo.database import Database
from smartcity_shared.consumer import Event, Handler


def _upsert(db: Database[dict[str, Any]], collection: str, id: str, event: Event) -> None:
    doc = {**event.data, "_id": id, "event_time": event.time, "event_id": event.id}
    current = db[collection].find_one({"_id": id}, {"event_time": 1})
    if current is not None and str(current.get("event_time", "")) > event.time:
        return  # a newer state is already stored
    db[collection].replace_one({"_id": id}, doc, upsert=True)


def handlers(db: Database[dict[str, Any]]) -> dict[str, Handler]:
    return {
        "smartcity.directory.region.upserted": lambda e: _upsert(db, "regions", e.data["region_id"], e),
        "smartcity.directory.unit.upserted": lambda e: _upsert(db, "units", e.data["unit_id"], e),
        "smartcity.directory.person.upserted": lambda e: _upsert(db, "people", e.data["person_id"], e),
    }
