"""Issue 11, "nothing lost, nothing half-written": bodies that were not read, input that made
the services answer 500, unbounded strings and lists, and links, over HTTP against the stack.

- A write whose body is not JSON (text/plain, a form, no Content-Type) is 415 problem+json and
  changes nothing (it used to be read as `{}`: a PUT reset a quota exemption and opt-outs).
- A lone surrogate, an integer beyond 64 bits, a date like 0001-01-01: 422, never 500.
- Every string and list has a limit (docs/LIMITS.md); error lists are capped.
- Links (evaluation evidence, recommendation notes, innovation evidence) are http(s) URLs only.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from tests.e2e.hardening_world import OTHER, OWN, World, build, innovation_body
from tests.e2e.portal import problem

HUGE = 10**30


@pytest.fixture(scope="module")
def world(running: Any) -> World:
    return build(running)


def _raw(portal: Any, method: str, path: str, data: Any, content_type: str | None) -> Any:
    """`data` sent as is (no JSON encoding), with `content_type` or none; through
    `Portal.call`, which retries a refused connection or a 503 of a restarting API."""
    headers = {"Content-Type": content_type} if content_type else {}
    return portal.call(method, path, data=data, headers=headers)


def _json_text(portal: Any, method: str, path: str, text: str) -> Any:
    return _raw(portal, method, path, text.encode(), "application/json")


# --- 415: a body that was not parsed is refused, and nothing is reset -------------------------


def test_a_quota_policy_put_as_text_is_415_and_keeps_the_exemption(world: World) -> None:
    admin = world.admin("innovation")
    path = f"/regions/{world.region}/quota/2020"
    admin.put(path, {"exempt_units": [OWN], "required_per_unit": 2})
    body = json.dumps({"required_per_unit": 3})
    for content_type in ("text/plain", None, "application/x-www-form-urlencoded"):
        refused = _raw(admin, "PUT", path, body, content_type)
        assert "415" in problem(refused, 415)["type"]
    kept = admin.get(path)
    assert kept["exempt_units"] == [OWN] and kept["required_per_unit"] == 2


def test_a_preferences_put_as_text_or_form_is_415_and_keeps_the_opt_outs(world: World) -> None:
    portal = world.admin("notification")
    path = f"/preferences/{world.email(OWN)}"
    portal.put(path, {"language": "en", "opt_out": ["info"]})
    problem(_raw(portal, "PUT", path, '{"language": "id"}', "text/plain"), 415)
    problem(_raw(portal, "PUT", path, {"language": "id"}, None), 415)  # requests: a form
    problem(_raw(portal, "PUT", path, "", None), 415)  # no body, no Content-Type
    kept = portal.get(path)
    assert kept["language"] == "en" and kept["opt_out"] == ["info"]


def test_a_post_without_content_type_is_415_in_every_service(world: World) -> None:
    risk = json.dumps({"unit": OWN, "perspective": "community_engagement", "title": "t"})
    cases = [
        (world.admin(), f"/regions/{world.region}/risks", risk),
        (world.opd(OWN, "innovation"), f"/regions/{world.region}/innovations", "{}"),
        (world.admin("notification"), f"/regions/{world.region}/rules", "{}"),
    ]
    for portal, path, body in cases:  # curl -d without -H: a form
        problem(_raw(portal, "POST", path, body, "application/x-www-form-urlencoded"), 415)
    assert all(r["title"] != "t" for r in world.admin().get(f"/regions/{world.region}/risks"))


# --- 422, never 500 ---------------------------------------------------------------------------


def test_a_lone_surrogate_in_any_string_is_422(world: World) -> None:
    region = world.region
    cases = [
        (world.admin(), "PATCH", f"/regions/{region}/units/{OWN}", '{"name": "\\ud800"}'),
        (world.admin(), "POST", f"/regions/{region}/risks", '{"title": "x\\udfff"}'),
        (
            world.opd(OWN, "innovation"),
            "PATCH",
            f"/regions/{region}/innovations/{world.ids['INV']}",
            '{"description": "\\ud800"}',
        ),
        (world.admin("notification"), "PUT", f"/preferences/{world.email(OWN)}", '{"\\ud800": 1}'),
    ]
    for portal, method, path, text in cases:
        assert problem(_json_text(portal, method, path, text), 422)["errors"]


def test_an_integer_beyond_64_bits_is_422(world: World) -> None:
    path = f"/regions/{world.region}/innovations/{world.ids['INV']}"
    found = problem(
        _json_text(world.opd(OWN, "innovation"), "PATCH", path, f'{{"beneficiaries": {HUGE}}}'), 422
    )
    assert "beneficiaries" in found["errors"]
    limit = f'{{"limit": {HUGE}, "threshold": 3}}'
    generate = f"/cycles/{world.ids['CY0']}/submissions/{OWN}/recommendations"
    problem(_json_text(world.assessor(), "POST", generate, limit), 422)
    r = world.admin().call("GET", f"/regions/{world.region}/cycles", params={"year": str(HUGE)})
    problem(r, 422)


def test_a_date_out_of_range_in_a_filter_or_body_is_422(world: World) -> None:
    notify = world.admin("notification")
    for params in ({"date_from": "0001-01-01"}, {"date_to": "9999-12-31"}):
        problem(notify.call("GET", "/deliveries", params={"region": world.region, **params}), 422)
    overdue = f"/regions/{world.region}/recommendations/overdue"
    problem(world.admin().call("GET", overdue, params={"on": "0001-01-01"}), 422)
    risk = {"unit": OWN, "perspective": "community_engagement", "title": "t", "likelihood": 1}
    r = world.admin().call(
        "POST", f"/regions/{world.region}/risks", {**risk, "impact": 1, "review_date": "0001-01-01"}
    )
    assert "review_date" in problem(r, 422)["errors"]


# --- limits -----------------------------------------------------------------------------------


def test_long_strings_and_long_lists_are_422_and_error_lists_are_capped(world: World) -> None:
    admin = world.admin()
    reason = {"reason": "x" * 200_000, "submission_deadline": "2030-01-01"}
    problem(admin.call("PUT", f"/cycles/{world.ids['CY0']}/deadline", reason), 422)
    name = innovation_body("N" * 201)
    inn = world.opd(OWN, "innovation")
    assert (
        "name"
        in problem(inn.call("POST", f"/regions/{world.region}/innovations", name), 422)["errors"]
    )
    links = {"text": "ok", "evidence": [f"https://x.id/{n}" for n in range(300)]}
    notes = f"/regions/{world.region}/recommendations/{world.ids['REC']}/notes"
    problem(world.assessor().call("POST", notes, links), 422)
    answers = {"answers": {f"k{n}": 1 for n in range(60_000)}}
    path = f"/cycles/{world.ids['CY0']}/submissions/{OWN}"
    started = time.monotonic()
    r = world.opd(OWN).call("PATCH", path, answers)
    took = time.monotonic() - started
    assert len(r.content) < 20_000, (len(r.content), took)
    problem(r, 422)
    few = {"answers": {f"k{n}": 1 for n in range(900)}}  # under the list cap: per-key errors
    body = problem(world.opd(OWN).call("PATCH", path, few), 422)
    assert len(body["errors"]) == 50 and body["errors_omitted"] == 850


def test_duplicate_participants_are_reported_by_position(world: World) -> None:
    codes = [OWN, OTHER, OWN] + [OWN] * 900
    cycle = {"year": 2021, "framework_key": f"{world.region}-input", "participants": codes}
    body = problem(world.admin().call("POST", f"/regions/{world.region}/cycles", cycle), 422)
    assert body["errors"]["participants.2"] == [f"{OWN!r} is listed twice"]


# --- links ------------------------------------------------------------------------------------

BAD_LINKS = [
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "/../../../etc/passwd",
    "ftp://x.id/a",
    "https://",
]


@pytest.mark.parametrize("link", BAD_LINKS)
def test_only_http_links_are_accepted_everywhere(world: World, link: str) -> None:
    notes = f"/regions/{world.region}/recommendations/{world.ids['REC']}/notes"
    r = world.assessor().call("POST", notes, {"text": "bukti", "evidence": [link]})
    assert "evidence.0" in problem(r, 422)["errors"]
    evidence = f"/regions/{world.region}/innovations/{world.ids['INV']}/evidence"
    inn = world.opd(OWN, "innovation")
    problem(inn.call("POST", evidence, {"url": link, "description": "bukti"}), 422)
    draft = f"/cycles/{world.ids['CY0']}/submissions/{OWN}"
    r = world.opd(OWN).call("PATCH", draft, {"evidence": {"q1": [link]}})
    assert "evidence.q1" in problem(r, 422)["errors"]
    rec = world.admin().get(f"/regions/{world.region}/recommendations/{world.ids['REC']}")
    assert all(link not in note["evidence"] for note in rec["notes"])


def test_http_links_are_kept(world: World) -> None:
    link = "https://batangkab.go.id/bukti/1.pdf"
    notes = f"/regions/{world.region}/recommendations/{world.ids['REC']}/notes"
    stored = world.assessor().post(notes, {"text": "bukti", "evidence": [link]}, expect=201)
    assert stored["notes"][-1]["evidence"] == [link]
    evidence = f"/regions/{world.region}/innovations/{world.ids['INV']}/evidence"
    kept = world.opd(OWN, "innovation").post(evidence, {"url": link, "description": "d"})
    assert kept["evidence"][-1]["url"] == link


def test_a_recommendation_keeps_at_most_100_notes(world: World) -> None:
    """Notes used to append without end (~1 MB each); now 10,000 characters, 100 notes."""
    assessor = world.assessor()
    rec = {"unit": OWN, "title": "Banyak catatan", "due_date": "2030-01-01"}
    path = f"/regions/{world.region}/recommendations"
    rec_id = assessor.post(path, rec, expect=201)["id"]
    problem(assessor.call("POST", f"{path}/{rec_id}/notes", {"text": "x" * 10_001}), 422)
    for n in range(100):
        assessor.post(f"{path}/{rec_id}/notes", {"text": f"catatan {n}"}, expect=201)
    full = assessor.call("POST", f"{path}/{rec_id}/notes", {"text": "satu lagi"})
    assert "at most 100 notes" in problem(full, 409)["detail"]
    assert len(assessor.get(f"{path}/{rec_id}")["notes"]) == 100
