"""The first real event path: evaluation HTTP write -> outbox -> Kafka -> notification worker."""

from __future__ import annotations

from typing import Any

from evaluation import bootstrap as eval_bootstrap
from evaluation.app import create_app as create_eval_app
from evaluation.worker import main as _eval_worker_main  # noqa: F401  (the real entry exists)
from notification import bootstrap as notif_bootstrap
from smartcity_shared import directory_copy
from smartcity_shared.devtoken import mint
from smartcity_shared.events import encode
from smartcity_shared.worker import WorkerSpec
from tests.support.kafka import events_of, produce, read_all
from tests.support.stack import eventually


def admin_headers(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint(secret, 'admin', 'kab-batang')}"}


def test_a_new_opd_reaches_the_notification_projection_once(
    make_settings, start_worker, mongo
) -> None:  # type: ignore[no-untyped-def]
    eval_settings = make_settings("evaluation")
    notif_settings = make_settings("notification")
    eval_ctx = eval_bootstrap.build(eval_settings)
    client = create_eval_app(eval_settings, eval_ctx).test_client()
    headers = admin_headers(eval_settings.jwt_secret)

    r = client.post(
        "/regions", json={"region_id": "kab-batang", "name": "Kabupaten Batang"}, headers=headers
    )
    assert r.status_code == 201, r.get_json()
    r = client.post(
        "/regions/kab-batang/units",
        headers={**headers, "X-Correlation-ID": "c-42"},
        json={
            "code": "dinkes",
            "name": "Dinas Kesehatan",
            "contact_emails": ["dinkes@batangkab.go.id"],
        },
    )
    assert r.status_code == 201, r.get_json()
    assert r.headers["ETag"] == '"1"'

    start_worker(
        eval_settings, eval_ctx.db, WorkerSpec("evaluation", [], {}, eval_bootstrap.AGGREGATES)
    )
    notif_ctx = notif_bootstrap.build(notif_settings)
    start_worker(
        notif_settings,
        notif_ctx.db,
        WorkerSpec(
            "notification", ["smartcity.directory"], directory_copy.handlers(notif_ctx.db), []
        ),
    )

    records = read_all(eval_settings, "smartcity.directory", expect=2)
    events = events_of(records)
    unit_event = next(e for e in events if e["type"] == "smartcity.directory.unit.upserted")
    assert unit_event["subject"] == "kab-batang:dinkes"
    assert unit_event["correlationid"] == "c-42"
    assert {r.key for r in records} == {b"kab-batang", b"kab-batang:dinkes"}

    units = notif_ctx.db[directory_copy.UNITS]
    stored = eventually(lambda: units.find_one({"_id": "kab-batang:dinkes"}), message="projection")
    assert stored["contact_emails"] == ["dinkes@batangkab.go.id"]

    # Redelivery of the same event is absorbed: processed once, projection unchanged.
    produce(eval_settings, "smartcity.directory", "kab-batang:dinkes", encode(unit_event))
    processed = notif_ctx.db["processed_events"]
    eventually(lambda: processed.count_documents({}) == 2, message="two events processed")
    assert processed.count_documents({"_id": {"$regex": unit_event["id"]}}) == 1
    assert eval_ctx.db["units"].find_one({"_id": "kab-batang:dinkes"}).get("_pending") is None


def test_an_edit_with_a_stale_etag_is_412_and_nothing_is_published(make_settings) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings("evaluation")
    ctx = eval_bootstrap.build(settings)
    client = create_eval_app(settings, ctx).test_client()
    headers = admin_headers(settings.jwt_secret)
    client.post("/regions", json={"region_id": "kab-batang", "name": "Batang"}, headers=headers)
    client.post(
        "/regions/kab-batang/units", json={"code": "bappeda", "name": "Bappeda"}, headers=headers
    )
    ok = client.patch(
        "/regions/kab-batang/units/bappeda",
        json={"head": "Ir. Siti"},
        headers={**headers, "If-Match": '"1"'},
    )
    assert ok.status_code == 200 and ok.headers["ETag"] == '"2"'
    stale = client.patch(
        "/regions/kab-batang/units/bappeda",
        json={"head": "Someone else"},
        headers={**headers, "If-Match": '"1"'},
    )
    assert stale.status_code == 412
    assert stale.mimetype == "application/problem+json"
    doc: dict[str, Any] = ctx.db["units"].find_one({"_id": "kab-batang:bappeda"})
    assert doc["head"] == "Ir. Siti"
    assert len(doc["_outbox"]) == 2  # created + one accepted edit; the stale one left no event
