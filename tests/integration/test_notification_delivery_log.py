"""Failed deliveries are never silent: 550 → failed, dead-lettered, in the API and metrics;
resend rules; 451 → retried."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.support.kafka import read_all
from tests.support.stack import eventually

from .test_notification_support import (
    NotifyStack,
    notify_stack,
    returned,
)

UNITS = {"dinkes": "Dinas Kesehatan", "dlh": "Dinas Lingkungan Hidup", "dinsos": "Dinas Sosial"}


@pytest.fixture
def notify(make_settings, start_worker, stack_env) -> Iterator[NotifyStack]:  # type: ignore[no-untyped-def]
    yield from notify_stack(make_settings, start_worker, stack_env)


def test_a_rejected_address_is_failed_dead_lettered_visible_and_resent_only_when_failed(
    notify,
) -> None:  # type: ignore[no-untyped-def]
    rejected, later = notify.address("reject-dinkes"), notify.address("tempfail-dlh")
    notify.worker()
    notify.directory(UNITS, contacts={"dinkes": rejected, "dlh": later})
    bad = notify.publish(returned("c-1", "dinkes", UNITS["dinkes"]))
    slow = notify.publish(returned("c-1", "dlh", UNITS["dlh"]))
    ok = notify.publish(returned("c-1", "dinsos", UNITS["dinsos"]))
    admin = notify.headers()

    [failed] = eventually(lambda: notify.deliveries(status="failed"), message="failed delivery")
    assert (failed["event_id"], failed["recipient"]) == (bad["id"], rejected)
    assert failed["attempts"] == 1 and failed["smtp_code"] == 550
    assert failed["failure_class"] == "permanent" and "5.1.1" in failed["last_error"]
    [retrying] = eventually(lambda: notify.deliveries(status="retrying", recipient=later))
    assert retrying["event_id"] == slow["id"] and retrying["failure_class"] == "transient"
    eventually(lambda: notify.deliveries(status="sent", event_id=ok["id"]))

    [letter] = read_all(notify.settings, "smartcity.notification.dlq", expect=1)
    record = json.loads(letter.value)
    assert (record["reason"], record["recipient"], record["smtp_code"]) == (
        "smtp-permanent",
        rejected,
        550,
    )
    assert dict(letter.headers)["dlq.reason"] == b"smtp-permanent"

    stats = notify.client.get("/deliveries/stats", headers=admin).get_json()
    assert stats["counts"]["failed"] == 1 and stats["counts"]["sent"] == 1
    metrics = notify.client.get("/metrics").get_data(as_text=True)
    assert "notification_failed_deliveries 1.0" in metrics
    one = notify.client.get(f"/deliveries/{failed['id']}", headers=admin).get_json()
    assert one["mail_subject"].startswith("Isian Dinas Kesehatan") and "Yth." in one["text"]

    # Resend: only the region's admin, only a failed delivery; it fails again (still 550).
    opd = notify.headers("opd", unit="dinkes")
    assert notify.client.post(f"/deliveries/{failed['id']}/resend", headers=opd).status_code == 403
    elsewhere = notify.headers(region="kab-pekalongan")
    r = notify.client.post(f"/deliveries/{failed['id']}/resend", headers=elsewhere)
    assert r.status_code == 404
    r = notify.client.post(f"/deliveries/{failed['id']}/resend", headers=admin)
    assert r.status_code == 200 and r.get_json()["status"] in ("pending", "sending", "failed")
    again = eventually(
        lambda: [
            d
            for d in notify.deliveries(status="failed")
            if d["attempt_log"][-1]["outcome"] == "failed" and len(d["attempt_log"]) == 3
        ]
    )
    assert [a["outcome"] for a in again[0]["attempt_log"]] == ["failed", "resend", "failed"]
    assert len(read_all(notify.settings, "smartcity.notification.dlq", expect=2)) == 2
    [sent] = notify.deliveries(status="sent")
    r = notify.client.post(f"/deliveries/{sent['id']}/resend", headers=admin)
    assert r.status_code == 409 and r.mimetype == "application/problem+json"


def test_the_log_is_searchable_and_scoped_to_the_callers_region_and_unit(notify) -> None:  # type: ignore[no-untyped-def]
    notify.worker()
    notify.directory(UNITS)
    for code, name in UNITS.items():
        notify.publish(returned("c-2", code, name))
    eventually(lambda: len(notify.deliveries(status="sent")) == 3)

    def search(headers, **query):  # type: ignore[no-untyped-def]
        r = notify.client.get("/deliveries", query_string=query, headers=headers)
        return r.status_code, r.get_json()

    status, body = search(notify.headers(), template="submission_returned", limit=2)
    assert status == 200 and body["total"] == 3 and len(body["items"]) == 2
    _, body = search(notify.headers(), recipient=notify.address("dlh").upper())
    assert [d["unit"] for d in body["items"]] == ["kab-batang:dlh"]
    _, body = search(notify.headers("opd", unit="dinsos"))
    assert [d["unit"] for d in body["items"]] == ["kab-batang:dinsos"]
    _, body = search(notify.headers("assessor", region="*"), date_from="2000-01-01")
    assert body["total"] == 3
    status, body = search(notify.headers(region="kab-pekalongan"))
    assert status == 200 and body["total"] == 0
    status, body = search(notify.headers(), region="kab-pekalongan")
    assert status == 404 and "errors" not in body
    status, body = search(notify.headers(), status="lost")
    assert status == 422 and "query.status" in body["errors"]
    assert search(notify.headers("viewer"))[0] == 403
    assert notify.client.get("/deliveries").status_code == 401
