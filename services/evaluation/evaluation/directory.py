"""Use cases of the directory (regions, OPDs, people): stored with their directory events.

Every change publishes the entity's full current state on the compacted directory topic, so
other services rebuild their copy from the latest event per key.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from smartcity_shared.errors import Forbidden, NotFound
from smartcity_shared.events import new_event
from smartcity_shared.identity import Identity
from smartcity_shared.outbox import DocumentStore, retry_stale

Doc = dict[str, Any]
SOURCE = "evaluation"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _event(type: str, subject: str, data: Doc, region: str, cid: str) -> Doc:
    return new_event(type, SOURCE, subject, data, region=region, correlationid=cid)


def region_event(doc: Doc, cid: str) -> Doc:
    data = {k: doc[k] for k in ("name", "kind", "timezone", "active", "admin_emails")}
    data.update(mail_from=doc.get("mail_from"), mail_from_name=doc.get("mail_from_name", ""))
    return _event(
        "smartcity.directory.region.upserted",
        doc["_id"],
        {"region_id": doc["_id"], **data},
        doc["_id"],
        cid,
    )


def unit_event(doc: Doc, cid: str) -> Doc:
    data = {k: doc[k] for k in ("region", "code", "name", "head", "contact_emails", "active")}
    return _event(
        "smartcity.directory.unit.upserted",
        doc["_id"],
        {"unit_id": doc["_id"], **data},
        doc["region"],
        cid,
    )


def person_event(doc: Doc, cid: str) -> Doc:
    data = {k: doc[k] for k in ("region", "unit", "name", "email", "role", "language", "active")}
    return _event(
        "smartcity.directory.person.upserted",
        doc["_id"],
        {"person_id": doc["_id"], **data},
        doc["region"],
        cid,
    )


def require_admin(who: Identity, region: str) -> None:
    """The region's admin; another region is absent (404), like everywhere else."""
    require_visible(who, region)
    if not who.manages_region(region):
        raise Forbidden("only the region's admin may change its directory")


def require_visible(who: Identity, region: str) -> None:
    """Another region's entities are reported as absent, so nothing leaks."""
    if not who.sees_region(region):
        raise NotFound(f"region {region} not found")


def create_region(regions: DocumentStore, who: Identity, body: Doc, cid: str) -> Doc:
    if not who.manages_region(body["region_id"]):  # a new region: nothing to hide yet
        raise Forbidden("only the region's admin may change its directory")
    doc = {"_id": body.pop("region_id"), **body, "active": True, "created_at": _now()}
    return regions.insert(doc, [region_event(doc, cid)])


@retry_stale
def update_region(
    regions: DocumentStore, who: Identity, region: str, body: Doc, rev: int | None, cid: str
) -> Doc:
    require_admin(who, region)
    current = get_region(regions, who, region)
    doc = {**current, **body, "updated_at": _now()}
    return regions.save(doc, rev, [region_event(doc, cid)])


def get_region(regions: DocumentStore, who: Identity, region: str) -> Doc:
    require_visible(who, region)
    doc = regions.get(region)
    if doc is None:
        raise NotFound(f"region {region} not found")
    return doc


def list_regions(regions: DocumentStore, who: Identity) -> list[Doc]:
    query: Doc = {} if who.region == "*" else {"_id": who.region}
    return [d for d in regions.collection.find(query, {"_outbox": 0}).sort("_id", 1)]


def create_unit(
    regions: DocumentStore, units: DocumentStore, who: Identity, region: str, body: Doc, cid: str
) -> Doc:
    require_admin(who, region)
    get_region(regions, who, region)
    doc = {
        "_id": f"{region}:{body['code']}",
        "region": region,
        **body,
        "active": True,
        "created_at": _now(),
    }
    return units.insert(doc, [unit_event(doc, cid)])


def get_unit(units: DocumentStore, who: Identity, region: str, code: str) -> Doc:
    require_visible(who, region)
    doc = units.get(f"{region}:{code}")
    if doc is None:
        raise NotFound(f"unit {code} not found in {region}")
    return doc


@retry_stale
def update_unit(
    units: DocumentStore,
    who: Identity,
    region: str,
    code: str,
    body: Doc,
    rev: int | None,
    cid: str,
) -> Doc:
    require_admin(who, region)
    doc = {**get_unit(units, who, region, code), **body, "updated_at": _now()}
    return units.save(doc, rev, [unit_event(doc, cid)])


def list_units(units: DocumentStore, who: Identity, region: str, active: bool | None) -> list[Doc]:
    require_visible(who, region)
    query: Doc = {"region": region}
    if active is not None:
        query["active"] = active
    return list(units.collection.find(query, {"_outbox": 0}).sort("code", 1))


def create_person(
    units: DocumentStore, people: DocumentStore, who: Identity, region: str, body: Doc, cid: str
) -> Doc:
    require_admin(who, region)
    if body.get("unit"):
        get_unit(units, who, region, body["unit"])
    doc = {
        "_id": str(uuid.uuid4()),
        "region": region,
        "unit": body.get("unit") or "",
        "language": "id",
        **body,
        "active": True,
        "created_at": _now(),
    }
    return people.insert(doc, [person_event(doc, cid)])


@retry_stale
def update_person(
    people: DocumentStore,
    who: Identity,
    region: str,
    person_id: str,
    body: Doc,
    rev: int | None,
    cid: str,
) -> Doc:
    require_admin(who, region)
    current = people.get(person_id)
    if current is None or current["region"] != region:
        raise NotFound(f"person {person_id} not found")
    doc = {**current, **body, "updated_at": _now()}
    return people.save(doc, rev, [person_event(doc, cid)])


def list_people(people: DocumentStore, who: Identity, region: str) -> list[Doc]:
    require_admin(who, region)
    return list(people.collection.find({"region": region}, {"_outbox": 0}).sort("email", 1))
