"""Event latency: an HTTP write in one service until another service's worker has consumed
it, against raw Kafka produce -> consume measured in the same run.

`python -m bench.event_latency [--samples 50]`: creates OPDs through the evaluation API and
polls the innovation API's directory copy until each appears (outbox -> relay -> Kafka ->
innovation worker -> store -> HTTP); the baseline produces and consumes one small message at a
time on a scratch topic. Runs against the scratch (test-profile) stack with its APIs and workers.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import uuid
from pathlib import Path

import requests
from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient

from smartcity_shared.devtoken import mint

from . import stackctl


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def raw_kafka(bootstrap: str, samples: int) -> list[float]:
    topic = f"bench-latency-{uuid.uuid4().hex[:6]}"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics(
        {topic: {"num_partitions": 1, "replication_factor": 1}}, wait_for_metadata=True
    )
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=0)
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="latest",
        group_id=None,
        enable_auto_commit=False,
    )
    consumer.poll(timeout_ms=1000)  # join and position before the first message
    took: list[float] = []
    try:
        for _ in range(samples):
            started = time.perf_counter()
            producer.send(topic, b"x").get(timeout=10)
            while not any(consumer.poll(timeout_ms=100).values()):
                pass
            took.append(time.perf_counter() - started)
    finally:
        producer.close()
        consumer.close()
        admin.delete_topics([topic])
        admin.close()
    return took


def through_services(env: dict[str, str], samples: int) -> list[float]:
    region = f"lat-{uuid.uuid4().hex[:6]}"
    admin = {"Authorization": f"Bearer {mint(env['JWT_SECRET'], 'admin', region)}"}
    eval_base = f"http://127.0.0.1:{env['EVALUATION_PORT']}"
    inno_base = f"http://127.0.0.1:{env['INNOVATION_PORT']}"
    requests.post(
        f"{eval_base}/regions",
        json={"region_id": region, "name": "Latency"},
        headers=admin,
        timeout=10,
    ).raise_for_status()
    session = requests.Session()
    took: list[float] = []
    for n in range(samples):
        code = f"opd-{n}"
        started = time.perf_counter()
        session.post(
            f"{eval_base}/regions/{region}/units",
            json={"code": code, "name": code},
            headers=admin,
            timeout=10,
        ).raise_for_status()
        deadline = started + 30
        while time.perf_counter() < deadline:
            units = session.get(f"{inno_base}/regions/{region}/units", headers=admin, timeout=10)
            if any(u.get("code") == code for u in units.json()):
                break
            time.sleep(0.005)
        took.append(time.perf_counter() - started)
    return took


def main() -> None:
    """Run against the scratch stack; stop exactly what this run started."""
    with stackctl.scratch_stack() as env:
        _run(env)


def _run(env: dict[str, str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--json-out", type=Path, help="also write the figures here (JSON)")
    args, _ = parser.parse_known_args()
    raw = raw_kafka(env["KAFKA_BOOTSTRAP_SERVERS"], args.samples)
    real = through_services(env, args.samples)
    print(f"{'path':<48}{'p50 ms':>9}{'p99 ms':>9}")
    for label, values in (
        ("raw Kafka produce -> consume (baseline)", raw),
        ("HTTP write -> outbox -> Kafka -> other service", real),
    ):
        print(
            f"{label:<48}{statistics.median(values) * 1000:>9.1f}"
            f"{percentile(values, 0.99) * 1000:>9.1f}"
        )
    print(f"ratio p50: {statistics.median(real) / statistics.median(raw):.1f}x the raw round trip")
    if args.json_out:
        figures = {
            name: {"p50_ms": statistics.median(v) * 1000, "p99_ms": percentile(v, 0.99) * 1000}
            for name, v in (("raw_kafka", raw), ("services", real))
        }
        args.json_out.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
