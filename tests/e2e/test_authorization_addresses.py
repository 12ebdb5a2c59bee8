"""Security (issue 11): notification preferences are managed by their person and by the admins
of the region that holds the person, never by an admin who typed the address into a unit of
its own region; and that region's mail does not reach another region's people that way.

Region A registers a person P and a unit contact address C (nobody's person record). Region B's
admin creates a unit whose contacts are P, C and an address of B's own (the control), then
tries to read and overwrite P's and C's preferences, and raises a high risk of that unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.e2e.portal import Portal, problem, suffix
from tests.support.stack import eventually

EVENTS = 90.0


@dataclass(frozen=True)
class Scene:
    running: Any
    a: str
    b: str
    person: str  # a person of A
    contact: str  # an OPD contact address of A, nobody's person record
    control: str  # B's own contact address

    def admin(self, region: str) -> Portal:
        email = f"diskominfo@{region}.go.id"
        return Portal(self.running, "notification", "admin", region, email=email)


@pytest.fixture(scope="module")
def scene(running: Any) -> Scene:
    sfx = suffix()
    a, b = f"kab-a-{sfx}", f"kab-b-{sfx}"
    s = Scene(running, a, b, f"p-{sfx}@a.go.id", f"dinkes-{sfx}@a.go.id", f"c-{sfx}@b.go.id")
    for region in (a, b):
        admin = Portal(running, "evaluation", "admin", region)
        admin.post("/regions", {"region_id": region, "name": region}, expect=201)
    a_admin = Portal(running, "evaluation", "admin", a)
    a_admin.post(f"/regions/{a}/units", _unit("dinkes", s.contact), expect=201)
    person = {"name": "Pegawai A", "email": s.person, "role": "opd", "unit": "dinkes"}
    a_admin.post(f"/regions/{a}/people", person, expect=201)
    b_admin = Portal(running, "evaluation", "admin", b)
    typed = _unit("typed", s.person, s.contact, s.control)
    b_admin.post(f"/regions/{b}/units", typed, expect=201)
    # The notification service's copy of the directory has B's unit once B's own address is
    # manageable by B's admin.
    eventually(
        lambda: s.admin(b).call("GET", f"/preferences/{s.control}").status_code == 200,
        EVENTS,
        message="B's unit in the notification service's directory copy",
    )
    return s


def _unit(code: str, *emails: str) -> dict[str, Any]:
    return {"code": code, "name": code.title(), "contact_emails": list(emails)}


def test_an_admin_cannot_manage_another_regions_person_typed_into_its_unit(scene: Scene) -> None:
    s = scene
    intruder = s.admin(s.b)
    change = {"language": "en", "opt_out": ["risk", "review"]}
    for address in (s.person, s.contact):
        problem(intruder.call("GET", f"/preferences/{address}"), 403)
        problem(intruder.call("PUT", f"/preferences/{address}", change), 403)
    # P's own region and P itself still manage P's preferences; nothing was changed.
    owner = s.admin(s.a).get(f"/preferences/{s.person}")
    assert owner["stored"] is False and owner["opt_out"] == []
    me = Portal(s.running, "notification", "opd", s.a, "dinkes", s.person)
    assert me.put(f"/preferences/{s.person}", {"language": "id"})["stored"] is True
    # B's admin manages the address only B lists.
    assert intruder.put(f"/preferences/{s.control}", {"language": "en"})["language"] == "en"


def test_mail_of_a_region_does_not_reach_another_regions_person_typed_into_it(
    scene: Scene,
) -> None:
    s = scene
    admin = Portal(s.running, "evaluation", "admin", s.b)
    risk = {
        "unit": "typed",
        "perspective": "community_engagement",
        "title": "Risiko tinggi",
        "likelihood": 4,
        "impact": 4,
    }
    admin.post(f"/regions/{s.b}/risks", risk, expect=201)
    log = Portal(s.running, "notification", "admin", s.b)

    def delivered() -> list[str]:
        page = log.get("/deliveries", params={"unit": "typed", "limit": "500"})
        recipients = [d["recipient"] for d in page["items"]]
        return recipients if s.control in recipients else []

    recipients = eventually(delivered, EVENTS, message="B's risk mail to B's own contact")
    assert s.person not in recipients, recipients
