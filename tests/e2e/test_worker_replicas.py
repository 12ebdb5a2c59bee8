"""Two replicas of every worker (evaluation, innovation, notification) against the running
stack: a burst of work that each of them consumes loses nothing and duplicates nothing in
effect — every OPD once in the innovation service's directory copy, every fact once in the
notification delivery log, every e-mail once in the mail sink (besides the mails the burst
asks for, new OPDs without innovations get quota-shortfall mails; they count the same way).

A second process of each worker is started beside the stack's own (same environment) and
stopped at the end whatever happens. The consumer groups must show both members with
partitions before the burst starts, so the work really is split between them (the evaluation
worker has no consumer: its two outbox relays share the outbox by lease).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest

from smartcity_shared.settings import Settings
from tests.e2e.portal import Expectation, mails_to, wait_mails
from tests.e2e.workload import (
    EVENTS,
    Region,
    open_region,
    raise_extreme_risk,
    settled,
    sink_ids,
    unit_codes,
    verified_innovation,
    wait_directory,
)
from tests.support.replicas import extra_workers, group_members
from tests.support.stack import eventually

SERVICES = ("evaluation", "innovation", "notification")
GROUPS = ("innovation", "notification")  # the workers with a Kafka consumer
UNITS = 6
RISKS_PER_UNIT = 2


@pytest.fixture
def replicas(running: Any) -> Iterator[dict[str, Any]]:
    with extra_workers(running.env, SERVICES) as procs:
        yield procs


def both_members_working(bootstrap: str, group: str) -> bool:
    members = group_members(bootstrap, group)
    return len(members) == 2 and all(members)


def send_burst(region: Region) -> list[Expectation]:
    """Per OPD: extreme risks (evaluation events) and a verified innovation (innovation
    events); returns the mails they should cause."""
    expected: list[Expectation] = []
    for code in region.units:
        for n in range(RISKS_PER_UNIT):
            expected += raise_extreme_risk(region, code, f"Abrasi {n} {code} {region.sfx}")
        expected += verified_innovation(region, code, f"Sigap {code} {region.sfx}")
    return expected


def test_two_replicas_of_every_worker_lose_nothing_and_duplicate_nothing(
    running: Any, replicas: dict[str, Any]
) -> None:
    settings = Settings.from_env("notification", running.env)
    for group in GROUPS:
        eventually(
            partial(both_members_working, settings.kafka_bootstrap_servers, settings.topic(group)),
            EVENTS,
            interval=1.0,
            message=f"two members of consumer group {group}, each with partitions",
        )

    region = open_region(running, UNITS)
    wait_directory(region)  # directory events: both replicas of innovation and notification
    expected = send_burst(region)
    wait_mails(running, *expected, timeout=2 * EVENTS)  # nothing lost
    log = eventually(partial(settled, region, len(expected)), EVENTS, interval=1.0)

    assert sorted(unit_codes(region)) == sorted(region.units)  # each OPD copied once
    # Each fact (event type, OPD, subject) mailed once to each recipient; each mail sent once.
    facts = Counter((d["recipient"], d["event_type"], d["unit"], d["mail_subject"]) for d in log)
    assert max(facts.values()) == 1, [fact for fact, n in facts.items() if n > 1]
    sent = Counter(sink_ids(region))
    assert max(sent.values()) == 1, [m for m, n in sent.items() if n > 1]
    for address, *parts in expected:
        assert len(mails_to(running, address, *parts)) == 1, (address, parts)
    assert all(proc.poll() is None for proc in replicas.values()), "a replica died"
