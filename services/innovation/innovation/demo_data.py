"""The Kabupaten Batang demo data of the innovation service (docs/DEMO.md), as request bodies.

2020 compliance (3 required at trial or beyond): dinkes, disparpora, diskominfo and dpmptsp
comply; disdikbud, dinsos and disperindagkop are short; bappeda, dpupr and dlh have one
counted; dishub has none at all.
"""

from __future__ import annotations

from typing import Any

REGION = "kab-batang"
OPDS = (
    "dinkes",
    "disdikbud",
    "bappeda",
    "diskominfo",
    "dpupr",
    "dinsos",
    "dlh",
    "disperindagkop",
    "disparpora",
    "dishub",
    "dpmptsp",
)


def _programme(
    id: str, name: str, pillar: str, horizon: str, owner: str, **extra: Any
) -> dict[str, Any]:
    return {
        "id": id,
        "name": name,
        "pillar": pillar,
        "horizon": horizon,
        "owner_unit": owner,
        **extra,
    }


MASTER_PLAN: dict[str, Any] = {
    "title": "Masterplan Smart City Kabupaten Batang 2018-2027",
    "start_year": 2018,
    "end_year": 2027,
    "programmes": [
        _programme(
            "SG-01",
            "SPBE terpadu dan satu data Batang",
            "governance",
            "short",
            "diskominfo",
            status="in_progress",
            targets=[
                {
                    "indicator": "Indeks SPBE",
                    "baseline": 2.1,
                    "target": 3.5,
                    "measure": "index",
                    "year": 2022,
                }
            ],
        ),
        _programme(
            "SG-02",
            "Perizinan online satu pintu",
            "governance",
            "quick_win",
            "dpmptsp",
            status="completed",
        ),
        _programme(
            "SB-01",
            "Wisata hutan jati dan pasar rakyat",
            "branding",
            "quick_win",
            "disparpora",
            start_year=2019,
            status="in_progress",
            targets=[
                {
                    "indicator": "Wisatawan per tahun",
                    "baseline": 50000,
                    "target": 120000,
                    "measure": "people",
                }
            ],
        ),
        _programme("SB-02", "Citra kota dan ruang publik", "branding", "medium", "dpupr"),
        _programme(
            "SE-01",
            "UMKM naik kelas dan koperasi digital",
            "economy",
            "short",
            "disperindagkop",
            start_year=2019,
            status="in_progress",
        ),
        _programme(
            "SE-02", "Transaksi non-tunai di pasar rakyat", "economy", "medium", "disperindagkop"
        ),
        _programme(
            "SL-01",
            "Layanan kesehatan terintegrasi",
            "living",
            "short",
            "dinkes",
            start_year=2019,
            status="in_progress",
        ),
        _programme(
            "SL-02",
            "Transportasi dan mobilitas terpadu",
            "living",
            "medium",
            "dishub",
            start_year=2019,
        ),
        _programme("SL-03", "Tata ruang berbasis data spasial", "living", "long", "dpupr"),
        _programme(
            "SS-01",
            "Ekosistem belajar masyarakat",
            "society",
            "short",
            "disdikbud",
            start_year=2019,
            status="in_progress",
        ),
        _programme("SS-02", "Perlindungan sosial tepat sasaran", "society", "medium", "dinsos"),
        _programme(
            "SN-01",
            "Pengelolaan sampah berbasis masyarakat",
            "environment",
            "short",
            "dlh",
            start_year=2019,
            status="in_progress",
        ),
        _programme("SN-02", "Energi terbarukan untuk desa", "environment", "long", "dlh"),
    ],
}

REVIEW = {
    "changes": "SB-01 dipercepat setelah keberhasilan Minggon Jatinan; SE-02 dimulai 2020.",
    "reason": "Tinjauan tahunan masterplan bersama Bappeda dan tim evaluasi 2019.",
}

POLICIES = {
    2019: {"required_per_unit": 3, "min_stage": "trial"},
    2020: {"required_per_unit": 3, "min_stage": "trial", "deadline": "2020-11-30"},
}


def _evidence(slug: str, what: str, kind: str = "document") -> list[dict[str, str]]:
    return [{"url": f"https://batangkab.go.id/inovasi/{slug}", "description": what, "kind": kind}]


def _innovation(
    unit: str,
    year: int,
    name: str,
    stage: str,
    pillar: str,
    programme: str | None,
    *,
    type: str = "digital",
    form: str = "public_service",
    initiator: str = "opd",
    description: str = "",
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "owner_unit": unit,
        "year": year,
        "initiator": initiator,
        "type": type,
        "form": form,
        "pillar": pillar,
        "programme_id": programme,
        "stage": stage,
        "description": description or f"{name}: inovasi {unit} tahun {year}.",
        "evidence": _evidence(f"{year}-{unit}-{len(name)}.pdf", "SK Kepala OPD"),
        **extra,
    }
    if stage in ("trial", "implemented"):
        body.setdefault("trial_start", f"{year}-03-01")
    if stage == "implemented":
        body.setdefault("implementation_start", f"{year}-08-01")
    return body


NON_DIGITAL = {"type": "non_digital"}
GOV = {"form": "governance"}

INNOVATIONS: list[dict[str, Any]] = [
    # 2019
    _innovation(
        "disparpora",
        2019,
        "Minggon Jatinan",
        "implemented",
        "branding",
        "SB-01",
        initiator="citizen",
        **NON_DIGITAL,
        description="Pasar mingguan warga di hutan jati Kalipucang setiap Minggu pagi.",
        objective="Menggerakkan ekonomi desa dan wisata hutan jati.",
        benefits="Pendapatan pedagang kecil; ruang publik bagi warga.",
        results="Ratusan pengunjung setiap Minggu.",
        beneficiaries=150,
        budget=25_000_000,
        trial_start="2019-02-03",
        implementation_start="2019-06-02",
        evidence=_evidence("minggon-jatinan.jpg", "Foto pasar Minggu", "photo"),
    ),
    _innovation("dinkes", 2019, "SIRUP Rujukan Puskesmas", "trial", "living", "SL-01"),
    _innovation(
        "dinkes", 2019, "Posyandu Keliling", "implemented", "living", "SL-01", **NON_DIGITAL
    ),
    _innovation("diskominfo", 2019, "Batang Satu Data", "trial", "governance", "SG-01", **GOV),
    _innovation("dpmptsp", 2019, "Izin Online Batang", "implemented", "governance", "SG-02"),
    _innovation(
        "disdikbud", 2019, "Kelas Literasi Desa", "trial", "society", "SS-01", **NON_DIGITAL
    ),
    _innovation(
        "dlh", 2019, "Bank Sampah Sekolah", "initiative", "environment", "SN-01", **NON_DIGITAL
    ),
    # 2020: compliant OPDs
    _innovation("dinkes", 2020, "e-Puskesmas", "implemented", "living", "SL-01"),
    _innovation("dinkes", 2020, "Ambulans Desa Siaga", "trial", "living", "SL-01", **NON_DIGITAL),
    _innovation("dinkes", 2020, "Telekonsultasi Ibu Hamil", "trial", "living", "SL-01"),
    _innovation(
        "disparpora",
        2020,
        "Minggon Jatinan Edisi Festival",
        "trial",
        "branding",
        "SB-01",
        initiator="citizen",
        **NON_DIGITAL,
    ),
    _innovation("disparpora", 2020, "Peta Wisata Digital", "implemented", "branding", "SB-01"),
    _innovation(
        "disparpora", 2020, "Kampung Pemuda Kreatif", "trial", "branding", "SB-01", **NON_DIGITAL
    ),
    _innovation(
        "diskominfo",
        2020,
        "Aplikasi Aduan Warga LAPOR Batang",
        "implemented",
        "governance",
        "SG-01",
    ),
    _innovation(
        "diskominfo",
        2020,
        "Dashboard Eksekutif Bupati",
        "trial",
        "governance",
        "SG-01",
        initiator="head_of_region",
        **GOV,
    ),
    _innovation("diskominfo", 2020, "Desa Digital", "trial", "society", "SG-01"),
    _innovation(
        "dpmptsp", 2020, "Mal Pelayanan Publik", "implemented", "governance", "SG-02", **NON_DIGITAL
    ),
    _innovation(
        "dpmptsp", 2020, "Izin Antar ke Rumah", "trial", "governance", "SG-02", **NON_DIGITAL
    ),
    _innovation("dpmptsp", 2020, "Tanda Tangan Elektronik Izin", "trial", "governance", "SG-02"),
    # 2020: short OPDs
    _innovation(
        "disdikbud", 2020, "Sekolah Ramah Anak", "trial", "society", "SS-01", **NON_DIGITAL
    ),
    _innovation("disdikbud", 2020, "Rapor Digital", "trial", "society", "SS-01"),
    _innovation(
        "disdikbud", 2020, "Perpustakaan Keliling", "initiative", "society", "SS-01", **NON_DIGITAL
    ),
    _innovation("dinsos", 2020, "Data Terpadu Kesejahteraan Sosial", "trial", "society", "SS-02"),
    _innovation(
        "dinsos",
        2020,
        "Lumbung Pangan Warga",
        "trial",
        "society",
        "SS-02",
        initiator="citizen",
        **NON_DIGITAL,
    ),
    _innovation("disperindagkop", 2020, "Pasar Rakyat Non-Tunai", "trial", "economy", "SE-02"),
    _innovation("disperindagkop", 2020, "Klinik UMKM", "trial", "economy", "SE-01", **NON_DIGITAL),
    _innovation("bappeda", 2020, "e-Musrenbang", "trial", "governance", "SG-01", **GOV),
    _innovation("dpupr", 2020, "Peta Tata Ruang Online", "trial", "living", "SL-03"),
    _innovation("dlh", 2020, "Bank Sampah Digital", "trial", "environment", "SN-01"),
    _innovation("dlh", 2020, "Kompos Pasar", "trial", "environment", "SN-01", **NON_DIGITAL),
]

# (unit, innovation name) -> what happens after registration
MILESTONES = {
    ("disparpora", "Minggon Jatinan"): [
        {
            "title": "Uji coba pasar mingguan",
            "planned_date": "2019-02-03",
            "actual_date": "2019-02-03",
        },
        {
            "title": "Pasar dibuka untuk umum",
            "planned_date": "2019-06-01",
            "actual_date": "2019-06-02",
        },
    ],
    ("dinkes", "e-Puskesmas"): [
        {
            "title": "Seluruh puskesmas terhubung",
            "planned_date": "2020-09-30",
            "actual_date": "2020-09-15",
        },
    ],
    ("disdikbud", "Perpustakaan Keliling"): [
        {"title": "Armada perpustakaan tersedia", "planned_date": "2020-10-31"},
    ],
    ("disperindagkop", "Pasar Rakyat Non-Tunai"): [
        {"title": "QRIS di 5 pasar", "planned_date": "2020-08-31", "actual_date": "2020-10-01"},
        {"title": "QRIS di seluruh pasar", "planned_date": "2020-12-31"},
    ],
}
VERIFIED = {
    ("disparpora", "Minggon Jatinan"): {
        "status": "verified",
        "note": "Bukti kegiatan mingguan lengkap.",
    },
    ("dinkes", "e-Puskesmas"): {"status": "verified"},
    ("dpupr", "Peta Tata Ruang Online"): {
        "status": "needs_evidence",
        "note": "Lampirkan SK uji coba.",
    },
}
DISCONTINUED = {
    ("dlh", "Kompos Pasar"): {"reason": "Lokasi pengomposan ditutup selama pandemi."},
}
