"""Reads from the store, returning domain objects (writes go through DocumentStore).

Every read is scoped by region; an object of another region is reported as absent.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pymongo.database import Database

from smartcity_shared import directory_copy
from smartcity_shared.errors import NotFound

from . import documents as docs
from .bootstrap import COMPLIANCE, COMPLIANCE_HEADS, INNOVATIONS, MASTERPLANS, POLICIES
from .domain.innovation import Innovation
from .domain.masterplan import MasterPlan
from .domain.quota import ComplianceReport, QuotaPolicy, default_policy

Db = Database[dict[str, Any]]
Doc = dict[str, Any]
HIDDEN = {"_outbox": 0, "_pending": 0, "_lease": 0}


# --- directory copy ----------------------------------------------------------------------


def unit_id(region: str, code: str) -> str:
    return f"{region}:{code}"


def active_units(db: Db, region: str) -> list[Doc]:
    """The region's active OPDs from the directory copy, by code."""
    return directory_copy.units_of(db, region, active_only=True)


def unit_names(db: Db, region: str) -> dict[str, str]:
    """Code -> name of every OPD of the region the copy knows (inactive ones included)."""
    return {u["code"]: u["name"] for u in directory_copy.units_of(db, region, active_only=False)}


def unit_refs(db: Db, region: str) -> dict[str, Doc]:
    """Code -> what an event says about each OPD of the region (see `ref_of`); one query."""
    found = directory_copy.units_of(db, region, active_only=False)
    return {u["code"]: ref_of(region, u["code"], u) for u in found}


def unit_ref(db: Db, region: str, code: str) -> Doc:
    found = db[directory_copy.UNITS].find_one({"_id": unit_id(region, code)})
    return ref_of(region, code, found)


def ref_of(region: str, code: str, unit: Doc | None) -> Doc:
    """An OPD in an event: id, code, name and contacts (the code as name when unknown)."""
    unit = unit or {}
    return {
        "region": region,
        "unit": unit_id(region, code),
        "unit_code": code,
        "unit_name": unit.get("name") or code,
        "contact_emails": list(unit.get("contact_emails") or []),
    }


def unknown_units(db: Db, region: str, codes: Iterable[str]) -> list[str]:
    """The codes that are not active OPDs of the region."""
    known = {u["code"] for u in active_units(db, region)}
    return [c for c in codes if c not in known]


def known_regions(db: Db) -> list[str]:
    """Regions the service has anything of: the directory copy, policies or innovations."""
    found = set(db[directory_copy.REGIONS].distinct("_id"))
    found |= set(db[POLICIES].distinct("region")) | set(db[INNOVATIONS].distinct("region"))
    return sorted(str(r) for r in found if r)


# --- innovations -------------------------------------------------------------------------


def innovation_doc(db: Db, region: str, innovation_id: str) -> Doc:
    """The stored innovation (without outbox fields); NotFound also for another region's."""
    doc = db[INNOVATIONS].find_one({"_id": innovation_id}, HIDDEN)
    if doc is None or doc.get("region") != region:
        raise NotFound(f"innovation {innovation_id} not found")
    return doc


def innovations(db: Db, region: str, **criteria: Any) -> list[Innovation]:
    """The region's innovations matching exact `criteria` (e.g. year=2020), by year and name."""
    query = {"region": region, **{k: v for k, v in criteria.items() if v is not None}}
    found = db[INNOVATIONS].find(query, HIDDEN).sort([("year", -1), ("name", 1)])
    return [docs.innovation_from(d) for d in found]


def innovation_docs(db: Db, region: str, **criteria: Any) -> list[Doc]:
    query = {"region": region, **{k: v for k, v in criteria.items() if v is not None}}
    return list(db[INNOVATIONS].find(query, HIDDEN).sort([("year", -1), ("name", 1), ("_id", 1)]))


def innovation_years(db: Db, region: str) -> list[int]:
    return sorted(int(y) for y in db[INNOVATIONS].distinct("year", {"region": region}))


def innovations_with_milestones(db: Db) -> list[Innovation]:
    """Active innovations of every region that have milestones (for the scan)."""
    found = db[INNOVATIONS].find({"stage": {"$ne": "discontinued"}}, HIDDEN)
    return [docs.innovation_from(d) for d in found if d.get("milestones")]


# --- master plans ------------------------------------------------------------------------


def plan_doc(db: Db, region: str, plan_id: str) -> Doc:
    doc = db[MASTERPLANS].find_one({"_id": docs.plan_doc_id(region, plan_id)}, HIDDEN)
    if doc is None:
        raise NotFound(f"master plan {plan_id} not found")
    return doc


def plan_docs(db: Db, region: str) -> list[Doc]:
    return list(db[MASTERPLANS].find({"region": region}, HIDDEN).sort("start_year", -1))


def plans(db: Db, region: str) -> list[MasterPlan]:
    return [docs.plan_from(d) for d in plan_docs(db, region)]


def programme_ids(db: Db, region: str) -> set[str]:
    """Ids of every programme in the region's master plans."""
    return {p.id for plan in plans(db, region) for p in plan.programmes}


# --- quota -------------------------------------------------------------------------------


def stored_policy(db: Db, region: str, year: int) -> Doc | None:
    return db[POLICIES].find_one({"_id": docs.policy_id(region, year)}, HIDDEN)


def policy(db: Db, region: str, year: int) -> QuotaPolicy:
    """The policy an admin set for the region and year, else the default (3, trial)."""
    doc = stored_policy(db, region, year)
    return docs.policy_from(doc) if doc else default_policy(region, year)


def policy_years(db: Db, region: str) -> list[int]:
    return sorted(int(y) for y in db[POLICIES].distinct("year", {"region": region}))


def snapshot(db: Db, region: str, year: int) -> tuple[ComplianceReport | None, int]:
    """The latest stored compliance snapshot and its sequence number (None, 0 when none).

    Starts at the head hint and probes the next ids, so a hint left behind by a race costs a
    probe or two; without a usable hint it looks among the region-year's (few) snapshots.
    """
    pid = docs.policy_id(region, year)
    head = db[COMPLIANCE_HEADS].find_one({"_id": pid}) or {}
    hint = int(head.get("seq", 0))
    found = db[COMPLIANCE].find_one({"_id": snapshot_id(pid, hint)}, HIDDEN) if hint else None
    if found is None:
        found = _latest_by_scan(db, region, year)
    seq = int(found["seq"]) if found else 0
    while following := db[COMPLIANCE].find_one({"_id": snapshot_id(pid, seq + 1)}, HIDDEN):
        found, seq = following, seq + 1
    if seq != hint:
        set_head(db, region, year, seq)
    return (docs.report_from(found) if found else None), seq


def _latest_by_scan(db: Db, region: str, year: int) -> Doc | None:
    seqs = [
        int(d["seq"]) for d in db[COMPLIANCE].find({"region": region, "year": year}, {"seq": 1})
    ]
    if not seqs:
        return None
    pid = docs.policy_id(region, year)
    return db[COMPLIANCE].find_one({"_id": snapshot_id(pid, max(seqs))}, HIDDEN)


def prune_snapshots(db: Db, region: str, year: int, latest: int) -> None:
    """Drops snapshots before the previous one whose events went out (never a pending one)."""
    query = {"region": region, "year": year, "seq": {"$lt": latest - 1}}
    db[COMPLIANCE].delete_many({**query, "_pending": {"$exists": False}})


def snapshot_id(pid: str, seq: int) -> str:
    return f"{pid}:{seq:06d}"


def set_head(db: Db, region: str, year: int, seq: int) -> None:
    pid = docs.policy_id(region, year)
    db[COMPLIANCE_HEADS].update_one({"_id": pid}, {"$set": {"seq": seq}}, upsert=True)
