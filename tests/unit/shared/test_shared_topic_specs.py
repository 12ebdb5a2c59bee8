"""Topic settings by replication: a three-replica topic accepts a write once two hold it."""

from __future__ import annotations

from smartcity_shared.kafka_io import topic_specs
from smartcity_shared.settings import Settings


def test_three_replicas_need_two_in_sync_for_every_topic_and_dead_letter_topic() -> None:
    settings = Settings.from_env("evaluation", {"KAFKA_TOPIC_REPLICATION": "3"})
    specs = topic_specs(settings)
    assert specs and all(spec["replication_factor"] == 3 for spec in specs.values())
    assert all(spec["configs"]["min.insync.replicas"] == "2" for spec in specs.values())
    assert specs["smartcity.directory"]["configs"]["cleanup.policy"] == "compact"


def test_a_single_broker_keeps_the_broker_default() -> None:
    specs = topic_specs(Settings.from_env("evaluation", {}))
    assert all("min.insync.replicas" not in spec.get("configs", {}) for spec in specs.values())
