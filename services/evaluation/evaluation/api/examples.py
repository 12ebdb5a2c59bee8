"""Request-body examples for the OpenAPI document, one per input schema (Kabupaten Batang
demo-like values). tests/contracts/test_openapi_documents.py loads each with its schema (and
the framework with the domain parser)."""

from __future__ import annotations

from typing import Any

Doc = dict[str, Any]

CYCLE_ID = "kab-batang:2025:smart-city-6-pillars"
QUESTION = "q-governance-public-service-baseline"
LINK = "https://dinkes.batangkab.go.id/dokumen/data-dasar-layanan-2025.pdf"

REGION: Doc = {
    "region_id": "kab-batang",
    "name": "Kabupaten Batang",
    "kind": "regency",
    "timezone": "Asia/Jakarta",
    "admin_emails": ["smartcity@batangkab.go.id"],
    "mail_from": "smartcity@batangkab.go.id",
    "mail_from_name": "Smart City Kabupaten Batang",
}
REGION_PATCH: Doc = {"admin_emails": ["smartcity@batangkab.go.id", "bappeda@batangkab.go.id"]}
UNIT: Doc = {
    "code": "dinkes",
    "name": "Dinas Kesehatan",
    "head": "dr. Siti Rahmawati",
    "contact_emails": ["dinkes@batangkab.go.id"],
}
UNIT_PATCH: Doc = {"head": "dr. Agus Santoso", "contact_emails": ["dinkes@batangkab.go.id"]}
PERSON: Doc = {
    "name": "Dewi Lestari",
    "email": "dewi.lestari@batangkab.go.id",
    "role": "opd",
    "unit": "dinkes",
    "language": "id",
}
PERSON_PATCH: Doc = {"role": "assessor", "unit": ""}
FRAMEWORK: Doc = {
    "key": "kab-batang-smart-city-2025",
    "name": "Evaluasi Smart City Kabupaten Batang 2025",
    "scale_max": 5,
    "bands": [{"label": "Berkembang", "min": 0}, {"label": "Maju", "min": 3}],
    "dimensions": [
        {
            "key": "governance",
            "name": "Smart Governance",
            "indicators": [
                {
                    "key": "governance-public-service-baseline",
                    "name": "Pelayanan publik: Baseline",
                    "tags": {"pillar": "governance"},
                    "questions": [
                        {
                            "key": QUESTION,
                            "type": "level",
                            "required": True,
                            "text": "Seberapa lengkap data dasar pelayanan publik?",
                            "levels": [
                                {"label": "Belum ada", "criteria": "Belum ada data dasar."},
                                {"label": "Sebagian", "criteria": "Data dasar sebagian."},
                                {"label": "Lengkap", "criteria": "Data dasar lengkap."},
                            ],
                            "evidence": {"required_from_level": 2},
                        }
                    ],
                }
            ],
        }
    ],
}
CYCLE: Doc = {
    "year": 2025,
    "name": "Evaluasi Smart City 2025",
    "framework_key": "smart-city-6-pillars",
    "participants": ["dinkes", "disdikbud", "bappeda"],
    "phases": [
        {"phase": "self_assessment", "starts_on": "2025-03-01", "ends_on": "2025-04-30"},
        {"phase": "document_review", "starts_on": "2025-05-01", "ends_on": "2025-05-31"},
    ],
    "submission_deadline": "2025-04-30",
    "timezone": "Asia/Jakarta",
}
DEADLINE: Doc = {
    "submission_deadline": "2025-05-15",
    "reason": "Banyak OPD masih melengkapi dokumen pendukung",
}
PHASE: Doc = {"phase": "document_review", "reason": "Masa penilaian mandiri selesai"}
PARTICIPANT: Doc = {"unit": "dishub", "reason": "Dinas Perhubungan ikut evaluasi tahun ini"}
CARRY_FORWARD: Doc = {"from_cycle": "kab-batang:2024:smart-city-6-pillars"}
PUBLISH: Doc = {"excused": [{"unit": "dishub", "reason": "Baru bergabung setelah tenggat"}]}
DRAFT: Doc = {"answers": {QUESTION: 3}, "evidence": {QUESTION: [LINK]}}
REASON: Doc = {"reason": "Dokumen pendukung sudah dilengkapi"}
REVIEW: Doc = {
    "verified": {QUESTION: 2},
    "notes": {QUESTION: "Data dasar belum mencakup puskesmas pembantu"},
}
ACTION: Doc = {
    "reason": "Perlu perbaikan bukti",
    "comments": {QUESTION: "Lampirkan data dasar tahun 2024"},
}
GENERATE: Doc = {"threshold": 3, "due_in_days": 90, "limit": 5}
RECOMMENDATION: Doc = {
    "unit": "dinkes",
    "title": "Lengkapi data dasar pelayanan puskesmas",
    "text": "Kumpulkan data dasar layanan dari 21 puskesmas dan terbitkan sebagai data terbuka.",
    "priority": "high",
    "due_date": "2025-09-30",
    "cycle_id": CYCLE_ID,
    "indicator_key": "governance-public-service-baseline",
}
RECOMMENDATION_PATCH: Doc = {"priority": "medium", "due_date": "2025-10-31"}
STATUS: Doc = {
    "status": "in_progress",
    "note": "Data 15 dari 21 puskesmas sudah terkumpul",
    "evidence": [LINK],
}
NOTE: Doc = {"text": "Rapat koordinasi dengan Diskominfo dijadwalkan", "evidence": [LINK]}
RISK: Doc = {
    "unit": "dinkes",
    "programme": "SI-BUMIL",
    "title": "Bidan desa kekurangan sinyal internet",
    "description": "Pendataan daring terhambat di desa pegunungan Kecamatan Blado.",
    "perspective": "technology",
    "likelihood": 4,
    "impact": 3,
    "mitigation": "Mode luring dengan sinkronisasi di puskesmas",
    "owner": "Kepala Bidang Kesehatan Masyarakat",
    "review_date": "2025-06-30",
}
RISK_PATCH: Doc = {"status": "mitigating", "mitigation": "Mode luring sudah diuji coba"}
ASSESSMENT: Doc = {"likelihood": 2, "impact": 3, "note": "Mode luring mengurangi kemungkinan"}
