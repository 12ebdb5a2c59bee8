"""Integration fixtures: the real Kafka, store and mail sink of the test profile.

The session starts them once (unless they already run) and stops them at the end. Each test
gets its own database names and topic prefix, so tests never see each other's data.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pymongo import MongoClient

from smartcity_shared.kafka_io import ensure_topics
from smartcity_shared.settings import Settings
from smartcity_shared.worker import WorkerSpec, run_worker
from tests.support.stack import environment, mark_started, port_open, stack


@pytest.fixture(scope="session")
def stack_env() -> dict[str, str]:
    env = environment()
    kafka_port = int(env["KAFKA_BOOTSTRAP_SERVERS"].rsplit(":", 1)[1])
    if not port_open("127.0.0.1", kafka_port):
        stack("up", "--infra-only", "--fresh")
        mark_started()
    else:
        stack("up", "--infra-only")
    return env


@pytest.fixture
def make_settings(stack_env: dict[str, str]) -> Callable[[str], Settings]:
    """Settings for a service, isolated per test: own databases, own topic prefix."""
    tag = uuid.uuid4().hex[:8]
    created: set[str] = set()

    def build(service: str) -> Settings:
        settings = Settings.from_env(service, stack_env).with_(
            mongo_db=f"t{tag}_{service}",
            topic_prefix=f"t{tag}.",
            relay_interval_s=0.05,
        )
        if settings.topic_prefix not in created:
            ensure_topics(settings)
            created.add(settings.topic_prefix)
        return settings

    return build


@pytest.fixture
def mongo(stack_env: dict[str, str]) -> Iterator[MongoClient[dict[str, Any]]]:
    client: MongoClient[dict[str, Any]] = MongoClient(
        stack_env["MONGO_URI"], tz_aware=True, serverSelectionTimeoutMS=5000
    )
    yield client
    client.close()


@pytest.fixture
def start_worker() -> Iterator[Callable[..., threading.Event]]:
    """Run a service worker (relay + consumer) in a thread; stopped after the test."""
    running: list[tuple[threading.Event, threading.Thread]] = []

    def start(settings: Settings, db: Any, spec: WorkerSpec) -> threading.Event:
        stop = threading.Event()
        thread = threading.Thread(target=run_worker, args=(settings, db, spec, stop), daemon=True)
        thread.start()
        running.append((stop, thread))
        return stop

    yield start
    for stop, _ in running:
        stop.set()
    for _, thread in running:
        thread.join(timeout=20)
