"""A poison message on every consumed topic: each consumer of the topic puts it on
`<topic>.dlq` with the reason in the headers and goes on, so valid events sent after it on
the same topic are handled, as the HTTP APIs and the mail sink show.

Poison lands on every partition of every topic (undecodable bytes), plus one well-formed
envelope of an unknown type per topic, before any of the valid work is sent. The valid work:
a region and its OPDs (directory: the innovation and notification workers copy them), an
extreme risk (evaluation), a verified innovation (innovation) and, on the notification topic,
which no service publishes to yet but the notification worker consumes, one valid risk event
per partition produced straight to Kafka.
"""

from __future__ import annotations

import uuid
from typing import Any

from smartcity_shared.events import encode, new_event
from smartcity_shared.events.registry import REGISTRY, TOPICS
from smartcity_shared.settings import Settings
from tests.e2e.portal import Expectation, wait_mails
from tests.e2e.workload import (
    EVENTS,
    open_region,
    raise_extreme_risk,
    verified_innovation,
    wait_directory,
)
from tests.support.kafka import headers_of, partitions, produce, read_matching

# Which worker's consumer group reads which topic (see each service's worker.py).
CONSUMERS = {
    "smartcity.directory": ("innovation", "notification", "accounts"),
    "smartcity.evaluation": ("notification",),
    "smartcity.innovation": ("notification",),
    "smartcity.notification": ("notification",),
}


def test_every_registered_consumer_is_covered() -> None:
    """The table above names at least every consumer the event registry names."""
    assert set(CONSUMERS) == set(TOPICS)
    for entry in REGISTRY.values():
        assert set(entry.consumers) <= set(CONSUMERS[entry.topic]), entry.type


def risk_event(region: str, code: str, title: str) -> dict[str, Any]:
    """A valid `smartcity.risk.raised` event, as the evaluation service would publish it."""
    risk_id = f"risk-{uuid.uuid4().hex[:10]}"
    data = {
        "risk_id": risk_id,
        "region": region,
        "unit": f"{region}:{code}",
        "unit_code": code,
        "title": title,
        "perspective": "sustainability",
        "likelihood": 5,
        "impact": 4,
        "score": 20,
        "rating": "extreme",
    }
    return new_event("smartcity.risk.raised", "evaluation", risk_id, data, region=region)


def send_poison(settings: Settings, marker: str) -> dict[str, list[int]]:
    """Poison on every partition of every topic; returns the partitions per topic."""
    unknown = {**risk_event("kab-batang", "dinkes", "x"), "type": "smartcity.unknown.poison"}
    spread = {topic: partitions(settings, topic) for topic in TOPICS}
    for topic, numbers in spread.items():
        assert numbers, f"{topic} has no partitions"
        for p in numbers:
            produce(settings, topic, f"{marker}-{p}", b"{poison " + marker.encode(), p)
        produce(settings, topic, f"{marker}-unknown", encode(unknown), numbers[0])
    return spread


def check_dead_letters(settings: Settings, marker: str, topic: str, numbers: list[int]) -> None:
    """Each consumer group of `topic` dead-lettered each poison message once, with headers."""
    groups = CONSUMERS[topic]
    expect = len(groups) * (len(numbers) + 1)
    dead = read_matching(
        settings,
        f"{topic}.dlq",
        lambda r: (r.key or b"").decode().startswith(marker),
        expect,
        timeout=EVENTS,
    )
    got = sorted(
        (h["dlq.group"], h["dlq.reason"], int(h["dlq.partition"]), r.key.decode())
        for r, h in ((r, headers_of(r)) for r in dead)
    )
    want = sorted(
        [(g, "undecodable", p, f"{marker}-{p}") for g in groups for p in numbers]
        + [(g, "unknown-type", numbers[0], f"{marker}-unknown") for g in groups]
    )
    assert got == want, f"{topic}.dlq"
    for record in dead:
        headers = headers_of(record)
        assert headers["dlq.topic"] == settings.topic(topic)
        assert headers["dlq.detail"] and headers["dlq.offset"].isdigit()


def test_a_poison_message_on_every_topic_is_dead_lettered_and_the_consumers_go_on(
    running: Any,
) -> None:
    settings = Settings.from_env("notification", running.env)
    marker = f"poison-{uuid.uuid4().hex[:8]}"
    spread = send_poison(settings, marker)

    # Directory: both consumers copy the new OPDs sent after the poison.
    region = open_region(running, units=2)
    wait_directory(region)
    expected: list[Expectation] = []
    # Evaluation and innovation: events from HTTP writes, mailed by the notification worker.
    expected += raise_extreme_risk(region, "opd0", f"Banjir rob {region.sfx}")
    expected += verified_innovation(region, "opd1", f"Lapor Rob {region.sfx}")
    # Notification: one valid event behind the poison on every partition.
    for p in spread["smartcity.notification"]:
        title = f"Tanggul jebol {region.sfx} p{p}"
        event = risk_event(region.id, "opd1", title)
        produce(settings, "smartcity.notification", event["subject"], encode(event), p)
        expected.append((region.email("opd1"), f"Risiko ekstrem: {title}"))
    wait_mails(running, *expected, timeout=EVENTS)

    for topic, numbers in spread.items():
        check_dead_letters(settings, marker, topic, numbers)
