"""Shared helpers of the evaluation integration tests (no tests here).

`EvalApi` drives the real app (`create_app(settings, ctx).test_client()`) with minted tokens;
`TINY` is a framework small enough to score by hand (see the scorecard test for the numbers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient

from evaluation import bootstrap
from evaluation.app import create_app
from smartcity_shared.devtoken import mint
from smartcity_shared.settings import Settings

REGION = "kab-batang"
UNITS = {"dinkes": "Dinas Kesehatan", "bappeda": "Bappeda", "dlh": "Dinas Lingkungan Hidup"}
LEVELS = [{"label": f"L{n}", "criteria": f"criteria {n}"} for n in range(1, 6)]
BANDS = [
    {"label": "Kurang", "min": 0},
    {"label": "Cukup", "min": 1.8},
    {"label": "Baik", "min": 2.6},
    {"label": "Sangat Baik", "min": 3.5},
    {"label": "Memuaskan", "min": 4.2},
]
TINY: dict[str, Any] = {
    "key": "tiny",
    "name": "Tiny framework",
    "scale_max": 5,
    "bands": BANDS,
    "dimensions": [
        {
            "key": "gov",
            "name": "Governance",
            "indicators": [
                {
                    "key": "service",
                    "name": "Public service",
                    "tags": {"pillar": "governance"},
                    "guidance": "Publish service standards online.",
                    "questions": [
                        {
                            "key": "q1",
                            "type": "level",
                            "text": "Maturity of public service?",
                            "levels": LEVELS,
                            "required": True,
                            "evidence": {"required_from_level": 3},
                        }
                    ],
                },
                {
                    "key": "policy",
                    "name": "Policy",
                    "tags": {"pillar": "governance"},
                    "questions": [
                        {"key": "q2", "type": "boolean", "text": "Decree?", "required": True}
                    ],
                },
            ],
        },
        {
            "key": "env",
            "name": "Environment",
            "indicators": [
                {
                    "key": "waste",
                    "name": "Waste",
                    "weight": 2,
                    "tags": {"pillar": "environment"},
                    "questions": [
                        {
                            "key": "q3",
                            "type": "number",
                            "text": "Recycled tonnes?",
                            "target": 100,
                            "required": True,
                        },
                        {
                            "key": "q4",
                            "type": "text",
                            "text": "Describe the programme",
                            "assessor_scored": True,
                        },
                    ],
                }
            ],
        },
    ],
}


@dataclass
class Response:
    status: int
    body: Any
    etag: str | None
    raw: Any

    def ok(self, status: int = 200) -> Any:
        assert self.status == status, (self.status, self.body)
        return self.body


class EvalApi:
    """The evaluation API as one caller (role, region, unit)."""

    def __init__(
        self,
        client: FlaskClient,
        secret: str,
        role: str,
        region: str,
        unit: str = "",
        catalogue: bool = False,
    ):
        self.client, self.secret = client, secret
        self.token = mint(
            secret, role, region, unit, name=f"{role} {unit or region}", catalogue=catalogue
        )

    def as_(self, role: str, region: str = REGION, unit: str = "") -> EvalApi:
        return EvalApi(self.client, self.secret, role, region, unit)

    def catalogue(self) -> EvalApi:
        """An admin who writes the national framework catalogue (`catalogue` claim)."""
        return EvalApi(self.client, self.secret, "admin", REGION, catalogue=True)

    def call(
        self, method: str, path: str, json: Any = None, if_match: str | None = None
    ) -> Response:
        headers = {"Authorization": f"Bearer {self.token}"}
        if if_match is not None:
            headers["If-Match"] = if_match
        raw = self.client.open(path, method=method, json=json, headers=headers)
        body = raw.get_json(silent=True) if raw.mimetype.endswith("json") else raw.data
        return Response(raw.status_code, body, raw.headers.get("ETag"), raw)

    def get(self, path: str) -> Response:
        return self.call("GET", path)

    def post(self, path: str, json: Any = None, if_match: str | None = None) -> Response:
        return self.call("POST", path, json if json is not None else {}, if_match)

    def patch(self, path: str, json: Any, if_match: str | None = None) -> Response:
        return self.call("PATCH", path, json, if_match)

    def put(self, path: str, json: Any, if_match: str | None = None) -> Response:
        return self.call("PUT", path, json, if_match)


def make_api(settings: Settings) -> tuple[EvalApi, bootstrap.Context]:
    """An admin of kab-batang on a fresh app, with the region and three OPDs in place."""
    ctx = bootstrap.build(settings)
    client = create_app(settings, ctx).test_client()
    admin = EvalApi(client, settings.jwt_secret, "admin", REGION)
    admin.post("/regions", {"region_id": REGION, "name": "Kabupaten Batang"}).ok(201)
    for code, name in UNITS.items():
        admin.post(f"/regions/{REGION}/units", {"code": code, "name": name}).ok(201)
    return admin, ctx


def publish_framework(admin: EvalApi, document: dict[str, Any] = TINY) -> None:
    """Create and publish a national framework (as the catalogue)."""
    catalogue = admin.catalogue()
    catalogue.post("/frameworks", document).ok(201)
    catalogue.post(f"/frameworks/{document['key']}/versions/1/publish").ok()


def open_cycle(admin: EvalApi, year: int, region: str = REGION, **extra: Any) -> str:
    body = {
        "year": year,
        "name": f"Tiny {year}",
        "framework_key": "tiny",
        "participants": ["dinkes", "bappeda"],
        **extra,
    }
    return str(admin.post(f"/regions/{region}/cycles", body).ok(201)["id"])


def sub_path(cycle_id: str, unit: str, tail: str = "") -> str:
    return f"/cycles/{cycle_id}/submissions/{unit}{tail}"


def run_to_final(
    admin: EvalApi,
    cycle_id: str,
    unit: str,
    answers: dict[str, Any],
    verified: dict[str, Any] | None = None,
    scores: dict[str, Any] | None = None,
    region: str = REGION,
) -> None:
    """Draft, submit, review (verified answers, assessor scores), verify, finalize."""
    opd = admin.as_("opd", region=region, unit=unit)
    evidence = {"q1": ["https://dok.example/q1.pdf"]}
    opd.patch(sub_path(cycle_id, unit), {"answers": answers, "evidence": evidence}).ok()
    opd.post(sub_path(cycle_id, unit, "/submit")).ok()
    assessor = admin.as_("assessor", region="*")
    assessor.post(sub_path(cycle_id, unit, "/start-review")).ok()
    review = {"verified": verified or {}, "assessor_scores": scores or {}}
    assessor.patch(sub_path(cycle_id, unit, "/review"), review).ok()
    assessor.post(sub_path(cycle_id, unit, "/verify")).ok()
    assessor.post(sub_path(cycle_id, unit, "/finalize")).ok()
