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
