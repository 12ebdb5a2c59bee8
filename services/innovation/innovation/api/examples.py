"""Request-body examples for the OpenAPI document, one per input schema (Kabupaten Batang
demo-like values). tests/contracts/test_openapi_documents.py loads each with its schema."""

from __future__ import annotations

from typing import Any

Doc = dict[str, Any]

EVIDENCE: Doc = {
    "url": "https://dinkes.batangkab.go.id/si-bumil/laporan-uji-coba-2025.pdf",
    "description": "Laporan uji coba SI-BUMIL di Puskesmas Batang I",
    "kind": "document",
}
INNOVATION: Doc = {
    "name": "SI-BUMIL: pendataan ibu hamil berisiko tinggi",
    "owner_unit": "dinkes",
    "partner_units": ["diskominfo"],
    "year": 2025,
    "initiator": "opd",
    "type": "digital",
    "form": "public_service",
    "pillar": "society",
    "description": "Bidan desa mencatat ibu hamil berisiko tinggi lewat ponsel.",
    "objective": "Menurunkan angka kematian ibu di Kabupaten Batang",
    "trial_start": "2025-03-01",
    "budget": 150000000,
    "beneficiaries": 1200,
}
INNOVATION_PATCH: Doc = {"objective": "Semua ibu hamil berisiko terpantau bidan", "budget": None}
STAGE_CHANGE: Doc = {"to": "trial", "date": "2025-03-01", "evidence": [EVIDENCE]}
DISCONTINUE: Doc = {
    "reason": "Digantikan aplikasi kesehatan ibu dari Kementerian Kesehatan",
    "date": "2025-11-30",
}
VERIFICATION: Doc = {
    "status": "needs_evidence",
    "note": "Lampirkan daftar hadir pelatihan bidan desa",
    "date": "2025-04-15",
}
MILESTONE: Doc = {"title": "Pelatihan bidan di 21 puskesmas", "planned_date": "2025-06-30"}
MILESTONE_PATCH: Doc = {"planned_date": "2025-07-31", "note": "Menunggu anggaran perubahan"}
COMPLETE: Doc = {"date": "2025-07-25"}
POLICY: Doc = {
    "required_per_unit": 3,
    "min_stage": "trial",
    "exempt_units": ["setwan"],
    "deadline": "2025-12-15",
}
PROGRAMME: Doc = {
    "id": "SG-01",
    "name": "Layanan perizinan terpadu daring",
    "pillar": "governance",
    "horizon": "short",
    "owner_unit": "dpmptsp",
    "start_year": 2025,
    "end_year": 2026,
    "status": "in_progress",
    "targets": [
        {"indicator": "Izin terbit daring (%)", "baseline": 40, "target": 90, "year": 2026}
    ],
}
PROGRAMME_PATCH: Doc = {"status": "on_hold", "description": "Menunggu integrasi OSS RBA"}
PLAN: Doc = {
    "title": "Masterplan Smart City Kabupaten Batang 2025-2029",
    "start_year": 2025,
    "end_year": 2029,
    "programmes": [PROGRAMME],
}
REVIEW: Doc = {
    "changes": "Program SG-01 diperpanjang sampai 2027",
    "reason": "Hasil evaluasi tengah tahun: integrasi OSS RBA tertunda",
    "end_year": 2029,
}

# --- responses (where a small one helps) ---------------------------------------------------

POLICY_OUT: Doc = {
    "id": "kab-batang:2025",
    "region": "kab-batang",
    "year": 2025,
    **POLICY,
    "is_default": False,
    "set_by": "demo-admin",
    "set_at": "2025-01-15T02:30:00+00:00",
    "revision": 1,
}
