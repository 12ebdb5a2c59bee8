"""Security (issue 11): ids chosen by users are unique per region. Another region's
`risk_id` or `recommendation_id` is neither an "already exists" answer (an existence oracle)
nor taken (squatting): each region uses the id for its own object."""

from __future__ import annotations

from typing import Any

from tests.e2e.portal import Portal, problem, suffix
from tests.e2e.test_authorization_matrix import risk_body


def _region(running: Any, region: str) -> Portal:
    admin = Portal(running, "evaluation", "admin", region)
    admin.post("/regions", {"region_id": region, "name": region}, expect=201)
    admin.post(f"/regions/{region}/units", {"code": "dinkes", "name": "Dinkes"}, expect=201)
    return admin


def test_user_chosen_ids_are_unique_per_region(running: Any) -> None:
    sfx = suffix()
    a, b = f"kab-ia-{sfx}", f"kab-ib-{sfx}"
    admins = {a: _region(running, a), b: _region(running, b)}
    risk_id, rec_id = f"risk-{sfx}", f"rec-{sfx}"
    for region, admin in admins.items():
        risk = {**risk_body("dinkes", f"Risiko {region}"), "risk_id": risk_id}
        admin.post(f"/regions/{region}/risks", risk, expect=201)
        rec = {
            "recommendation_id": rec_id,
            "unit": "dinkes",
            "title": f"Saran {region}",
            "due_date": "2031-01-31",
        }
        admin.post(f"/regions/{region}/recommendations", rec, expect=201)
    for region, admin in admins.items():
        # Each region reads its own object under the id it chose.
        assert admin.get(f"/regions/{region}/risks/{risk_id}")["title"] == f"Risiko {region}"
        found = admin.get(f"/regions/{region}/recommendations/{rec_id}")
        assert found["title"] == f"Saran {region}"
        # Within one region the id stays unique.
        again = {**risk_body("dinkes", "Lagi"), "risk_id": risk_id}
        problem(admin.call("POST", f"/regions/{region}/risks", again), 409)
    problem(admins[b].call("GET", f"/regions/{a}/risks/{risk_id}"), 404)
