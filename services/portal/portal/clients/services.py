"""The calls the pages make, named after what they fetch; paths are the APIs' own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

from .base import ApiClient


def q(part: str) -> str:
    """One path segment (cycle ids hold ':')."""
    return quote(part, safe=":")


class EvaluationClient(ApiClient):
    def cycles(self, region: str) -> list[dict[str, Any]]:
        return self.get(f"/regions/{q(region)}/cycles")  # type: ignore[no-any-return]

    def cycle(self, cycle_id: str) -> dict[str, Any]:
        return self.get(f"/cycles/{q(cycle_id)}")  # type: ignore[no-any-return]

    def framework_version(self, key: str, version: int) -> dict[str, Any]:
        return self.get(f"/frameworks/{q(key)}/versions/{version}")  # type: ignore[no-any-return]

    def submissions(self, cycle_id: str) -> list[dict[str, Any]]:
        return self.get(f"/cycles/{q(cycle_id)}/submissions")  # type: ignore[no-any-return]

    def submission(self, cycle_id: str, unit: str) -> dict[str, Any]:
        return self.get(f"/cycles/{q(cycle_id)}/submissions/{q(unit)}")  # type: ignore[no-any-return]

    def save_draft(
        self, cycle_id: str, unit: str, body: dict[str, Any], revision: int
    ) -> dict[str, Any]:
        path = f"/cycles/{q(cycle_id)}/submissions/{q(unit)}"
        return self.patch(path, body, revision)  # type: ignore[no-any-return]

    def submit(self, cycle_id: str, unit: str, revision: int) -> dict[str, Any]:
        path = f"/cycles/{q(cycle_id)}/submissions/{q(unit)}/submit"
        return self.post(path, {}, revision)  # type: ignore[no-any-return]

    def record_review(
        self, cycle_id: str, unit: str, body: dict[str, Any], revision: int
    ) -> dict[str, Any]:
        path = f"/cycles/{q(cycle_id)}/submissions/{q(unit)}/review"
        return self.patch(path, body, revision)  # type: ignore[no-any-return]

    def act(
        self, cycle_id: str, unit: str, action: str, body: dict[str, Any], revision: int
    ) -> dict[str, Any]:
        path = f"/cycles/{q(cycle_id)}/submissions/{q(unit)}/{q(action)}"
        return self.post(path, body, revision)  # type: ignore[no-any-return]

    def publish(self, cycle_id: str) -> dict[str, Any]:
        return self.post(f"/cycles/{q(cycle_id)}/publish")  # type: ignore[no-any-return]

    def scorecard(self, cycle_id: str) -> dict[str, Any]:
        return self.get(f"/cycles/{q(cycle_id)}/scorecard")  # type: ignore[no-any-return]

    def radar_svg(self, cycle_id: str) -> str:
        return self.text(f"/cycles/{q(cycle_id)}/scorecard.svg")

    def set_deadline(
        self, cycle_id: str, deadline: str, reason: str, revision: int
    ) -> dict[str, Any]:
        body = {"submission_deadline": deadline, "reason": reason}
        return self.put(f"/cycles/{q(cycle_id)}/deadline", body, revision)  # type: ignore[no-any-return]

    def recommendations(self, region: str, **filters: Any) -> list[dict[str, Any]]:
        return self.get(f"/regions/{q(region)}/recommendations", **filters)  # type: ignore[no-any-return]

    def overdue_recommendations(self, region: str) -> list[dict[str, Any]]:
        return self.get(f"/regions/{q(region)}/recommendations/overdue")  # type: ignore[no-any-return]

    def risks(self, region: str, **filters: Any) -> tuple[list[dict[str, Any]], int]:
        """One page of the register and the whole count (`X-Total-Count`)."""
        params = {k: v for k, v in filters.items() if v}
        r = self.request("GET", f"/regions/{q(region)}/risks", params=params or None)
        return r.json(), int(r.headers.get("X-Total-Count") or 0)

    def risk_heatmap(self, region: str, **filters: Any) -> dict[str, Any]:
        params = {k: v for k, v in filters.items() if v}
        return self.get(f"/regions/{q(region)}/risks/heatmap", **params)  # type: ignore[no-any-return]

    def trend(self, region: str, framework: str) -> dict[str, Any]:
        return self.get(f"/regions/{q(region)}/trend", framework=framework)  # type: ignore[no-any-return]

    def trend_xlsx(self, region: str, framework: str) -> requests.Response:
        """The API's workbook as it answered (body and Content-Disposition)."""
        path = f"/regions/{q(region)}/trend.xlsx"
        return self.request("GET", path, params={"framework": framework})

    def frameworks(self) -> list[dict[str, Any]]:
        return self.get("/frameworks")  # type: ignore[no-any-return]

    def units(self, region: str) -> list[dict[str, Any]]:
        return self.get(f"/regions/{q(region)}/units")  # type: ignore[no-any-return]

    def people(self, region: str) -> list[dict[str, Any]]:
        return self.get(f"/regions/{q(region)}/people")  # type: ignore[no-any-return]

    def add_person(self, region: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.post(f"/regions/{q(region)}/people", body)  # type: ignore[no-any-return]


class InnovationClient(ApiClient):
    def compliance(self, region: str, year: int) -> dict[str, Any]:
        return self.get(f"/regions/{q(region)}/quota/{year}/compliance")  # type: ignore[no-any-return]

    def master_plans(self, region: str) -> list[dict[str, Any]]:
        return self.get(f"/regions/{q(region)}/masterplans")  # type: ignore[no-any-return]

    def master_plan_report(self, region: str, plan_id: str) -> dict[str, Any]:
        path = f"/regions/{q(region)}/masterplans/{q(plan_id)}/report"
        return self.get(path)  # type: ignore[no-any-return]

    def innovations(self, region: str, unit: str, year: int) -> list[dict[str, Any]]:
        page = self.get(f"/regions/{q(region)}/innovations", unit=unit, year=year, limit=500)
        return page["items"]  # type: ignore[no-any-return]

    def innovation(self, region: str, innovation_id: str) -> dict[str, Any]:
        return self.get(f"/regions/{q(region)}/innovations/{q(innovation_id)}")  # type: ignore[no-any-return]

    def register(self, region: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.post(f"/regions/{q(region)}/innovations", body)  # type: ignore[no-any-return]

    def change(
        self,
        region: str,
        innovation_id: str,
        action: str,
        body: dict[str, Any],
        revision: int | None,
    ) -> dict[str, Any]:
        """PATCH the profile (`action` ""), or POST to `stage`, `milestones`,
        `milestones/<id>/complete` (If-Match: the revision the page showed)."""
        path = f"/regions/{q(region)}/innovations/{q(innovation_id)}"
        if not action:
            return self.patch(path, body, revision)  # type: ignore[no-any-return]
        return self.post(f"{path}/{action}", body, revision)  # type: ignore[no-any-return]


class NotificationClient(ApiClient):
    pass


@dataclass(frozen=True)
class Clients:
    evaluation: EvaluationClient
    innovation: InnovationClient
    notification: NotificationClient

    @classmethod
    def for_token(
        cls, urls: dict[str, str], token: str, timeout_s: float, http: requests.Session
    ) -> Clients:
        return cls(
            EvaluationClient(urls["evaluation"], token, timeout_s, http),
            InnovationClient(urls["innovation"], token, timeout_s, http),
            NotificationClient(urls["notification"], token, timeout_s, http),
        )
