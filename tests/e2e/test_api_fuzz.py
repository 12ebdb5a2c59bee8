"""Property-based fuzzing of every service's OpenAPI against the running stack (schemathesis).

Each operation of each service is called with generated input, valid and invalid, twice:

* as the admin of a demo-less region of its own (`kab-fuzz`, seeded here with one OPD, a
  published framework and a 2020 cycle, a risk, a recommendation, an innovation with a
  milestone and a master plan with a programme; the path parameters naming such ids and the
  `unit` / `owner_unit` body fields mostly name the seeded ones, so the handlers behind the
  existence checks are reached; writes really land there, in no other test's way);
* without a token (everything must be a 401 problem).

Every response must:
  * not be a 5xx (invalid input is 400/422, never 500);
  * have a status code, content type and body that the operation documents;
  * when it is an error (4xx/5xx), be application/problem+json with type/title/status/detail.

Bounded for CI: a few examples per operation, derandomized (the same cases every run), no
Hypothesis deadline, no shrinking.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.stack import eventually

SERVICES = ("evaluation", "innovation", "notification")
CALLERS = ("admin", "anonymous")
REGION = "kab-fuzz"  # no other test uses it, so what the fuzz writes disturbs nobody
UNIT = "fuzz-opd"
FRAMEWORK = f"{REGION}-spbe"  # the region's own framework
CYCLE = f"{REGION}:2020:{FRAMEWORK}"
FRAMEWORKS = Path(__file__).resolve().parents[2] / "services/evaluation/evaluation/frameworks"
OWN_PATH = {"region": REGION, "unit": UNIT, "code": UNIT, "cycle_id": CYCLE, "key": FRAMEWORK}
MAX_EXAMPLES = {"admin": 10, "anonymous": 3}
PROBLEM = "application/problem+json"

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _restore_node_nodeid() -> None:
    """schemathesis 4.32's fixture-loaded schema renames the running item per operation via
    `Node._nodeid`, which pytest 9.2 replaced by a structured `Node._id`: give the old name
    back as a property over the new one (a no-op on a pytest that still has `_nodeid`)."""
    try:
        from _pytest.nodeid import coerce_node_id
        from _pytest.nodes import Node
    except ImportError:  # pytest < 9.2: `_nodeid` is a plain attribute
        return
    if "_nodeid" in vars(Node):
        return

    def set_id(node: Any, value: str) -> None:
        node._id = coerce_node_id(value)

    Node._nodeid = property(lambda node: str(node._id), set_id)  # type: ignore[attr-defined]


_restore_node_nodeid()


def problem_json(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx/5xx is application/problem+json (RFC 9457) with its four members."""
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    assert content_type.split(";")[0].strip() == PROBLEM, (
        f"{response.status_code} answered with {content_type!r}, not {PROBLEM}"
    )
    body = response.json()
    missing = {"type", "title", "status", "detail"} - set(body)
    assert not missing, f"problem body lacks {sorted(missing)}: {body}"
    assert body["status"] == response.status_code, body
    return True


CHECKS: list[Callable[..., bool | None]] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    problem_json,
]


def _config(caller: str) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": 20200101,
            "generation": {
                "max-examples": MAX_EXAMPLES[caller],
                "deterministic": True,
                "no-shrink": True,
                "database": "none",
            },
            # Examples, coverage (boundaries, wrong types, unexpected methods) and fuzzing for
            # the admin; without a token every answer is the same 401, so only a few fuzz cases.
            "phases": {
                "stateful": {"enabled": False},
                "coverage": {"enabled": caller == "admin"},
            },
            "request-timeout": 30,
        }
    )


def _seed(running: Any) -> None:
    """The fuzz region with one active OPD (also in innovation's copy of the directory), a
    published framework and a cycle, a risk, a recommendation, an innovation with a milestone
    and a master plan with a programme; their ids go into OWN_PATH. Idempotent, and repairs
    what earlier fuzzing changed (it may deactivate the OPD or the region)."""
    headers = running.headers("admin", REGION)

    def call(
        service: str, method: str, path: str, body: Any = None, ok: tuple[int, ...] = (200,)
    ) -> Any:
        r = requests.request(
            method, running.url(service, path), json=body, headers=headers, timeout=30
        )
        assert r.status_code in ok, f"{method} {path}: {r.status_code} {r.text}"
        return r.json() if r.content else None

    def evaluation(method: str, path: str, body: Any = None, ok: tuple[int, ...] = (200,)) -> Any:
        return call("evaluation", method, path, body, ok)

    def innovation(method: str, path: str, body: Any = None, ok: tuple[int, ...] = (200,)) -> Any:
        return call("innovation", method, path, body, ok)

    evaluation("POST", "/regions", {"region_id": REGION, "name": "Fuzz regency"}, (201, 409))
    evaluation("PATCH", f"/regions/{REGION}", {"active": True})
    units = f"/regions/{REGION}/units"
    evaluation("POST", units, {"code": UNIT, "name": "Fuzz OPD"}, (201, 409))
    evaluation("PATCH", f"{units}/{UNIT}", {"active": True})
    framework = json.loads((FRAMEWORKS / "spbe-maturity.json").read_text())
    evaluation("POST", "/frameworks", {**framework, "key": FRAMEWORK}, (201, 409))
    evaluation("POST", f"/frameworks/{FRAMEWORK}/versions/1/publish", None, (200, 409))
    cycle = {"year": 2020, "framework_key": FRAMEWORK, "participants": [UNIT]}
    evaluation("POST", f"/regions/{REGION}/cycles", cycle, (201, 409))
    risk: dict[str, Any] = {"risk_id": "fuzz-risk", "unit": UNIT, "title": "Fuzz risk"}
    risk |= {"perspective": "sustainability", "likelihood": 3, "impact": 4}
    evaluation("POST", f"/regions/{REGION}/risks", risk, (201, 409))
    rec = {"recommendation_id": "fuzz-rec", "unit": UNIT, "title": "A", "due_date": "2020-12-31"}
    evaluation("POST", f"/regions/{REGION}/recommendations", rec, (201, 409))
    OWN_PATH.update(risk_id="fuzz-risk", rec_id="fuzz-rec")

    eventually(
        lambda: any(
            u.get("code") == UNIT and u.get("active", True) for u in innovation("GET", units)
        ),
        timeout=60,
        message="the fuzz OPD in innovation's directory copy",
    )
    found = innovation("GET", f"/regions/{REGION}/innovations")["items"]
    if not found:
        body: dict[str, Any] = {"name": "Fuzz innovation", "owner_unit": UNIT, "year": 2020}
        body |= {"initiator": "opd", "type": "digital", "form": "public_service"}
        body |= {"pillar": "governance"}
        found = [innovation("POST", f"/regions/{REGION}/innovations", body, (201,))]
    inv = found[0]
    if not inv.get("milestones"):
        milestone = {"title": "Fuzz milestone", "planned_date": "2020-06-30"}
        inv = innovation(
            "POST", f"/regions/{REGION}/innovations/{inv['id']}/milestones", milestone, (201,)
        )
    OWN_PATH.update(innovation_id=inv["id"], milestone_id=inv["milestones"][0]["id"])
    plans = f"/regions/{REGION}/masterplans"
    programme = {"id": "fz-01", "name": "Fuzz programme", "owner_unit": UNIT}
    programme |= {"pillar": "governance", "horizon": "short"}
    found = innovation("GET", plans)
    if not found:
        plan = {"title": "Fuzz plan", "start_year": 2020, "end_year": 2025}
        found = [innovation("POST", plans, {**plan, "programmes": [programme]}, (201,))]
    if not found[0].get("programmes"):
        innovation("POST", f"{plans}/{found[0]['id']}/programmes", programme, (201, 409))
        found = [innovation("GET", f"{plans}/{found[0]['id']}")]
    OWN_PATH.update(plan_id=found[0]["id"], programme_id=found[0]["programmes"][0]["id"])


def _mostly(value: Any, mapped: Any) -> Any:
    return st.sampled_from([mapped, mapped, mapped, value])


def _own_path(ctx: Any, path_parameters: dict[str, Any]) -> Any:
    """Mostly the seeded region, OPD, cycle, framework, risk, recommendation, innovation,
    milestone, plan and programme, so the fuzz gets past the checks that they exist and
    reaches the handlers behind them."""
    if not path_parameters or not set(OWN_PATH) & set(path_parameters):
        return st.just(path_parameters)
    own = {k: OWN_PATH.get(k, v) for k, v in path_parameters.items()}
    return _mostly(path_parameters, own)


def _own_body(ctx: Any, body: Any) -> Any:
    if not isinstance(body, dict) or not {"unit", "owner_unit"} & set(body):
        return st.just(body)
    own = {**body, **{k: UNIT for k in ("unit", "owner_unit") if k in body}}
    return _mostly(body, own)


@pytest.fixture(
    scope="module",
    params=[(service, caller) for service in SERVICES for caller in CALLERS],
    ids=lambda p: f"{p[0]}-{p[1]}",
)
def api_schema(request: pytest.FixtureRequest, running: Any) -> Any:
    service, caller = request.param
    if caller == "admin":
        _seed(running)
    schema = schemathesis.openapi.from_url(
        running.url(service, "/openapi.json"), config=_config(caller), timeout=10
    )
    headers = running.headers("admin", REGION) if caller == "admin" else {}
    schema.config.update(base_url=running.url(service), headers=headers)
    if caller == "admin":
        schema.hook("flatmap_path_parameters")(_own_path)
        schema.hook("flatmap_body")(_own_body)
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@settings(deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@schema.parametrize()
def test_api_fuzz(case: Any) -> None:
    case.call_and_validate(checks=CHECKS)
