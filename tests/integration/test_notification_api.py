"""The HTTP API: recipient rules, preferences, template previews, and their effect on mail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.stack import eventually

from .test_notification_support import (
    NotifyStack,
    notify_stack,
    returned,
    submission,
)

UNITS = {"dinkes": "Dinas Kesehatan", "dlh": "Dinas Lingkungan Hidup", "dinsos": "Dinas Sosial"}
RULE = {
    "id": "returned-to-assessors", "event_type": "smartcity.submission.returned",
    "audiences": ["assessors", "explicit"], "explicit": ["inspektorat@batangkab.go.id"],
    "template": "submission_returned", "category": "review",
}  # fmt: skip


@pytest.fixture
def notify(make_settings, start_worker, stack_env) -> Iterator[NotifyStack]:  # type: ignore[no-untyped-def]
    yield from notify_stack(make_settings, start_worker, stack_env)


def test_recipient_rules_are_seeded_validated_and_edited_by_the_regions_admin(notify) -> None:  # type: ignore[no-untyped-def]
    admin, c = notify.headers(), notify.client
    rules = c.get("/regions/kab-batang/rules", headers=admin).get_json()
    assert "submission-deadline" in {r["id"] for r in rules}
    risk = next(r for r in rules if r["id"] == "risk-raised-high")
    assert all(c.get("in") for c in risk["conditions"])  # conditions keep their values

    bad = {**RULE, "audiences": ["assessors", "everyone"], "template": "nope", "extra": 1}
    r = c.post("/regions/kab-batang/rules", json=bad, headers=admin)
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert set(r.get_json()["errors"]) >= {"extra"}
    del bad["extra"]
    r = c.post("/regions/kab-batang/rules", json=bad, headers=admin)
    assert r.status_code == 422 and set(r.get_json()["errors"]) == {"audiences.1", "template"}
    dollar = {**RULE, "conditions": [{"path": "data.x", "in": [{"$where": "1"}]}]}
    assert c.post("/regions/kab-batang/rules", json=dollar, headers=admin).status_code == 422

    r = c.post("/regions/kab-batang/rules", json=RULE, headers=admin)
    assert r.status_code == 201 and r.headers["ETag"] == '"1"'
    assert c.post("/regions/kab-batang/rules", json=RULE, headers=admin).status_code == 409
    path = "/regions/kab-batang/rules/returned-to-assessors"
    body = {k: v for k, v in RULE.items() if k != "id"} | {"enabled": False}
    stale = c.put(path, json=body, headers={**admin, "If-Match": '"7"'})
    assert stale.status_code == 412
    r = c.put(path, json=body, headers={**admin, "If-Match": '"1"'})
    assert r.status_code == 200 and r.get_json()["enabled"] is False
    assert c.get(path, headers=notify.headers("assessor", region="*")).status_code == 200
    assert c.put(path, json=body, headers=notify.headers("opd", unit="dinkes")).status_code == 403
    other = notify.headers(region="kab-pekalongan")
    assert c.delete(path, headers=other).status_code == 404
    assert c.delete(path, headers=admin).status_code == 204
    assert c.get(path, headers=admin).status_code == 404
    c.delete("/regions/kab-batang/rules/submission-verified", headers=admin)
    restored = c.post("/regions/kab-batang/rules/defaults", headers=admin).get_json()
    assert restored == {"added": ["submission-verified"]}


def test_preferences_belong_to_their_person_or_the_regions_admin(notify) -> None:  # type: ignore[no-untyped-def]
    notify.worker()
    notify.directory(UNITS)
    me = notify.address("dinkes")
    mine = notify.headers("opd", unit="dinkes", email=me)
    c = notify.client

    r = c.get(f"/preferences/{me}", headers=mine)
    assert r.status_code == 200 and r.get_json() | {} == {
        "email": me, "language": "id", "opt_out": [], "digest_hour": None,
        "timezone": "Asia/Jakarta", "stored": False,
    }  # fmt: skip
    r = c.put(f"/preferences/{me}", json={"opt_out": ["deadline", "risk"]}, headers=mine)
    assert r.status_code == 422 and set(r.get_json()["errors"]) == {"opt_out.0"}
    r = c.put(f"/preferences/{me}", json={"digest_hour": 24}, headers=mine)
    assert r.status_code == 422 and "digest_hour" in r.get_json()["errors"]
    r = c.put(f"/preferences/{me}", json={"language": "en", "opt_out": ["risk"]}, headers=mine)
    assert r.status_code == 200 and r.get_json()["stored"] is True

    someone = notify.headers("opd", unit="dlh", email=notify.address("dlh"))
    assert c.get(f"/preferences/{me}", headers=someone).status_code == 403
    assert c.get(f"/preferences/{me}", headers=notify.headers()).status_code == 200
    stranger = "someone@elsewhere.example"
    assert c.put(f"/preferences/{stranger}", json={}, headers=notify.headers()).status_code == 403


def test_preferences_decide_language_suppression_and_the_daily_digest(notify) -> None:  # type: ignore[no-untyped-def]
    notify.worker()
    notify.directory(UNITS)
    c, admin = notify.client, notify.headers()
    prefs = {"dinkes": {"language": "en"}, "dlh": {"opt_out": ["review"]}, "dinsos": {}}
    prefs["dinsos"] = {"digest_hour": 7}
    for code, body in prefs.items():
        r = c.put(f"/preferences/{notify.address(code)}", json=body, headers=admin)
        assert r.status_code == 200

    for code, name in UNITS.items():
        notify.publish(submission("verified", "c-9", code, name, verified_by="a1"))
        notify.publish(returned("c-9", code, name))  # urgent: never held for the digest

    english = notify.wait_for_mails(notify.address("dinkes"), count=2)
    assert {m["subject"] for m in english} == {
        "Dinas Kesehatan submission verified: Evaluasi Smart City",
        "Dinas Kesehatan submission returned for revision: Evaluasi Smart City",
    }
    suppressed = eventually(lambda: len(notify.deliveries(status="suppressed")) == 2)
    assert suppressed  # dlh opted out of review results: neither mail goes out
    assert {d["recipient"] for d in notify.deliveries(status="suppressed")} == {
        notify.address("dlh")
    }
    [now_mail] = notify.wait_for_mails(notify.address("dinsos"))
    assert "dikembalikan" in now_mail["subject"]
    assert notify.mails_to(notify.address("dlh")) == []

    # The digest hour comes (moved into the past here): one e-mail lists the held notice.
    held = notify.ctx.db["digest_items"]
    eventually(lambda: held.count_documents({"email": notify.address("dinsos")}) == 1)
    held.update_many({}, {"$set": {"digest_at": datetime.now(UTC) - timedelta(minutes=1)}})
    mails = notify.wait_for_mails(notify.address("dinsos"), count=2)
    digest = next(m for m in mails if m["subject"].startswith("Ringkasan notifikasi"))
    assert digest["subject"].endswith(": 1 pemberitahuan")
    assert "- Isian Dinas Sosial telah diverifikasi: Evaluasi Smart City" in digest["text"]
    eventually(lambda: notify.deliveries(template="digest", status="sent"))


def test_a_template_preview_renders_its_example_in_the_chosen_language(notify) -> None:  # type: ignore[no-untyped-def]
    c, admin = notify.client, notify.headers()
    r = c.post("/templates/submission_deadline/preview", json={"language": "id"}, headers=admin)
    body = r.get_json()
    assert r.status_code == 200 and body["subject"].startswith("Pengingat: isian")
    assert "7 Juli 2020" in body["text"] and body["html"].startswith("<!DOCTYPE html>")
    r = c.post(
        "/templates/risk_raised/preview",
        json={"language": "en", "data": {"title": "Banjir rob"}},
        headers=notify.headers("assessor", region="*"),
    )
    assert r.status_code == 200 and "Banjir rob" in r.get_json()["subject"]
    assert c.post("/templates/nope/preview", json={}, headers=admin).status_code == 404
    r = c.post("/templates/digest/preview", json={"language": "fr"}, headers=admin)
    assert r.status_code == 422 and "language" in r.get_json()["errors"]
    opd = notify.headers("opd", unit="dinkes")
    assert c.post("/templates/digest/preview", json={}, headers=opd).status_code == 403
    names = {t["name"] for t in c.get("/templates", headers=admin).get_json()}
    assert {"digest", "submission_deadline", "risk_raised"} <= names
