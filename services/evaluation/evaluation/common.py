"""Helpers every evaluation use case shares: time, events, access rules, unit lookup.

Access follows CONTRACT.md: another region's (or, for an OPD, another unit's) objects are
reported as absent (NotFound), a role without the right gets Forbidden.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from smartcity_shared.errors import Conflict, Forbidden, NotFound
from smartcity_shared.events import new_event
from smartcity_shared.identity import Identity
from smartcity_shared.outbox import DocumentStore

Doc = dict[str, Any]
SOURCE = "evaluation"


def now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """An instant as ISO 8601 UTC with a `Z` (what events and documents carry)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_instant(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def today() -> date:
    return now().date()


def event(type: str, subject: str, data: Doc, region: str, cid: str) -> Doc:
    """An evaluation event (CloudEvents envelope, data checked against its schema)."""
    return new_event(type, SOURCE, subject, data, region=region, correlationid=cid)


def who_name(who: Identity) -> str:
    return who.name or who.email or who.sub


def require_visible(who: Identity, region: str, what: str = "region") -> None:
    """Another region's objects do not exist for this caller."""
    if not who.sees_region(region):
        raise NotFound(f"{what} not found")


def require_admin(who: Identity, region: str) -> None:
    require_visible(who, region)
    if not who.manages_region(region):
        raise Forbidden("only the region's admin may do this")


def is_reviewer(who: Identity, region: str) -> bool:
    return who.reviews_region(region) or who.manages_region(region)


def require_reviewer(who: Identity, region: str) -> None:
    require_visible(who, region)
    if not is_reviewer(who, region):
        raise Forbidden("only an assessor of this region or its admin may do this")


def get_or_404(store: DocumentStore, id: str, what: str) -> Doc:
    doc = store.get(id)
    if doc is None:
        raise NotFound(f"{what} {id} not found")
    return doc


def unit_id(region: str, code: str) -> str:
    """The directory id of a participant: `<region>:<code>`, or the region for the regency."""
    return region if code == region else f"{region}:{code}"


def unit_names(units: DocumentStore, regions: DocumentStore, region: str) -> dict[str, str]:
    """`{code: name}` of the region's units, plus the region itself under its own id."""
    names = {
        doc["code"]: doc["name"]
        for doc in units.collection.find({"region": region}, {"code": 1, "name": 1})
    }
    region_doc = regions.get(region)
    if region_doc is not None:
        names[region] = region_doc.get("name", region)
    return names


def participant(region: str, code: str, name: str) -> Doc:
    """A participant entry as stored on cycles and sent in events."""
    return {"unit": unit_id(region, code), "unit_code": code, "unit_name": name}


def listed(store: DocumentStore, query: Doc, sort: Iterable[tuple[str, int]]) -> list[Doc]:
    """Documents matching `query` without outbox bookkeeping."""
    fields = {"_outbox": 0, "_pending": 0, "_lease": 0}
    return list(store.collection.find(query, fields).sort(list(sort)))


def scoped_id(region: str, chosen: str) -> str:
    """The stored id of a user-chosen id (`risk_id`, `recommendation_id`): unique per region,
    so one region's ids neither collide with nor reveal another's (`<region>:<chosen>`).
    Ids already built from the region (generated recommendations) are kept as they are."""
    return chosen if chosen.startswith(f"{region}:") else f"{region}:{chosen}"


def get_scoped(store: DocumentStore, region: str, id: str) -> Doc | None:
    """The region's document named `id`: the chosen id scoped to the region, else a stored id
    as is (uuids, and ids stored before they were scoped); None when it is another region's."""
    doc = store.get(scoped_id(region, id)) or store.get(id)
    return doc if doc is not None and doc.get("region") == region else None


def require_new(store: DocumentStore, region: str, chosen: str | None, what: str) -> None:
    """Conflict when the region already holds `chosen` (also as an id stored before ids were
    scoped); another region's ids are not looked at."""
    if chosen and get_scoped(store, region, chosen) is not None:
        raise Conflict(f"{what} {chosen} already exists")
