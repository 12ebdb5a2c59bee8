"""Security (issue 7): the authorization matrix of every service, tokens, and hostile input.

Two regions, each with the OPDs `dinkes` and `bappeda` (the same codes on purpose, so a check
by unit code alone would leak). In region R: a cycle whose `dinkes` submission is a draft and
whose `bappeda` one is submitted, a recommendation and a risk of `dinkes`, an innovation of
`dinkes`, a master plan, and the mails and reminders those caused. Region R2 holds the same
kinds of objects.

For each main endpoint, every role (admin, assessor, opd, viewer) calls it on R's objects
(those of `dinkes`) from three places: its own unit (R, dinkes), another unit (R, bappeda), and
another region (R2, dinkes). A role without the right gets 403; another region's object, or for
an OPD another unit's private object, is 404 (it does not exist for the caller). Lists and
counts are checked to hold the caller's region and unit only, and a 404 for an existing object
reads exactly like one for an object that never existed.

Resources outside `/regions/{region}` are in the matrix too: notification preferences (an
admin manages its region's addresses, a person its own), the national framework (written by
the catalogue only, so every caller here gets 403) and region R's own draft framework
(visible to R's admins only). The attacks behind those rows are told step by step in
test_authorization_addresses.py, test_authorization_frameworks.py and test_authorization_ids.py.

Tokens: none, malformed, forged, expired, alg=none, other algorithms, missing claims (no
`region` for any role, no `unit` for an opd), an `exp` that is not a number, an unknown role
and `region: *` for a non-assessor are 401. Input: `$`-keys, dotted keys, a body
over MAX_BODY_BYTES (413) and deeply nested JSON are refused as problem+json, and reading
back shows nothing was stored. Every refusal is application/problem+json.
"""

from __future__ import annotations

import base64
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

import jwt
import pytest
import requests

from tests.e2e.portal import PROBLEM, Portal, problem, suffix
from tests.support.stack import eventually

EVENTS = 90.0
OWN, OTHER = "dinkes", "bappeda"
ROLES = ("admin", "assessor", "opd", "viewer")
SCOPES = ("own unit", "other unit", "other region")
MAX_BODY_BYTES = 1_000_000  # the contract default; the test profile does not change it
Status = int | frozenset[int]
Cells = tuple[Status, Status, Status]  # own unit, other unit, other region


@dataclass
class World:
    running: Any
    sfx: str
    region: str
    other_region: str
    framework: str
    ids: dict[str, str]

    def admin_email(self, region: str) -> str:
        return f"diskominfo-{region}@auth.go.id"

    def email(self, region: str, code: str) -> str:
        return f"{code}-{region}@auth.go.id"

    def caller(self, service: str, role: str, scope: str) -> Portal:
        region = self.other_region if scope == "other region" else self.region
        unit = OTHER if scope == "other unit" else OWN
        email = {
            "admin": self.admin_email(region),
            "assessor": f"asesor-{self.sfx}@kominfo.go.id",
            "opd": self.email(region, unit),
            "viewer": f"publik-{self.sfx}@auth.go.id",
        }[role]
        return Portal(self.running, service, role, region, unit if role == "opd" else "", email)

    def as_(self, service: str, role: str, region: str | None = None, unit: str = "") -> Portal:
        region = region or self.region
        email = self.email(region, unit) if unit else self.admin_email(region)
        return Portal(self.running, service, role, region, unit, email)

    def fill(self, template: str) -> str:
        return template.format(R=self.region, R2=self.other_region, FW=self.framework, **self.ids)


def framework(key: str) -> dict[str, Any]:
    levels = [{"label": f"L{i}", "criteria": f"Level {i}."} for i in range(1, 6)]
    question = {"key": "q1", "type": "level", "required": True, "text": "?", "levels": levels}
    indicator = {"key": "i1", "name": "Indikator", "questions": [question]}
    return {
        "key": key,
        "name": "Authorization matrix form",
        "scale_max": 5,
        "dimensions": [{"key": "d1", "name": "Dimensi", "indicators": [indicator]}],
    }


def risk_body(unit: str, title: str, likelihood: int = 1, impact: int = 1) -> dict[str, Any]:
    return {
        "unit": unit,
        "perspective": "community_engagement",
        "title": title,
        "likelihood": likelihood,
        "impact": impact,
    }


def innovation_body(owner: str, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "owner_unit": owner,
        "year": 2020,
        "initiator": "opd",
        "type": "non_digital",
        "form": "public_service",
        "pillar": "society",
    }


@pytest.fixture(scope="module")
def world(running: Any) -> World:
    sfx = suffix()
    w = World(running, sfx, f"kab-auth-{sfx}", f"kab-lain-{sfx}", f"auth-e2e-{sfx}", {})
    deadline = str(date.today() + timedelta(days=30))
    for region in (w.region, w.other_region):
        admin = w.as_("evaluation", "admin", region)
        body = {"region_id": region, "name": f"Kabupaten {region}"}
        admin.post("/regions", {**body, "admin_emails": [w.admin_email(region)]}, expect=201)
        for code in (OWN, OTHER):
            unit = {"code": code, "name": code.title(), "contact_emails": [w.email(region, code)]}
            admin.post(f"/regions/{region}/units", unit, expect=201)
    catalogue = Portal(running, "evaluation", "admin", w.region, catalogue=True)
    catalogue.post("/frameworks", framework(w.framework), expect=201)
    catalogue.post(f"/frameworks/{w.framework}/versions/1/publish")
    # R's own framework, left a draft (visible to R's admins only).
    own = framework(w.fill("{R}-eigen"))
    w.as_("evaluation", "admin").post("/frameworks", own, expect=201)

    for region, participants in ((w.region, [OWN, OTHER]), (w.other_region, [OWN])):
        admin = w.as_("evaluation", "admin", region)
        cycle = {
            "year": 2020,
            "framework_key": w.framework,
            "participants": participants,
            "submission_deadline": deadline,
        }
        cycle_id = admin.post(f"/regions/{region}/cycles", cycle, expect=201)["id"]
        submitter = participants[-1]  # R: bappeda submits, dinkes stays a draft
        opd = w.as_("evaluation", "opd", region, submitter)
        path = f"/cycles/{cycle_id}/submissions/{submitter}"
        opd.patch(path, {"answers": {"q1": 2}})
        opd.post(f"{path}/submit")
        rec = {"unit": OWN, "title": f"Rekomendasi {region}", "due_date": deadline}
        rec_id = w.as_("evaluation", "assessor", region).post(
            f"/regions/{region}/recommendations", rec, expect=201
        )["id"]
        # High for R (mailed to dinkes and Diskominfo), low for R2.
        level = (4, 4) if region == w.region else (1, 1)
        risk = risk_body(OWN, f"Risiko {region}", *level)
        risk_id = admin.post(f"/regions/{region}/risks", risk, expect=201)["id"]
        key = "" if region == w.region else "2"
        w.ids.update({f"CY{key}": cycle_id, f"REC{key}": rec_id, f"RISK{key}": risk_id})

    for region in (w.region, w.other_region):
        innovation = w.as_("innovation", "admin", region)
        eventually(
            partial(_units_copied, innovation, region),
            EVENTS,
            message=f"the innovation service's copy of {region}'s OPDs",
        )
        opd = w.as_("innovation", "opd", region, OWN)
        body = innovation_body(OWN, f"Pasar Minggon {region}")
        key = "" if region == w.region else "2"
        w.ids[f"INV{key}"] = opd.post(f"/regions/{region}/innovations", body, expect=201)["id"]
    plan = {"title": "Masterplan", "start_year": 2018, "end_year": 2027}
    admin = w.as_("innovation", "admin")
    w.ids["PLAN"] = admin.post(f"/regions/{w.region}/masterplans", plan, expect=201)["id"]

    notify = w.as_("notification", "admin")
    query = {"region": w.region, "unit": OWN}
    page = eventually(
        lambda: notify.get("/deliveries", params=query)["items"],
        EVENTS,
        message="a delivery to R's dinkes in the log",
    )
    w.ids["DEL"] = page[0]["id"]
    eventually(
        lambda: notify.get("/reminders", params=query)["total"] > 0,
        EVENTS,
        message="reminders planned for R's dinkes",
    )
    w.ids["U1MAIL"] = w.email(w.region, OWN)
    w.ids["U2MAIL"] = w.email(w.region, OTHER)
    return w


def _units_copied(innovation: Portal, region: str) -> bool:
    return len(innovation.get(f"/regions/{region}/units")) == 2


# --- the matrix ---------------------------------------------------------------------------


def any_of(*statuses: int) -> frozenset[int]:
    return frozenset(statuses)


READS = (200, 200, 404)  # every caller of the region reads; another region's: absent
SELF_ONLY = (200, 404, 404)  # an OPD reads its own unit's only
NEW = (201, 201, 404)
ACTED = (any_of(200, 409), any_of(200, 409), 404)  # a state change: done, or done already
_counter = itertools.count(1)  # unique names and ids
_cycle_years = itertools.count(2031)  # a cycle per region, year and framework
_plan_years = itertools.count(2001)  # a master plan per period


def row(admin: Any, assessor: Any, opd: Any, viewer: Any) -> dict[str, Cells]:
    """Expected status per role: one status for every scope, or (own, other unit, other
    region)."""
    return {
        role: value if isinstance(value, tuple) else (value, value, value)
        for role, value in zip(ROLES, (admin, assessor, opd, viewer), strict=True)
    }


def admin_only(ok: Cells) -> dict[str, Cells]:
    return row(ok, 403, 403, 403)


Body = Callable[[World], Any] | None


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str  # filled with World.fill
    body: Body
    expected: dict[str, Cells]


def _n() -> int:
    return next(_counter)


def _period(start: int) -> dict[str, int]:
    return {"start_year": start, "end_year": start + 1}


EVALUATION = [
    Case("list units", "GET", "/regions/{R}/units", None, row(READS, READS, READS, READS)),
    Case(
        "add a unit",
        "POST",
        "/regions/{R}/units",
        lambda w: {"code": f"opd{_n()}", "name": "Dinas Baru"},
        admin_only(NEW),
    ),
    Case("list people", "GET", "/regions/{R}/people", None, admin_only(READS)),
    Case("list cycles", "GET", "/regions/{R}/cycles", None, row(READS, READS, READS, READS)),
    Case("read a cycle", "GET", "/cycles/{CY}", None, row(READS, READS, READS, READS)),
    Case(
        "open a cycle",
        "POST",
        "/regions/{R}/cycles",
        lambda w: {"year": next(_cycle_years), "framework_key": w.framework, "participants": [OWN]},
        admin_only(NEW),
    ),
    Case(
        "set the deadline",
        "PUT",
        "/cycles/{CY}/deadline",
        lambda w: {"submission_deadline": str(date.today() + timedelta(days=30))},
        admin_only(READS),
    ),
    Case(
        "list submissions",
        "GET",
        "/cycles/{CY}/submissions",
        None,
        row(READS, READS, READS, 403),
    ),
    Case(
        "read dinkes' draft",
        "GET",
        "/cycles/{CY}/submissions/dinkes",
        None,
        row(READS, 404, SELF_ONLY, 403),  # assessors see submissions once submitted
    ),
    Case(
        "save dinkes' draft",
        "PATCH",
        "/cycles/{CY}/submissions/dinkes",
        lambda w: {"answers": {"q1": 3}},
        row(READS, 403, SELF_ONLY, 403),
    ),
    Case(
        "read dinkes' audit",
        "GET",
        "/cycles/{CY}/submissions/dinkes/audit",
        None,
        row(READS, 404, SELF_ONLY, 403),
    ),
    Case(
        "start reviewing bappeda",
        "POST",
        "/cycles/{CY}/submissions/bappeda/start-review",
        lambda w: {},
        row(ACTED, ACTED, 403, 403),
    ),
    Case(
        "unpublished cycle scorecard",
        "GET",
        "/cycles/{CY}/scorecard",
        None,
        row(READS, READS, 404, 404),
    ),
    Case(
        "trend",
        "GET",
        "/regions/{R}/trend?framework={FW}",
        None,
        row(READS, READS, READS, READS),
    ),
    Case(
        "list recommendations",
        "GET",
        "/regions/{R}/recommendations",
        None,
        row(READS, READS, READS, 403),
    ),
    Case(
        "issue a recommendation",
        "POST",
        "/regions/{R}/recommendations",
        lambda w: {"unit": OWN, "title": f"Saran {_n()}", "due_date": "2031-01-31"},
        row(NEW, NEW, 403, 403),
    ),
    Case(
        "read dinkes' recommendation",
        "GET",
        "/regions/{R}/recommendations/{REC}",
        None,
        row(READS, READS, SELF_ONLY, 403),
    ),
    Case(
        "note on dinkes' recommendation",
        "POST",
        "/regions/{R}/recommendations/{REC}/notes",
        lambda w: {"text": "Kemajuan triwulan."},
        row(NEW, NEW, (201, 404, 404), 403),
    ),
    Case("risk register", "GET", "/regions/{R}/risks", None, row(READS, READS, READS, 403)),
    Case(
        "raise a risk of dinkes",
        "POST",
        "/regions/{R}/risks",
        lambda w: risk_body(OWN, f"Risiko kecil {_n()}"),
        row(NEW, 403, (201, 403, 404), 403),
    ),
    Case(
        "read dinkes' risk",
        "GET",
        "/regions/{R}/risks/{RISK}",
        None,
        row(READS, READS, SELF_ONLY, 403),
    ),
    Case(
        "edit dinkes' risk",
        "PATCH",
        "/regions/{R}/risks/{RISK}",
        lambda w: {"owner": "Kepala Bidang"},
        row(READS, 403, SELF_ONLY, 403),
    ),
    Case(
        "edit the national framework",
        "PUT",
        "/frameworks/{FW}",
        lambda w: framework(w.framework),
        row(403, 403, 403, 403),  # the catalogue's: a region's admin may read, not write
    ),
    Case(
        "publish the national framework",
        "POST",
        "/frameworks/{FW}/versions/1/publish",
        lambda w: {},
        row(403, 403, 403, 403),
    ),
    Case(
        "read R's own draft framework",
        "GET",
        "/frameworks/{R}-eigen/versions/1",
        None,
        row(READS, 404, 404, 404),  # drafts: their owner only
    ),
    Case(
        "edit R's own draft framework",
        "PUT",
        "/frameworks/{R}-eigen",
        lambda w: framework(w.fill("{R}-eigen")),
        admin_only(READS),
    ),
    Case(
        "publish R's own draft framework",
        "POST",
        "/frameworks/{R}-eigen/versions/9/publish",
        lambda w: {},
        admin_only(404),  # no version 9: the same 404 for the owner and for others
    ),
    Case(
        "risk heatmap",
        "GET",
        "/regions/{R}/risks/heatmap",
        None,
        row(READS, READS, READS, 403),
    ),
]

INNOVATION = [
    Case("list innovations", "GET", "/regions/{R}/innovations", None, row(*[READS] * 4)),
    Case("read an innovation", "GET", "/regions/{R}/innovations/{INV}", None, row(*[READS] * 4)),
    Case(
        "register for dinkes",
        "POST",
        "/regions/{R}/innovations",
        lambda w: innovation_body(OWN, f"Inovasi {_n()}"),
        row(NEW, 403, (201, 403, 404), 403),  # readable, so another unit is 403, not 404
    ),
    Case(
        "edit dinkes' innovation",
        "PATCH",
        "/regions/{R}/innovations/{INV}",
        lambda w: {"description": f"Diperbarui {_n()}"},
        row(READS, 403, (200, 403, 404), 403),
    ),
    Case(
        "verify an innovation",
        "POST",
        "/regions/{R}/innovations/{INV}/verifications",
        lambda w: {"status": "verified"},
        row(403, ACTED, 403, 403),
    ),
    Case(
        "set the quota",
        "PUT",
        "/regions/{R}/quota/2020",
        lambda w: {"required_per_unit": 3},
        admin_only(READS),
    ),
    Case(
        "quota compliance",
        "GET",
        "/regions/{R}/quota/2020/compliance",
        None,
        row(*[READS] * 4),
    ),
    Case(
        "add a master plan",
        "POST",
        "/regions/{R}/masterplans",
        lambda w: {"title": "Rencana", **_period(next(_plan_years))},
        admin_only(NEW),
    ),
    Case(
        "master plan review",
        "GET",
        "/regions/{R}/masterplans/{PLAN}/report",
        None,
        row(*[READS] * 4),
    ),
    Case("the OPDs known", "GET", "/regions/{R}/units", None, row(*[READS] * 4)),
]

NOTIFICATION = [
    Case("delivery log", "GET", "/deliveries?region={R}", None, row(READS, READS, READS, 403)),
    Case(
        "read a delivery to dinkes",
        "GET",
        "/deliveries/{DEL}",
        None,
        row(READS, READS, SELF_ONLY, 403),
    ),
    Case(
        "delivery counts",
        "GET",
        "/deliveries/stats?region={R}",
        None,
        row(READS, READS, READS, 403),
    ),
    Case(
        "resend a delivery",
        "POST",
        "/deliveries/{DEL}/resend",
        None,
        row((409, 409, 404), 403, 403, 403),  # the admin may; it is not failed: 409
    ),
    Case("reminders", "GET", "/reminders?region={R}", None, row(READS, READS, READS, 403)),
    Case("recipient rules", "GET", "/regions/{R}/rules", None, row(READS, READS, 403, 403)),
    Case(
        "add a rule",
        "POST",
        "/regions/{R}/rules",
        lambda w: {
            "id": f"extra-{_n()}",
            "event_type": "smartcity.risk.raised",
            "audiences": ["region_admins"],
            "template": "risk_raised",
            "category": "risk",
            "enabled": False,
        },
        admin_only(NEW),
    ),
    Case(
        "dinkes contact's preferences",
        "GET",
        "/preferences/{U1MAIL}",
        None,
        # the region's admin, or the person itself (the token's e-mail); not a region object
        row((200, 200, 403), 403, (200, 403, 403), 403),
    ),
    Case(
        "replace bappeda contact's preferences",
        "PUT",
        "/preferences/{U2MAIL}",  # not dinkes': the hostile input test needs those unset
        lambda w: {"language": "id"},
        row((200, 200, 403), 403, (403, 200, 403), 403),
    ),
]

MATRIX = [
    *(("evaluation", case) for case in EVALUATION),
    *(("innovation", case) for case in INNOVATION),
    *(("notification", case) for case in NOTIFICATION),
]


@pytest.mark.parametrize(
    ("service", "case"), MATRIX, ids=[f"{svc}: {case.name}" for svc, case in MATRIX]
)
def test_matrix(world: World, service: str, case: Case) -> None:
    path = world.fill(case.path)
    wrong = []
    for role in ROLES:
        for scope, expected in zip(SCOPES, case.expected[role], strict=True):
            body = case.body(world) if case.body else None
            r = world.caller(service, role, scope).call(case.method, path, body)
            allowed = expected if isinstance(expected, frozenset) else {expected}
            if r.status_code not in allowed:
                wrong.append(f"{role:8} {scope:12} got {r.status_code}, want {sorted(allowed)}")
            elif r.status_code >= 400 and not r.headers["Content-Type"].startswith(PROBLEM):
                wrong.append(f"{role:8} {scope:12} {r.status_code} not problem+json")
    assert not wrong, f"{case.method} {path}:\n" + "\n".join(wrong)


# --- lists, counts and error texts --------------------------------------------------------


def test_lists_and_counts_hold_only_the_callers_region_and_unit(world: World) -> None:
    w, R, R2 = world, world.region, world.other_region
    cy, cy2 = w.ids["CY"], w.ids["CY2"]
    # Submissions: an OPD lists its own; assessors see submitted ones only (dinkes: a draft).
    for unit in (OWN, OTHER):
        mine = w.as_("evaluation", "opd", R, unit).get(f"/cycles/{cy}/submissions")
        assert [s["unit"] for s in mine] == [unit]
    reviewed = w.caller("evaluation", "assessor", "own unit").get(f"/cycles/{cy}/submissions")
    assert [s["unit"] for s in reviewed] == [OTHER]

    # Cycles and rankings: another region's never appear; an assessor given `*` sees both.
    for region, other in ((R, cy2), (R2, cy)):
        cycles = w.as_("evaluation", "admin", region).get(f"/regions/{region}/cycles")
        assert cycles and {c["region"] for c in cycles} == {region}
        assert other not in {c["id"] for c in cycles}
    ranking_path = f"/rankings/regions?framework={w.framework}&year=2020"
    one = w.as_("evaluation", "assessor", R).get(ranking_path)["ranking"]
    assert [r["region"] for r in one] == [R]
    star = Portal(w.running, "evaluation", "assessor", "*").get(ranking_path)["ranking"]
    assert {r["region"] for r in star} == {R, R2}

    # Recommendations and risks: an OPD's list and heatmap count its own unit's only.
    admin = w.as_("evaluation", "admin", R)
    recs = admin.get(f"/regions/{R}/recommendations")
    risks = admin.get(f"/regions/{R}/risks")
    assert any(r["unit"] == OWN for r in recs) and any(r["unit"] == OWN for r in risks)
    for unit in (OWN, OTHER):
        opd = w.as_("evaluation", "opd", R, unit)
        listed = opd.get(f"/regions/{R}/recommendations")
        assert len(listed) == sum(1 for r in recs if r["unit"] == unit)
        assert {r["unit"] for r in listed} <= {unit}
        heat = opd.get(f"/regions/{R}/risks/heatmap")
        assert heat["total"] == sum(1 for r in risks if r["unit"] == unit)
        assert sum(map(sum, heat["grid"])) == heat["total"]
    r2_admin = w.as_("evaluation", "admin", R2)
    assert [r["id"] for r in r2_admin.get(f"/regions/{R2}/risks")] == [w.ids["RISK2"]]
    assert r2_admin.get(f"/regions/{R2}/risks/heatmap")["total"] == 1

    # Innovations: a region's search and total never count another region's.
    for region, own, foreign in ((R, "INV", "INV2"), (R2, "INV2", "INV")):
        page = w.as_("innovation", "viewer", region).get(
            f"/regions/{region}/innovations", params={"limit": "500"}
        )
        ids = {i["id"] for i in page["items"]}
        assert w.ids[own] in ids and w.ids[foreign] not in ids
        assert page["total"] == len(ids) and {i["region"] for i in page["items"]} == {region}

    # Deliveries and reminders: an OPD's log holds its unit's only, also where another region
    # has an OPD with the same code; its counts agree with its admin's view of that unit.
    for what, extra in (("/deliveries", {}), ("/reminders", {"status": "all"})):
        for region, unit in ((R, OWN), (R, OTHER), (R2, OWN)):
            opd = w.as_("notification", "opd", region, unit)
            boss = w.as_("notification", "admin", region)

            def agree(
                opd: Portal = opd,
                boss: Portal = boss,
                unit: str = unit,
                what: str = what,
                extra: dict[str, str] = extra,
            ) -> Any:
                mine = opd.get(what, params={"limit": "500", **extra})
                theirs = boss.get(what, params={"unit": unit, "limit": "500", **extra})
                return mine["total"] == theirs["total"] and mine

            page = eventually(agree, 30, message=f"{what} of {region}/{unit} agree")
            assert all(
                i["region"] == region and i["unit"] == f"{region}:{unit}" for i in page["items"]
            ), [(i["region"], i["unit"]) for i in page["items"]][:5]
    assert w.as_("notification", "opd", R, OWN).get("/deliveries")["total"] > 0
    for region in (R, R2):
        opd = w.as_("notification", "opd", region, OWN)
        boss = w.as_("notification", "admin", region)
        eventually(
            partial(_counts_agree, opd, boss),
            30,
            message=f"delivery counts of {region}/{OWN}",
        )


def _counts_agree(opd: Portal, admin: Portal) -> bool:
    own = opd.get("/deliveries/stats")["total"]
    return bool(own == admin.get("/deliveries", params={"unit": OWN})["total"])


def test_a_404_for_another_regions_object_reads_like_a_missing_one(world: World) -> None:
    w = world
    cases = [
        ("evaluation", "/cycles/{}", w.ids["CY"], f"{w.region}:1999:none"),
        ("evaluation", "/regions/" + w.region + "/risks/{}", w.ids["RISK"], "risk-none"),
        ("innovation", "/regions/" + w.region + "/innovations/{}", w.ids["INV"], "inv-none"),
        ("notification", "/deliveries/{}", w.ids["DEL"], "0" * 32),
    ]
    for service, template, existing, missing in cases:
        stranger = w.caller(service, "admin", "other region")
        found = problem(stranger.call("GET", template.format(existing)), 404)
        absent = problem(stranger.call("GET", template.format(missing)), 404)
        assert found["detail"].replace(existing, "X") == absent["detail"].replace(missing, "X")
        assert found["title"] == absent["title"]


# --- tokens -------------------------------------------------------------------------------

SECRET_CLAIMS = {"sub": "mallory", "name": "Mallory", "email": "m@auth.go.id"}


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def bad_tokens(w: World) -> dict[str, str]:
    secret = w.running.env["JWT_SECRET"]
    claims = {
        **SECRET_CLAIMS,
        "role": "admin",
        "region": w.region,
        "unit": "",
        "exp": int(time.time()) + 600,
    }
    valid = w.running.token("opd", w.region, OWN)
    head, _, sig = valid.split(".")
    tampered = f"{head}.{_b64({**claims})}.{sig}"  # an opd's signature on an admin's claims
    no_exp = {k: v for k, v in claims.items() if k != "exp"}
    return {
        "no header": "",
        "empty bearer": "Bearer ",
        "basic scheme": "Basic " + base64.b64encode(b"admin:admin").decode(),
        "garbage": "Bearer not.a.token",
        "forged (other secret)": "Bearer "
        + jwt.encode(claims, "another-secret-of-enough-length-1234567890", algorithm="HS256"),
        "tampered payload": f"Bearer {tampered}",
        "expired": "Bearer "
        + jwt.encode({**claims, "exp": int(time.time()) - 120}, secret, algorithm="HS256"),
        "alg=none": "Bearer " + jwt.encode(claims, key="", algorithm="none"),
        "alg=HS512": "Bearer " + jwt.encode(claims, secret, algorithm="HS512"),
        "no exp": "Bearer " + jwt.encode(no_exp, secret, algorithm="HS256"),
        "unknown role": "Bearer "
        + jwt.encode({**claims, "role": "superadmin"}, secret, algorithm="HS256"),
        "opd of every region": "Bearer "
        + jwt.encode({**claims, "role": "opd", "unit": OWN, "region": "*"}, secret),
        "admin of every region": "Bearer " + jwt.encode({**claims, "region": "*"}, secret),
        **_claim_gaps(claims, secret),
    }


def _claim_gaps(claims: dict[str, Any], secret: str) -> dict[str, str]:
    """Signed tokens whose claims break the contract: no region for admin/assessor/viewer,
    no unit for an opd, and an `exp` that is not a number (PyJWT alone accepts "1800000000")."""
    tokens = {}
    for role in ("admin", "assessor", "viewer", "opd"):
        for gap in ("absent", ""):
            regionless = {k: v for k, v in claims.items() if k != "region"}
            if gap == "":
                regionless["region"] = ""
            body = {**regionless, "role": role, "unit": OWN if role == "opd" else ""}
            tokens[f"{role} with region {gap!r}"] = "Bearer " + jwt.encode(body, secret)
    for unit in (None, ""):
        unitless = {k: v for k, v in claims.items() if k != "unit"}
        body = {**unitless, "role": "opd", **({} if unit is None else {"unit": unit})}
        tokens[f"opd with unit {unit!r}"] = "Bearer " + jwt.encode(body, secret)
    late = str(int(time.time()) + 600)
    tokens["exp as a string"] = "Bearer " + jwt.encode({**claims, "exp": late}, secret)
    return tokens


TOKEN_TARGETS = [
    ("evaluation", "GET", "/regions/{R}/cycles", None),
    ("evaluation", "POST", "/regions/{R}/risks", "risk"),
    ("innovation", "GET", "/regions/{R}/innovations", None),
    ("innovation", "POST", "/regions/{R}/innovations", "innovation"),
    ("notification", "GET", "/deliveries", None),
    ("notification", "POST", "/regions/{R}/rules", "rule"),
]


def _marked_body(kind: str | None, marker: str) -> Any:
    if kind == "risk":
        return risk_body(OWN, marker)
    if kind == "innovation":
        return innovation_body(OWN, marker)
    if kind == "rule":
        return {
            "id": marker,
            "event_type": "smartcity.risk.raised",
            "audiences": ["region_admins"],
            "template": "risk_raised",
            "category": "risk",
            "enabled": False,
        }
    return None


@pytest.mark.parametrize(
    ("service", "method", "path", "kind"),
    TOKEN_TARGETS,
    ids=[f"{t[0]} {t[1]} {t[2]}" for t in TOKEN_TARGETS],
)
def test_missing_forged_expired_and_odd_tokens_get_401(
    world: World, service: str, method: str, path: str, kind: str | None
) -> None:
    w = world
    url = w.running.url(service, w.fill(path))
    marker = f"tok-{w.sfx}-{service}"
    wrong = []
    for name, header in bad_tokens(w).items():
        headers = {"Authorization": header} if header else {}
        r = requests.request(
            method, url, json=_marked_body(kind, marker), headers=headers, timeout=30
        )
        if r.status_code != 401 or not r.headers["Content-Type"].startswith(PROBLEM):
            wrong.append(f"{name}: {r.status_code} {r.headers.get('Content-Type')}")
    assert not wrong, "\n".join(wrong)
    # The control: the same request with the admin's own token passes authentication, and the
    # refused writes stored nothing.
    admin = w.as_(service, "admin")
    assert admin.call("GET", w.fill(path)).status_code == 200
    if kind is not None:
        assert marker not in _stored_texts(w, kind)


def _stored_texts(w: World, kind: str) -> str:
    """Everything the region holds of `kind`, as text, to search for a marker."""
    if kind == "risk":
        found = w.as_("evaluation", "admin").get(f"/regions/{w.region}/risks")
    elif kind == "innovation":
        found = w.as_("innovation", "admin").get(
            f"/regions/{w.region}/innovations", params={"limit": "500"}
        )
    else:
        found = w.as_("notification", "admin").get(f"/regions/{w.region}/rules")
    return json.dumps(found)


# --- hostile input ------------------------------------------------------------------------


def deep(levels: int) -> Any:
    value: Any = "x"
    for _ in range(levels):
        value = [value]
    return value


def deep_text(levels: int) -> str:
    return "[" * levels + "]" * levels


HUGE = "x" * (MAX_BODY_BYTES + 1)
INVALID = frozenset({400, 422})  # CONTRACT.md: invalid input is 400/422, never 500


@dataclass(frozen=True)
class Hostile:
    name: str
    service: str
    method: str
    path: str
    role_unit: tuple[str, str]
    body: Callable[[str], Any]  # marker -> JSON body, or bytes sent as is
    status: Status
    stored: Callable[[World, str], bool]  # was anything with the marker stored?
    key: str = ""  # the offending key a 422 must name


def _submission_answers(w: World, marker: str) -> bool:
    """Anything but a level for q1 in dinkes' draft (the matrix saves q1: 3)."""
    doc = w.as_("evaluation", "opd", w.region, OWN).get(f"/cycles/{w.ids['CY']}/submissions/{OWN}")
    answers, evidence = doc["answers"], doc["evidence"]
    return set(answers) - {"q1"} != set() or bool(evidence) or type(answers.get("q1", 1)) is not int


def _risk_stored(w: World, marker: str) -> bool:
    return marker in _stored_texts(w, "risk")


def _framework_stored(w: World, marker: str) -> bool:
    return w.as_("evaluation", "admin").call("GET", f"/frameworks/{marker}").status_code != 404


def _innovation_stored(w: World, marker: str) -> bool:
    return marker in _stored_texts(w, "innovation")


def _rule_stored(w: World, marker: str) -> bool:
    path = f"/regions/{w.region}/rules/{marker}"
    return w.as_("notification", "admin").call("GET", path).status_code != 404


def _preference_stored(w: World, marker: str) -> bool:
    found = w.as_("notification", "admin").get(f"/preferences/{w.email(w.region, OWN)}")
    return bool(found["stored"])


SUBMISSION = "/cycles/{CY}/submissions/dinkes"
RISKS = "/regions/{R}/risks"
INNOVATIONS = "/regions/{R}/innovations"
RULES = "/regions/{R}/rules"
OPD = ("opd", OWN)
ADMIN = ("admin", "")


def _rule(marker: str, **extra: Any) -> dict[str, Any]:
    return {**(_marked_body("rule", marker) or {}), **extra}


HOSTILE = [
    Hostile(
        "answers with a $-key",
        "evaluation",
        "PATCH",
        SUBMISSION,
        OPD,
        lambda m: {"answers": {"$where": "sleep(1000)", "q1": 2}},
        422,
        _submission_answers,
        key="$where",
    ),
    Hostile(
        "answers with a dotted key",
        "evaluation",
        "PATCH",
        SUBMISSION,
        OPD,
        lambda m: {"answers": {"q1.level": 5}},
        422,
        _submission_answers,
        key="q1.level",
    ),
    Hostile(
        "evidence with a $-key",
        "evaluation",
        "PATCH",
        SUBMISSION,
        OPD,
        lambda m: {"evidence": {"$gt": ["https://x.go.id/a.pdf"]}},
        422,
        _submission_answers,
        key="$gt",
    ),
    Hostile(
        "framework with a $-key deep inside",
        "evaluation",
        "POST",
        "/frameworks",
        ADMIN,
        lambda m: {
            **framework(m),
            "dimensions": [{**framework(m)["dimensions"][0], "$set": {"weight": 9}}],
        },
        422,
        _framework_stored,
        key="$set",
    ),
    Hostile(
        "framework with a dotted tag name",
        "evaluation",
        "POST",
        "/frameworks",
        ADMIN,
        lambda m: {
            **framework(m),
            "dimensions": [
                {
                    "key": "d1",
                    "name": "D",
                    "indicators": [
                        {**framework(m)["dimensions"][0]["indicators"][0], "tags": {"a.b": "c"}}
                    ],
                }
            ],
        },
        422,
        _framework_stored,
        key="a.b",
    ),
    Hostile(
        "risk with a $-field",
        "evaluation",
        "POST",
        RISKS,
        ADMIN,
        lambda m: {**risk_body(OWN, m), "$where": "1"},
        422,
        _risk_stored,
        key="$where",
    ),
    Hostile(
        "risk over MAX_BODY_BYTES",
        "evaluation",
        "POST",
        RISKS,
        ADMIN,
        lambda m: {**risk_body(OWN, m), "description": HUGE},
        413,
        _risk_stored,
    ),
    Hostile(
        "risk nested 100 deep",
        "evaluation",
        "POST",
        RISKS,
        ADMIN,
        lambda m: {**risk_body(OWN, m), "description": deep(100)},
        INVALID,
        _risk_stored,
    ),
    Hostile(
        "risk nested beyond the parser",
        "evaluation",
        "POST",
        RISKS,
        ADMIN,
        lambda m: f'{{"title": "{m}", "x": {deep_text(5000)}}}'.encode(),
        INVALID,
        _risk_stored,
    ),
    Hostile(
        "answers nested 100 deep",
        "evaluation",
        "PATCH",
        SUBMISSION,
        OPD,
        lambda m: {"answers": {"q1": deep(100)}},
        INVALID,
        _submission_answers,
    ),
    Hostile(
        "innovation with a $-field",
        "innovation",
        "POST",
        INNOVATIONS,
        OPD,
        lambda m: {**innovation_body(OWN, m), "$where": "1"},
        422,
        _innovation_stored,
        key="$where",
    ),
    Hostile(
        "innovation evidence with a dotted key",
        "innovation",
        "POST",
        INNOVATIONS,
        OPD,
        lambda m: {
            **innovation_body(OWN, m),
            "evidence": [{"url": "https://x.go.id/a.pdf", "description": "SK", "a.b": 1}],
        },
        422,
        _innovation_stored,
        key="a.b",
    ),
    Hostile(
        "innovation over MAX_BODY_BYTES",
        "innovation",
        "POST",
        INNOVATIONS,
        OPD,
        lambda m: {**innovation_body(OWN, m), "description": HUGE},
        413,
        _innovation_stored,
    ),
    Hostile(
        "innovation nested 100 deep",
        "innovation",
        "POST",
        INNOVATIONS,
        OPD,
        lambda m: {**innovation_body(OWN, m), "benefits": deep(100)},
        INVALID,
        _innovation_stored,
    ),
    Hostile(
        "innovation nested beyond the parser",
        "innovation",
        "POST",
        INNOVATIONS,
        OPD,
        lambda m: f'{{"name": "{m}", "x": {deep_text(5000)}}}'.encode(),
        INVALID,
        _innovation_stored,
    ),
    Hostile(
        "rule condition with a $-key",
        "notification",
        "POST",
        RULES,
        ADMIN,
        lambda m: _rule(m, conditions=[{"path": "data.rating", "in": [{"$gt": ""}]}]),
        422,
        _rule_stored,
        key="$gt",
    ),
    Hostile(
        "rule condition with a dotted key",
        "notification",
        "POST",
        RULES,
        ADMIN,
        lambda m: _rule(m, conditions=[{"path": "data.rating", "in": [{"a.b": 1}]}]),
        422,
        _rule_stored,
        key="a.b",
    ),
    Hostile(
        "rule over MAX_BODY_BYTES",
        "notification",
        "POST",
        RULES,
        ADMIN,
        lambda m: _rule(m, explicit=[HUGE]),
        413,
        _rule_stored,
    ),
    Hostile(
        "rule nested 100 deep",
        "notification",
        "POST",
        RULES,
        ADMIN,
        lambda m: _rule(m, conditions=[{"path": "data.rating", "in": [deep(100)]}]),
        INVALID,
        _rule_stored,
    ),
    Hostile(
        "preferences with a $-field",
        "notification",
        "PUT",
        "/preferences/{U1MAIL}",
        ADMIN,
        lambda m: {"language": "en", "$set": {"language": "id"}},
        422,
        _preference_stored,
        key="$set",
    ),
]


@pytest.mark.parametrize("case", HOSTILE, ids=[h.name for h in HOSTILE])
def test_hostile_input_is_refused_and_nothing_is_stored(world: World, case: Hostile) -> None:
    w = world
    marker = f"hostile-{w.sfx}-{abs(hash(case.name)) % 10**6}"
    assert not case.stored(w, marker), "stored before the request?"
    role, unit = case.role_unit
    caller = w.as_(case.service, role, w.region, unit)
    payload = case.body(marker)
    if isinstance(payload, bytes):
        r = caller.call(
            case.method,
            w.fill(case.path),
            data=payload,
            headers={"Content-Type": "application/json"},
        )
    else:
        r = caller.call(case.method, w.fill(case.path), payload)
    allowed = case.status if isinstance(case.status, frozenset) else {case.status}
    assert r.status_code in allowed, f"{r.status_code}: {r.text[:500]}"
    body = problem(r, r.status_code)
    if case.status == 422:  # refused for the hostile key itself, named in the errors
        assert case.key and case.key in json.dumps(body["errors"]), body
    assert not case.stored(w, marker), "the refused input was stored"
