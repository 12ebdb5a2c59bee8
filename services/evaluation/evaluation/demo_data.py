"""The data of the Kabupaten Batang demo (docs/DEMO.md): OPDs, people, per-OPD answer profiles,
recommendations and risks. Answers are generated deterministically from each OPD's maturity in
a year, so every run produces the same documents."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from .domain import Framework, QuestionType

REGION = "kab-batang"
REGION_BODY = {
    "region_id": REGION,
    "name": "Kabupaten Batang",
    "kind": "regency",
    "timezone": "Asia/Jakarta",
    "admin_emails": ["diskominfo@batangkab.go.id"],
}
OPDS = {
    "dinkes": "Dinas Kesehatan",
    "disdikbud": "Dinas Pendidikan dan Kebudayaan",
    "bappeda": "Badan Perencanaan Pembangunan Daerah",
    "diskominfo": "Dinas Komunikasi dan Informatika",
    "dpupr": "Dinas Pekerjaan Umum dan Penataan Ruang",
    "dinsos": "Dinas Sosial",
    "dlh": "Dinas Lingkungan Hidup",
    "disperindagkop": "Dinas Perindustrian, Perdagangan, Koperasi dan UKM",
    "disparpora": "Dinas Pariwisata, Kepemudaan dan Olahraga",
    "dishub": "Dinas Perhubungan",
    "dpmptsp": "Dinas Penanaman Modal dan PTSP",
}
PEOPLE: list[dict[str, str]] = [
    {"name": "Admin Smart City Diskominfo", "email": "admin.smartcity@batangkab.go.id",
     "role": "admin", "unit": "diskominfo"},
    {"name": "Asesor Kementerian Kominfo", "email": "asesor.smartcity@kominfo.go.id",
     "role": "assessor"},
    {"name": "Asesor Universitas Diponegoro", "email": "asesor.smartcity@undip.ac.id",
     "role": "assessor"},
    {"name": "Publik Batang", "email": "publik@batangkab.go.id", "role": "viewer"},
    *[
        {"name": f"Operator {name}", "email": f"{c}@batangkab.go.id", "role": "opd", "unit": c}
        for c, name in OPDS.items()
    ],
]  # fmt: skip

# Maturity 0..1 per OPD and year: who takes part, and how well (2019 better than 2018).
MATURITY = {
    2018: {"diskominfo": 0.62, "bappeda": 0.55, "dinkes": 0.5, "disdikbud": 0.45, "dlh": 0.38,
           "dpmptsp": 0.48},
    2019: {"diskominfo": 0.74, "bappeda": 0.63, "dinkes": 0.6, "disdikbud": 0.5, "dlh": 0.47,
           "dpmptsp": 0.58, "disparpora": 0.52, "dishub": 0.3},
}  # fmt: skip
RETURNED_ONCE = {2019: "dinkes"}  # returned for revision, then resubmitted
DRAFTS_2020 = {"dinkes": "submitted", "diskominfo": "submitted", "bappeda": "draft"}


def _level(rng: random.Random, maturity: float, count: int) -> int:
    return max(1, min(count, round(maturity * count + rng.uniform(-1.2, 1.2))))


def answer(question: Any, rng: random.Random, maturity: float, tag: str) -> Any:
    """A plausible answer of an OPD with this maturity (None: left unanswered)."""
    kind = question.type
    if kind is QuestionType.LEVEL:
        return _level(rng, maturity, len(question.levels))
    if kind is QuestionType.BOOLEAN:
        return rng.random() < maturity + 0.15
    if kind is QuestionType.CHOICE:
        ranked = sorted(question.options, key=lambda o: o.score)
        return ranked[_level(rng, maturity, len(ranked)) - 1].value
    if kind is QuestionType.MULTI_CHOICE:
        return [o.value for o in question.options if rng.random() < maturity]
    if kind is QuestionType.NUMBER:
        return round(float(question.target) * min(1.2, maturity + rng.uniform(-0.2, 0.25)), 1)
    if kind is QuestionType.FILE:
        return f"https://dokumen.batangkab.go.id/{tag}/{question.key}.pdf"
    return f"Uraian singkat {question.key} ({tag})."


@dataclass(frozen=True)
class Profile:
    answers: dict[str, Any]
    evidence: dict[str, list[str]]
    verified: dict[str, Any]
    notes: dict[str, str]
    scores: dict[str, float]


def profile(framework: Framework, unit: str, year: int, maturity: float) -> Profile:
    """Deterministic answers, evidence, the assessor's corrections and scores of one OPD."""
    rng = random.Random(f"{unit}-{year}")
    tag = f"{year}/{unit}"
    answers, evidence, verified, notes, scores = {}, {}, {}, {}, {}
    for question in framework.questions():
        value = answer(question, rng, maturity, tag)
        answers[question.key] = value
        rule = question.evidence
        if rule is not None and rule.needed_for(value):
            evidence[question.key] = [f"https://dokumen.batangkab.go.id/{tag}/{question.key}.pdf"]
        if question.type is QuestionType.LEVEL and value > 1 and rng.random() < 0.25:
            verified[question.key] = value - 1
            notes[question.key] = "Tinjauan lapangan: bukti belum mendukung level yang diklaim."
        if question.assessor_scored:
            scores[question.key] = round(min(1.0, maturity + 0.1), 2)
    return Profile(answers, evidence, verified, notes, scores)


RECOMMENDATIONS: list[dict[str, Any]] = [
    {"recommendation_id": "rec-2019-dishub-data-angkutan", "unit": "dishub", "priority": "high",
     "title": "Publikasikan data trayek dan jadwal angkutan desa secara terbuka",
     "text": "Data trayek belum tersedia daring; terbitkan dalam format terbuka.",
     "due_date": "2020-03-31", "status": "open"},
    {"recommendation_id": "rec-2019-dlh-bank-sampah", "unit": "dlh", "priority": "high",
     "title": "Perluas bank sampah ke seluruh kecamatan",
     "text": "Bank sampah baru berjalan di 4 dari 15 kecamatan.",
     "due_date": "2020-06-30", "status": "in_progress",
     "note": "Bank sampah ke-5 dan ke-6 dibuka di Warungasem dan Wonotunggal."},
    {"recommendation_id": "rec-2019-disparpora-minggon", "unit": "disparpora",
     "priority": "medium", "title": "Libatkan karang taruna dalam pengelolaan Minggon Jatinan",
     "text": "Keberlanjutan pasar komunitas bergantung pada relawan; bentuk pengelola tetap.",
     "due_date": "2020-09-30", "status": "done",
     "note": "SK pengelola Minggon Jatinan ditandatangani Kepala Dinas."},
]  # fmt: skip

RISKS: list[dict[str, Any]] = [
    {"risk_id": "risk-minggon-jatinan-partisipasi", "unit": "disparpora",
     "programme": "Minggon Jatinan", "perspective": "community_engagement",
     "title": "Partisipasi warga dan UMKM di Minggon Jatinan menurun setelah musim hujan",
     "likelihood": 3, "impact": 3, "reassess": (4, 4), "owner": "Kabid Pariwisata",
     "mitigation": "Jadwal acara budaya bulanan bersama karang taruna."},
    {"risk_id": "risk-aduan-warga-rendah", "unit": "diskominfo", "programme": "LAPOR! Batang",
     "perspective": "community_engagement", "likelihood": 3, "impact": 2,
     "title": "Warga desa jarang memakai kanal aduan daring", "owner": "Kabid IKP",
     "mitigation": "Sosialisasi melalui kepala desa dan radio komunitas."},
    {"risk_id": "risk-bank-sampah-berhenti", "unit": "dlh", "programme": "Bank Sampah",
     "perspective": "sustainability", "likelihood": 4, "impact": 4, "reassess": (3, 4),
     "title": "Bank sampah desa berhenti beroperasi tanpa dana desa",
     "owner": "Kabid Persampahan", "mitigation": "Pos anggaran di APBDes dan pendampingan."},
    {"risk_id": "risk-aplikasi-tanpa-pemeliharaan", "unit": "diskominfo",
     "programme": "Aplikasi layanan publik", "perspective": "sustainability",
     "likelihood": 4, "impact": 5, "title": "Aplikasi layanan tidak dipelihara setelah kontrak",
     "owner": "Kabid Aptika", "mitigation": "Kontrak pemeliharaan dan alih pengetahuan."},
    {"risk_id": "risk-puskesmas-data-ganda", "unit": "dinkes", "programme": "SIMPUS",
     "perspective": "technology", "likelihood": 2, "impact": 3,
     "title": "Data pasien ganda antar puskesmas", "owner": "Kasi Data dan Informasi",
     "mitigation": "Satu nomor rekam medis berbasis NIK."},
]  # fmt: skip
