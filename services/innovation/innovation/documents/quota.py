"""Quota policies and compliance reports as documents (`_id` from `<region>:<year>`)."""

from __future__ import annotations

from ..domain.quota import (
    ComplianceReport,
    ComplianceStatus,
    ComplianceTotals,
    QuotaPolicy,
    UnitCompliance,
)
from ..domain.vocab import Stage
from .common import Doc, day, iso


def policy_id(region: str, year: int) -> str:
    return f"{region}:{year}"


def policy_doc(p: QuotaPolicy) -> Doc:
    return {
        "_id": policy_id(p.region, p.year),
        "region": p.region,
        "year": p.year,
        "required_per_unit": p.required_per_unit,
        "min_stage": p.min_stage.value,
        "exempt_units": sorted(p.exempt_units),
        "deadline": iso(p.deadline),
    }


def policy_from(doc: Doc) -> QuotaPolicy:
    return QuotaPolicy(
        region=doc["region"],
        year=int(doc["year"]),
        required_per_unit=int(doc["required_per_unit"]),
        min_stage=Stage(doc["min_stage"]),
        exempt_units=frozenset(doc.get("exempt_units", [])),
        deadline=day(doc.get("deadline")),
    )


def _unit_row_doc(row: UnitCompliance) -> Doc:
    return {
        "unit": row.unit,
        "required": row.required,
        "counted": row.counted,
        "shortfall": row.shortfall,
        "exempt": row.exempt,
        "status": row.status.value,
        "registered": row.registered,
        "by_stage": dict(row.by_stage),
        "innovation_ids": list(row.innovation_ids),
    }


def _unit_row_from(doc: Doc) -> UnitCompliance:
    return UnitCompliance(
        unit=doc["unit"],
        required=int(doc["required"]),
        counted=int(doc["counted"]),
        shortfall=int(doc["shortfall"]),
        exempt=bool(doc["exempt"]),
        status=ComplianceStatus(doc["status"]),
        registered=int(doc["registered"]),
        by_stage=dict(doc.get("by_stage", {})),
        innovation_ids=tuple(doc.get("innovation_ids", [])),
    )


def report_doc(report: ComplianceReport) -> Doc:
    """The stored snapshot of a compliance report (`_id` = the policy id)."""
    return {
        "_id": policy_id(report.region, report.year),
        "region": report.region,
        "year": report.year,
        "as_of": iso(report.as_of),
        "required_per_unit": report.required_per_unit,
        "min_stage": report.min_stage.value,
        "deadline": iso(report.deadline),
        "units": [_unit_row_doc(row) for row in report.units],
        "totals": dict(vars(report.totals)),
        "unlisted_units": list(report.unlisted_units),
    }


def report_from(doc: Doc) -> ComplianceReport:
    as_of, deadline = day(doc["as_of"]), day(doc["deadline"])
    assert as_of is not None and deadline is not None
    return ComplianceReport(
        region=doc["region"],
        year=int(doc["year"]),
        as_of=as_of,
        required_per_unit=int(doc["required_per_unit"]),
        min_stage=Stage(doc["min_stage"]),
        deadline=deadline,
        units=tuple(_unit_row_from(row) for row in doc.get("units", [])),
        totals=ComplianceTotals(**doc["totals"]),
        unlisted_units=tuple(doc.get("unlisted_units", [])),
    )
