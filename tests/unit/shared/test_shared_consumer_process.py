"""The per-message consumer logic, without a broker: poison, duplicates, retries."""

from __future__ import annotations

import json

import pytest

from smartcity_shared.consumer import Event, process
from smartcity_shared.errors import PermanentError, TransientError
from smartcity_shared.events import encode, new_event


class FakeProcessedLog:
    def __init__(self) -> None:
        self.ids: set[str] = set()

    def seen(self, event_id: str) -> bool:
        return event_id in self.ids

    def remember(self, event_id: str, type: str) -> None:
        self.ids.add(event_id)


def unit_event() -> dict:
    return new_event(
        "smartcity.directory.unit.upserted",
        "evaluation",
        "kab-batang:dinkes",
        {
            "unit_id": "kab-batang:dinkes",
            "region": "kab-batang",
            "code": "dinkes",
            "name": "Dinas Kesehatan",
            "head": "",
            "contact_emails": [],
            "active": True,
        },
        region="kab-batang",
    )


def test_a_valid_event_reaches_its_handler_once_and_duplicates_are_skipped() -> None:
    seen: list[Event] = []
    log = FakeProcessedLog()
    raw = encode(unit_event())
    handlers = {"smartcity.directory.unit.upserted": seen.append}
    assert process(raw, handlers, log).status == "handled"
    assert process(raw, handlers, log).status == "duplicate"
    assert len(seen) == 1 and seen[0].data["code"] == "dinkes"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"not json", "undecodable"),
        (b"[1, 2]", "undecodable"),
        (json.dumps({"specversion": "1.0"}).encode(), "bad-envelope"),
    ],
)
def test_undecodable_or_malformed_messages_are_dead_lettered(raw: bytes, reason: str) -> None:
    outcome = process(raw, {}, FakeProcessedLog())
    assert (outcome.status, outcome.reason) == ("dead-letter", reason)


def test_unknown_type_and_invalid_data_are_dead_lettered() -> None:
    event = unit_event()
    unknown = {**event, "type": "smartcity.nothing.happened"}
    invalid = {**event, "data": {**event["data"], "active": "maybe"}}
    assert process(encode(unknown), {}, FakeProcessedLog()).reason == "unknown-type"
    assert process(encode(invalid), {}, FakeProcessedLog()).reason == "schema-invalid"


def test_a_type_without_handler_is_ignored_but_not_remembered() -> None:
    log = FakeProcessedLog()
    assert process(encode(unit_event()), {}, log).status == "ignored"
    assert not log.ids


def test_a_transient_failure_propagates_and_is_not_remembered() -> None:
    log = FakeProcessedLog()

    def flaky(event: Event) -> None:
        raise TransientError("store away")

    with pytest.raises(TransientError):
        process(encode(unit_event()), {"smartcity.directory.unit.upserted": flaky}, log)
    assert not log.ids


def test_a_permanent_handler_failure_is_dead_lettered() -> None:
    def reject(event: Event) -> None:
        raise PermanentError("unit is unknown")

    outcome = process(
        encode(unit_event()), {"smartcity.directory.unit.upserted": reject}, FakeProcessedLog()
    )
    assert (outcome.status, outcome.reason) == ("dead-letter", "handler-rejected")
    assert "unit is unknown" in outcome.detail
