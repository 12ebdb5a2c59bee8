"""The event path on a three-broker Kafka cluster survives losing a broker, the active KRaft
controller, or a worker replica in the middle of a rebalance: every write is accepted, every
e-mail it owes is sent exactly once (by Message-ID, by delivery fact, by recipient+subject).
Each test writes its recovery times to <state>/reports/cluster.jsonl."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest
from kafka.errors import KafkaError

from smartcity_shared.settings import Settings
from tests.cluster.conftest import PROFILE, quorum_leader, report
from tests.e2e.portal import Expectation, mails_to, wait_mails
from tests.e2e.workload import (
    EVENTS,
    Region,
    open_region,
    raise_extreme_risk,
    settled,
    sink_ids,
    wait_directory,
)
from tests.support.replicas import extra_workers, group_members
from tests.support.stack import eventually, stack

SERVICES = ("evaluation", "innovation", "notification")
GROUPS = ("innovation", "notification")
UNITS = 4
RISKS_PER_UNIT = 3


@pytest.fixture
def replicas(cluster: Any) -> Iterator[dict[str, Any]]:
    """A second replica of every worker, both members working before the test goes on."""
    settings = Settings.from_env("notification", cluster.env)
    with extra_workers(cluster.env, SERVICES) as procs:
        for group in GROUPS:
            eventually(
                partial(both_working, settings.kafka_bootstrap_servers, settings.topic(group)),
                2 * EVENTS,
                interval=1.0,
                message=f"two members of consumer group {group}, each with partitions",
            )
        yield procs


def both_working(bootstrap: str, group: str) -> bool:
    try:  # the group's coordinator is unknown until __consumer_offsets has its replicas
        members = group_members(bootstrap, group)
    except KafkaError:
        return False
    return len(members) == 2 and all(members)


def burst(region: Region, fault: Callable[[], None]) -> list[Expectation]:
    """Extreme risks for every OPD (each owes mails); `fault` strikes after the first third.
    Every write must be accepted (raise_extreme_risk expects 201)."""
    expected: list[Expectation] = []
    writes = [(code, n) for code in region.units for n in range(RISKS_PER_UNIT)]
    for done, (code, n) in enumerate(writes):
        if done == len(writes) // 3:
            fault()
        expected += raise_extreme_risk(region, code, f"Banjir {n} {code} {region.sfx}")
    return expected


def assert_each_mail_once(cluster: Any, region: Region, expected: list[Expectation]) -> float:
    """Waits for every owed mail; returns when the last arrived (monotonic seconds)."""
    wait_mails(cluster, *expected, timeout=4 * EVENTS)
    arrived = time.monotonic()
    log = eventually(partial(settled, region, len(expected)), 2 * EVENTS, interval=1.0)
    facts = Counter((d["recipient"], d["event_type"], d["unit"], d["mail_subject"]) for d in log)
    assert max(facts.values()) == 1, [fact for fact, n in facts.items() if n > 1]
    sent = Counter(sink_ids(region))
    assert max(sent.values()) == 1, [m for m, n in sent.items() if n > 1]
    for address, *parts in expected:
        assert len(mails_to(cluster, address, *parts)) == 1, (address, parts)
    return arrived


def fresh_region(cluster: Any) -> Region:
    region = open_region(cluster, UNITS)
    wait_directory(region)
    return region


def test_a_broker_killed_with_sigkill_mid_burst_loses_and_duplicates_nothing(
    cluster: Any, replicas: dict[str, Any]
) -> None:
    region = fresh_region(cluster)
    times: dict[str, float] = {}

    def kill_broker() -> None:
        stack("stop", "kafka-2", "--kill", profile=PROFILE)
        times["killed"] = time.monotonic()

    expected = burst(region, kill_broker)
    times["writes_done"] = time.monotonic()
    arrived_without = assert_each_mail_once(cluster, region, expected)
    stack("start", "kafka-2", profile=PROFILE)
    times["restarted"] = time.monotonic()
    again = fresh_region(cluster)  # the restarted broker back in service
    arrived = assert_each_mail_once(cluster, again, burst(again, lambda: None))
    report(
        cluster.env,
        "broker SIGKILL",
        {
            "burst_s": times["writes_done"] - times["killed"],
            "all_mails_after_kill_s": arrived_without - times["killed"],
            "broker_restart_s": times["restarted"] - arrived_without,
            "region_and_burst_after_restart_s": arrived - times["restarted"],
        },
    )
    assert all(proc.poll() is None for proc in replicas.values()), "a worker replica died"


def test_the_active_controller_killed_mid_burst_loses_and_duplicates_nothing(
    cluster: Any, replicas: dict[str, Any]
) -> None:
    region = fresh_region(cluster)
    times: dict[str, float] = {}

    def kill_leader() -> None:
        leader = quorum_leader(cluster.env)
        times["leader"] = leader
        stack("stop", f"kafka-{leader}", "--kill", profile=PROFILE)
        times["killed"] = time.monotonic()

    expected = burst(region, kill_leader)
    arrived = assert_each_mail_once(cluster, region, expected)
    leader = int(times["leader"])
    eventually(
        lambda: quorum_leader(cluster.env) != leader,
        EVENTS,
        interval=0.5,
        message="a new controller elected",
    )
    stack("start", f"kafka-{leader}", profile=PROFILE)
    report(
        cluster.env,
        "controller SIGKILL",
        {"old_leader": leader, "all_mails_after_kill_s": arrived - times["killed"]},
    )
    assert all(proc.poll() is None for proc in replicas.values()), "a worker replica died"


def test_a_worker_replica_killed_during_the_rebalance_loses_and_duplicates_nothing(
    cluster: Any, replicas: dict[str, Any]
) -> None:
    region = fresh_region(cluster)
    times: dict[str, float] = {}
    joined: list[Any] = []

    def kill_replica_while_a_third_joins() -> None:
        # A third notification replica joins (the group rebalances) and the second replica
        # dies with SIGKILL while that rebalance runs: its partitions move twice.
        stack_three = extra_workers(cluster.env, ("notification",))
        joined.append(stack_three)
        stack_three.__enter__()
        os.killpg(replicas["notification"].pid, signal.SIGKILL)
        times["killed"] = time.monotonic()

    try:
        expected = burst(region, kill_replica_while_a_third_joins)
        arrived = assert_each_mail_once(cluster, region, expected)
    finally:
        for block in joined:
            block.__exit__(None, None, None)
    report(
        cluster.env,
        "worker replica SIGKILL in a rebalance",
        {"all_mails_after_kill_s": arrived - times["killed"]},
    )
