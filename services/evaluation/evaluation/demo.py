"""`python -m evaluation.demo`: load the Kabupaten Batang demo through the evaluation HTTP API.

Region, 11 OPDs and people; the three shipped frameworks (plus a second version of the Smart
City form with the 2019 lens weights); cycles 2018 and 2019 with final, published scores;
2020 open with a deadline in the future; recommendations and risks. Idempotent: every step
reads the current state first and only does what is missing (a 409 for an existing item is
fine), so a second run changes nothing. 2018/2019 get their (past) deadlines after the OPDs
submitted, so nothing is late and no reminder is due for them.
"""

from __future__ import annotations

import copy
import os
import sys
import time
from datetime import timedelta
from typing import Any

from smartcity_shared.demo_http import Send, http_send
from smartcity_shared.devtoken import mint
from smartcity_shared.settings import Settings

from . import demo_data as data
from .common import today
from .demo_flows import Flows
from .domain import parse_framework, shipped_documents

SMART_CITY = "smart-city-6-pillars"
LENSES_2019 = {"baseline": 10, "output": 20, "outcome": 30, "impact": 20, "quick_win": 20}


class DemoError(RuntimeError):
    pass


class Api:
    """Calls the API as one role; raises DemoError on an unexpected status."""

    def __init__(self, send: Send, token: str) -> None:
        self.send, self.token = send, token

    def call(
        self, method: str, path: str, body: Any = None, ok: tuple[int, ...] = (200, 201)
    ) -> Any:
        status, payload = self.send(method, path, {"Authorization": f"Bearer {self.token}"}, body)
        if status == 409 and 409 not in ok and method == "POST":
            return None  # exists already: fine for an idempotent loader
        if status not in ok:
            raise DemoError(f"{method} {path} -> {status}: {payload}")
        return payload

    def get(self, path: str) -> Any:
        return self.call("GET", path)

    def post(self, path: str, body: Any = None) -> Any:
        return self.call("POST", path, {} if body is None else body)


class Demo:
    def __init__(self, send: Send, secret: str) -> None:
        self.send, self.secret = send, secret
        self.admin = self.as_("admin")
        self.catalogue = Api(send, mint(secret, "admin", data.REGION, catalogue=True))
        self.assessor = self.as_("assessor", name="Asesor Kementerian Kominfo")

    def as_(self, role: str, unit: str = "", name: str = "") -> Api:
        token = mint(self.secret, role, data.REGION, unit, name=name or f"Demo {role} {unit}")
        return Api(self.send, token)

    def run(self) -> None:
        self.directory()
        self.frameworks()
        flows = Flows(self)
        flows.past_year(2018, 1, None)
        flows.past_year(2019, 2, 2018)
        flows.open_year(2020, today() + timedelta(days=60))
        flows.recommendations(2019)
        flows.risks()

    def directory(self) -> None:
        region = data.REGION
        self.admin.post("/regions", data.REGION_BODY)
        for code, name in data.OPDS.items():
            contact = [f"{code}@batangkab.go.id"]
            self.admin.post(
                f"/regions/{region}/units", {"code": code, "name": name, "contact_emails": contact}
            )
        for person in data.PEOPLE:
            self.admin.post(f"/regions/{region}/people", person)
        print(f"directory: {region}, {len(data.OPDS)} OPDs, {len(data.PEOPLE)} people")

    def frameworks(self) -> None:
        documents = shipped_documents()
        for key, document in documents.items():
            self.catalogue.post("/frameworks", document)
            self.publish_draft(key)
        current = self.catalogue.get(f"/frameworks/{SMART_CITY}")
        if current["latest_version"] == 1:
            edited = copy.deepcopy(documents[SMART_CITY])
            edited["lenses"]["weights"] = LENSES_2019
            edited["description"] += " Version 2: the 2019 lens weights 10/20/30/20/20."
            parse_framework(edited)
            self.catalogue.call("PUT", f"/frameworks/{SMART_CITY}", edited)
        self.publish_draft(SMART_CITY)
        print(f"frameworks: {', '.join(documents)} (+ {SMART_CITY} v2)")

    def publish_draft(self, key: str) -> None:
        for version in self.catalogue.get(f"/frameworks/{key}")["versions"]:
            if version["status"] == "draft":
                self.catalogue.post(f"/frameworks/{key}/versions/{version['version']}/publish")


def wait_until_up(send: Send, deadline_s: float = 60.0) -> None:
    """Poll /healthz until the API answers (the stack may still be starting)."""
    end = time.monotonic() + deadline_s
    while True:
        try:
            if send("GET", "/healthz", {}, None)[0] == 200:
                return
        except OSError:
            pass
        if time.monotonic() > end:
            raise DemoError("the evaluation API did not come up")
        time.sleep(0.5)


def main() -> int:
    settings = Settings.from_env("evaluation")
    base = f"http://127.0.0.1:{os.environ.get('EVALUATION_PORT', settings.port)}"
    send = http_send(base)
    try:
        wait_until_up(send)
        Demo(send, settings.jwt_secret).run()
    except DemoError as exc:
        print(f"demo failed: {exc}", file=sys.stderr)
        return 1
    print("demo loaded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
