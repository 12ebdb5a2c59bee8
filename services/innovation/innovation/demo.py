"""`python -m innovation.demo`: load the Kabupaten Batang innovation demo through the HTTP API.

Waits (up to 60 s) until the service's directory copy has the Batang OPDs (the evaluation
demo creates them first), then loads a master plan 2018-2027 with programmes across the six
pillars (and one review), quota policies 2019/2020, 2019 and 2020 innovations (non-digital
ones included, e.g. "Minggon Jatinan"), milestones, verifications and one discontinued
innovation (demo_data.py). Idempotent: each step reads first and does only what is missing,
so a second run changes nothing.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any

from smartcity_shared.demo_http import Send, http_send
from smartcity_shared.devtoken import mint
from smartcity_shared.settings import Settings

from . import demo_data as data

WAIT_S = 60.0
BASE = f"/regions/{data.REGION}"


class DemoError(RuntimeError):
    pass


class Api:
    """Calls the API as one person; raises DemoError on an unexpected status."""

    def __init__(self, send: Send, token: str) -> None:
        self.send, self.token = send, token

    def call(
        self, method: str, path: str, body: Any = None, ok: tuple[int, ...] = (200, 201)
    ) -> Any:
        status, payload = self.send(method, path, {"Authorization": f"Bearer {self.token}"}, body)
        if status not in ok:
            raise DemoError(f"{method} {path} -> {status}: {payload}")
        return payload

    def get(self, path: str) -> Any:
        return self.call("GET", path)


class Demo:
    def __init__(self, send: Send, secret: str) -> None:
        self.send, self.secret = send, secret
        self.admin = self._as(
            "admin", sub="demo-admin", name="Admin Diskominfo", email="diskominfo@batangkab.go.id"
        )
        self.assessor = self._as(
            "assessor", region="*", sub="demo-assessor", name="Asesor Kementerian"
        )

    def _as(self, role: str, unit: str = "", region: str = data.REGION, **claims: str) -> Api:
        return Api(self.send, mint(self.secret, role, region, unit, **claims))

    def opd(self, unit: str) -> Api:
        return self._as("opd", unit, sub=f"demo-opd-{unit}", email=f"{unit}@batangkab.go.id")

    def wait_for_directory(
        self, timeout: float = WAIT_S, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        """Polls until the API answers and its directory copy lists every Batang OPD."""
        deadline = time.monotonic() + timeout
        missing: set[str] = set(data.OPDS)
        while time.monotonic() < deadline:
            try:
                status, units = self.send("GET", f"{BASE}/units", self._auth(self.admin), None)
            except OSError:
                status, units = 0, None
            if status == 200:
                missing = set(data.OPDS) - {u["code"] for u in units}
                if not missing:
                    return
            sleep(1.0)
        raise DemoError(f"the directory copy still lacks {sorted(missing)} after {timeout:.0f} s")

    @staticmethod
    def _auth(api: Api) -> dict[str, str]:
        return {"Authorization": f"Bearer {api.token}"}

    def run(self) -> dict[str, int]:
        self.wait_for_directory()
        counts = {"plans": self.master_plan(), "policies": self.policies()}
        counts["innovations"] = self.innovations()
        return counts

    def master_plan(self) -> int:
        plans = self.admin.get(f"{BASE}/masterplans")
        plan_id = f"mp-{data.MASTER_PLAN['start_year']}-{data.MASTER_PLAN['end_year']}"
        created = 0
        if not any(p["id"] == plan_id for p in plans):
            self.admin.call("POST", f"{BASE}/masterplans", data.MASTER_PLAN)
            created = 1
        return created

    def review_plan(self) -> None:
        """Review v1 -> v2 once (after the 2019 innovations exist, so the report has data)."""
        plan_id = f"mp-{data.MASTER_PLAN['start_year']}-{data.MASTER_PLAN['end_year']}"
        plan = self.admin.get(f"{BASE}/masterplans/{plan_id}")
        if plan["version"] == 1:
            self.admin.call("POST", f"{BASE}/masterplans/{plan_id}/reviews", data.REVIEW)

    def policies(self) -> int:
        done = 0
        for year, body in data.POLICIES.items():
            if self.admin.get(f"{BASE}/quota/{year}")["is_default"]:
                self.admin.call("PUT", f"{BASE}/quota/{year}", body)
                done += 1
        return done

    def innovations(self) -> int:
        created = 0
        for body in data.INNOVATIONS:
            unit, name = body["owner_unit"], body["name"]
            api = self.opd(unit)
            found = self._find(api, unit, body["year"], name)
            if found is None:
                found = api.call("POST", f"{BASE}/innovations", body)
                created += 1
            self._follow_up(api, found, (unit, name))
        self.review_plan()
        return created

    def _find(self, api: Api, unit: str, year: int, name: str) -> dict[str, Any] | None:
        page = api.get(f"{BASE}/innovations?unit={unit}&year={year}&limit=500")
        return next(
            (i for i in page["items"] if i["name"] == name and i["owner_unit"] == unit), None
        )

    def _follow_up(self, api: Api, innovation: dict[str, Any], key: tuple[str, str]) -> None:
        path = f"{BASE}/innovations/{innovation['id']}"
        titles = {m["title"] for m in innovation["milestones"]}
        for milestone in data.MILESTONES.get(key, []):
            if milestone["title"] not in titles:
                api.call("POST", f"{path}/milestones", milestone)
        verdict = data.VERIFIED.get(key)
        if verdict and not innovation["verifications"]:
            self.assessor.call("POST", f"{path}/verifications", verdict)
        stop = data.DISCONTINUED.get(key)
        if stop and innovation["stage"] != "discontinued":
            api.call("POST", f"{path}/discontinue", stop)


def main() -> None:
    settings = Settings.from_env("innovation")
    base_url = os.environ.get("INNOVATION_URL", f"http://127.0.0.1:{settings.port}")
    try:
        counts = Demo(http_send(base_url), settings.jwt_secret).run()
    except DemoError as exc:
        print(f"innovation demo: {exc}", file=sys.stderr)
        sys.exit(1)
    print(f"innovation demo loaded ({base_url}): {counts}")


if __name__ == "__main__":
    main()
