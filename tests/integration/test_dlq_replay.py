"""The DLQ replay command puts repaired messages back where consumers handle them."""

from __future__ import annotations

import json
import threading

from smartcity_shared import dlq
from smartcity_shared.consumer import Event
from smartcity_shared.consumer_loop import ConsumerLoop, MongoProcessedLog
from smartcity_shared.events import encode, new_event
from smartcity_shared.kafka_io import publisher
from tests.support.kafka import produce, read_all
from tests.support.stack import eventually

UNIT = "smartcity.directory.unit.upserted"


def test_a_repaired_dead_letter_is_replayed_and_handled_once(make_settings, mongo) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings("notification")
    db = mongo[settings.database]
    good = new_event(
        UNIT,
        "evaluation",
        "kab-batang:dlh",
        {
            "unit_id": "kab-batang:dlh",
            "region": "kab-batang",
            "code": "dlh",
            "name": "Dinas Lingkungan Hidup",
            "active": True,
        },
        region="kab-batang",
    )
    broken = {**good, "data": {**good["data"], "active": "yes please"}}
    produce(settings, "smartcity.directory", "kab-batang:dlh", encode(broken))
    handled: list[Event] = []
    loop = ConsumerLoop(
        settings,
        "replay",
        ["smartcity.directory"],
        {UNIT: handled.append},
        MongoProcessedLog(db, "replay"),
        publisher(settings),
    )
    stop = threading.Event()
    thread = threading.Thread(target=loop.run, args=(stop,), daemon=True)
    thread.start()
    try:
        read_all(settings, "smartcity.directory.dlq", expect=1)
        entries = [entry for _, entry in dlq.dead_letters(settings, "smartcity.directory")]
        assert [e["reason"] for e in entries] == ["schema-invalid"]
        repaired = {**entries[0], "value": {**entries[0]["value"], "data": good["data"]}}
        assert dlq.replay_file(settings, "smartcity.directory", [json.dumps(repaired)]) == 1
        eventually(lambda: handled, message="the repaired event handled")
        # Replaying the raw dead letters as they are: the broken one comes back to the DLQ
        # (still broken) and the replay stops at the end it saw when it started.
        assert dlq.replay(settings, "smartcity.directory") == 1
        read_all(settings, "smartcity.directory.dlq", expect=2)
    finally:
        stop.set()
        thread.join(timeout=20)
    assert [e.id for e in handled] == [good["id"]]
    assert handled[0].data["active"] is True
