"""A small region for the input-hardening e2e tests (issue 11): two OPDs, a published form, a
cycle with both as participants, a recommendation and a risk of `dinkes`, an innovation of
`dinkes` (once the innovation service has copied the OPDs). Every step goes through HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import Any

from tests.e2e.portal import Portal, suffix
from tests.support.stack import eventually

EVENTS = 90.0
OWN, OTHER = "dinkes", "bappeda"


@dataclass
class World:
    running: Any
    region: str
    ids: dict[str, str] = field(default_factory=dict)

    def email(self, code: str) -> str:
        return f"{code}-{self.region}@batangkab.go.id"

    def admin(self, service: str = "evaluation") -> Portal:
        return Portal(self.running, service, "admin", self.region, "", f"admin-{self.region}@x.id")

    def assessor(self, service: str = "evaluation") -> Portal:
        return Portal(self.running, service, "assessor", self.region, "", "asesor@kominfo.go.id")

    def opd(self, code: str = OWN, service: str = "evaluation") -> Portal:
        return Portal(self.running, service, "opd", self.region, code, self.email(code))


def form(key: str, questions: int = 8) -> dict[str, Any]:
    """q1 required, q2.. optional (concurrent drafts fill different ones)."""
    levels = [{"label": f"L{i}", "criteria": f"Level {i}."} for i in range(1, 6)]
    items = [
        {"key": f"q{n}", "type": "level", "required": n == 1, "text": "?", "levels": levels}
        for n in range(1, questions + 1)
    ]
    indicator = {"key": "i1", "name": "Indikator", "questions": items}
    return {
        "key": key,
        "name": "Hardening form",
        "scale_max": 5,
        "dimensions": [{"key": "d1", "name": "Dimensi", "indicators": [indicator]}],
    }


def risk_body(title: str = "Risiko") -> dict[str, Any]:
    return {
        "unit": OWN,
        "perspective": "community_engagement",
        "title": title,
        "likelihood": 1,
        "impact": 1,
    }


def innovation_body(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "owner_unit": OWN,
        "year": 2020,
        "initiator": "opd",
        "type": "non_digital",
        "form": "public_service",
        "pillar": "society",
    }


def build(running: Any, cycles: int = 1) -> World:
    """The region with `cycles` cycles (years 2020, 2019, ...); ids: CY0.., REC, RISK, INV."""
    w = World(running, f"kab-input-{suffix()}")
    admin = w.admin()
    body = {"region_id": w.region, "name": "Kabupaten Uji", "admin_emails": [w.email("admin")]}
    admin.post("/regions", body, expect=201)
    for code in (OWN, OTHER):
        unit = {"code": code, "name": code.title(), "contact_emails": [w.email(code)]}
        admin.post(f"/regions/{w.region}/units", unit, expect=201)
    key = f"input-{w.region}"
    admin.post("/frameworks", form(key), expect=201)
    admin.post(f"/frameworks/{key}/versions/1/publish")
    deadline = str(date.today() + timedelta(days=30))
    for n in range(cycles):
        cycle = {
            "year": 2020 - n,
            "framework_key": key,
            "participants": [OWN, OTHER],
            "submission_deadline": deadline,
        }
        w.ids[f"CY{n}"] = admin.post(f"/regions/{w.region}/cycles", cycle, expect=201)["id"]
    rec = {"unit": OWN, "title": "Rekomendasi", "due_date": deadline}
    w.ids["REC"] = w.assessor().post(f"/regions/{w.region}/recommendations", rec, expect=201)["id"]
    w.ids["RISK"] = admin.post(f"/regions/{w.region}/risks", risk_body(), expect=201)["id"]
    innovation = w.admin("innovation")
    eventually(
        partial(lambda p: len(p.get(f"/regions/{w.region}/units")) == 2, innovation),
        EVENTS,
        message="the innovation service's copy of the OPDs",
    )
    created = w.opd(OWN, "innovation").post(
        f"/regions/{w.region}/innovations", innovation_body("Pasar Minggon"), expect=201
    )
    w.ids["INV"] = created["id"]
    return w
