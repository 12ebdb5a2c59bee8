"""Request-body examples for the OpenAPI document, one per input schema (Kabupaten Batang
demo-like values). tests/contracts/test_openapi_documents.py loads each with its schema."""

from __future__ import annotations

from typing import Any

Doc = dict[str, Any]

PREFERENCE: Doc = {
    "language": "id",
    "opt_out": ["info"],
    "digest_hour": 7,
    "timezone": "Asia/Jakarta",
}
RULE_BODY: Doc = {
    "event_type": "smartcity.risk.raised",
    "audiences": ["region_admins", "explicit"],
    "template": "risk_raised",
    "category": "risk",
    "urgent": True,
    "explicit": ["bappeda@batangkab.go.id"],
    "conditions": [{"path": "data.rating", "in": ["extreme"]}],
    "enabled": True,
}
RULE: Doc = {"id": "risiko-ekstrem-bappeda", **RULE_BODY}
PREVIEW: Doc = {"language": "id", "data": {"rating": "extreme"}}

# --- responses (where a small one helps) ---------------------------------------------------

PREFERENCE_OUT: Doc = {"email": "dewi.lestari@batangkab.go.id", **PREFERENCE, "stored": True}
STATS_OUT: Doc = {"counts": {"sent": 128, "pending": 3, "failed": 1}, "total": 132}
DEFAULTS_OUT: Doc = {"added": ["risk-raised-high", "quota-shortfall"]}
TEMPLATES_OUT: list[Doc] = [
    {"name": "quota_shortfall", "languages": ["id", "en"]},
    {"name": "submission_deadline", "languages": ["id", "en"]},
]
