"""The worker baseline: a bare kafka-python consumer of the four topics that decodes each
message and does nothing else, until SIGTERM. `python -m bench.bare_worker` (Kafka from
KAFKA_BOOTSTRAP_SERVERS); its own consumer group, starting at the end of each topic."""

from __future__ import annotations

import json
import os
import signal
import threading
import uuid

from kafka import KafkaConsumer

TOPICS = (
    "smartcity.directory",
    "smartcity.evaluation",
    "smartcity.innovation",
    "smartcity.notification",
)


def main() -> None:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    consumer = KafkaConsumer(
        *TOPICS,
        bootstrap_servers=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092").split(","),
        group_id=f"bench-bare-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="latest",
        enable_auto_commit=False,
    )
    seen = 0
    try:
        while not stop.is_set():
            for records in consumer.poll(timeout_ms=500).values():
                for record in records:
                    try:
                        json.loads(record.value)
                    except ValueError:
                        pass  # poison: the real workers dead-letter it; here it only counts
                    seen += 1
                consumer.commit()
    finally:
        consumer.close()
        print(f"bare consumer: {seen} messages", flush=True)


if __name__ == "__main__":
    main()
