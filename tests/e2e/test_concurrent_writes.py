"""Issue 11: every read-modify-write is atomic. N writers at once, without If-Match, against
the gunicorn APIs (several workers and threads): every effect is kept, a state transition
happens once (the others are 409), and with a stale If-Match a write is 412.

The read-modify-writes: evaluation's use cases decorated with `retry_stale` (recommendation
notes, status, edits; risk edits and re-assessments; drafts, submit, reviews; cycle deadline,
phase, participants, carry-forward, publish; framework publish; region/unit/person edits) and
innovation's `mutate` (innovations) and master plan `_mutate`.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.e2e.hardening_world import OTHER, OWN, World, build, risk_body
from tests.e2e.portal import Portal

N = 6


@pytest.fixture(scope="module")
def world(running: Any) -> World:
    return build(running, cycles=2)


def _at_once(calls: list[Any]) -> list[Any]:
    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(lambda call: call(), calls))


def _note(portal: Portal, path: str, n: int) -> Any:
    return lambda: portal.call("POST", path, {"text": f"catatan {n}"})


def test_concurrent_notes_on_one_recommendation_are_all_kept(world: World) -> None:
    path = f"/regions/{world.region}/recommendations/{world.ids['REC']}"
    assessor = world.assessor()
    answers = _at_once([_note(assessor, f"{path}/notes", n) for n in range(N)])
    assert [r.status_code for r in answers] == [201] * N, [r.text[:300] for r in answers]
    texts = [note["text"] for note in assessor.get(path)["notes"]]
    assert sorted(texts) == sorted(f"catatan {n}" for n in range(N))


def test_concurrent_risk_reassessments_keep_every_history_entry(world: World) -> None:
    admin = world.admin()
    risk = admin.post(f"/regions/{world.region}/risks", risk_body("Banjir"), expect=201)
    path = f"/regions/{world.region}/risks/{risk['id']}"
    calls = [
        (lambda n=n: admin.call("POST", f"{path}/assessments", {"likelihood": 1 + n % 5,
                                                                  "impact": 2, "note": f"n{n}"}))
        for n in range(N)
    ]  # fmt: skip
    answers = _at_once(calls)
    assert [r.status_code for r in answers] == [201] * N, [r.text[:300] for r in answers]
    notes = [entry.get("note") for entry in admin.get(path)["history"]]
    assert sorted(n for n in notes if n) == sorted(f"n{n}" for n in range(N))


def test_concurrent_submits_of_one_draft_submit_it_once(world: World) -> None:
    opd = world.opd(OWN)
    path = f"/cycles/{world.ids['CY0']}/submissions/{OWN}"
    opd.patch(path, {"answers": {"q1": 3}})
    answers = _at_once([lambda: opd.call("POST", f"{path}/submit", {}) for _ in range(N)])
    assert Counter(r.status_code for r in answers) == {200: 1, 409: N - 1}, [
        r.text[:300] for r in answers
    ]
    trail = opd.get(f"{path}/audit")
    assert [entry["action"] for entry in trail].count("submit") == 1
    assert opd.get(path)["submission_count"] == 1


def test_concurrent_draft_saves_keep_every_answer(world: World) -> None:
    """OPD staff fill different questions of one draft at once: a merge, nothing lost."""
    opd = world.opd(OTHER)
    path = f"/cycles/{world.ids['CY1']}/submissions/{OTHER}"
    calls = [(lambda n=n: opd.call("PATCH", path, {"answers": {f"q{n + 2}": 3}})) for n in range(N)]
    answers = _at_once(calls)
    assert all(r.status_code == 200 for r in answers), [r.text[:300] for r in answers]
    assert opd.get(path)["answers"] == {f"q{n + 2}": 3 for n in range(N)}


def test_concurrent_innovation_evidence_is_all_kept(world: World) -> None:
    inn = world.opd(OWN, "innovation")
    path = f"/regions/{world.region}/innovations/{world.ids['INV']}"
    before = len(inn.get(path)["evidence"])
    calls = [
        (lambda n=n: inn.call("POST", f"{path}/evidence",
                              {"url": f"https://x.id/{n}", "description": f"d{n}"}))
        for n in range(N)
    ]  # fmt: skip
    answers = _at_once(calls)
    assert all(r.status_code in (200, 201) for r in answers), [r.text[:300] for r in answers]
    assert len(inn.get(path)["evidence"]) == before + N


def test_a_stale_if_match_is_412_and_changes_nothing(world: World) -> None:
    assessor = world.assessor()
    path = f"/regions/{world.region}/recommendations/{world.ids['REC']}"
    current = assessor.call("GET", path, expect=200)
    stale = current.headers["ETag"]
    assessor.post(f"{path}/notes", {"text": "lebih dulu"}, expect=201)
    r = assessor.call("POST", f"{path}/notes", {"text": "basi"}, headers={"If-Match": stale})
    assert r.status_code == 412, r.text
    assert all(n["text"] != "basi" for n in assessor.get(path)["notes"])


def test_concurrent_first_puts_of_a_quota_policy_all_succeed(world: World) -> None:
    """A PUT replaces the whole policy: without If-Match the last one wins, none is refused
    (the first PUTs of a year used to race: the losers got 412 without sending If-Match)."""
    admin = world.admin("innovation")
    path = f"/regions/{world.region}/quota/2021"
    calls = [(lambda n=n: admin.call("PUT", path, {"required_per_unit": 1 + n})) for n in range(N)]
    answers = _at_once(calls)
    assert [r.status_code for r in answers] == [200] * N, [r.text[:300] for r in answers]
    assert admin.get(path)["required_per_unit"] in range(1, N + 1)
