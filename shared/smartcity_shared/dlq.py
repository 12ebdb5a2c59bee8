"""`python -m smartcity_shared.dlq`: look into a dead-letter topic and put messages back.

  list   --topic smartcity.directory            print each dead letter as a JSON line
  replay --topic smartcity.directory            republish every new dead letter to its topic
  replay --topic ... --from-file repaired.jsonl republish repaired messages (edited `list` output)

`replay` reads the DLQ as consumer group `dlq-replay` and commits after each message is
acknowledged, so a dead letter is replayed once; consumers are idempotent on event id anyway.
A repaired message keeps its key; its `value` is the corrected event (a JSON object).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any

from kafka import KafkaConsumer
from kafka.structs import OffsetAndMetadata, TopicPartition

from .kafka_io import Record, connection, publisher
from .settings import Settings


def _consumer(settings: Settings, topic: str, group: str | None) -> KafkaConsumer:
    """A consumer assigned to every DLQ partition, positioned at the group's committed offset
    (or the beginning); `_until_end` then reads up to the end as it was at the start, so a
    replay never chases messages that its own replay sent back to the DLQ."""
    consumer = KafkaConsumer(
        **connection(settings),
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    name = settings.topic(f"{topic}.dlq")
    partitions = [
        TopicPartition(name, p) for p in sorted(consumer.partitions_for_topic(name) or [])
    ]
    consumer.assign(partitions)
    for tp in partitions:
        committed = consumer.committed(tp) if group else None
        if committed is None:
            consumer.seek_to_beginning(tp)
        else:
            consumer.seek(tp, committed)
    return consumer


def _until_end(consumer: KafkaConsumer) -> Iterator[Any]:
    ends = consumer.end_offsets(list(consumer.assignment()))
    while any(consumer.position(tp) < end for tp, end in ends.items()):
        for records in consumer.poll(timeout_ms=1000).values():
            for record in records:
                if record.offset < ends[TopicPartition(record.topic, record.partition)]:
                    yield record


def _entry(record: Any) -> dict[str, Any]:
    headers = {k: v.decode(errors="replace") for k, v in (record.headers or [])}
    value = record.value.decode(errors="replace") if record.value else ""
    try:
        parsed: Any = json.loads(value)
    except ValueError:
        parsed = value
    return {
        "partition": record.partition,
        "offset": record.offset,
        "key": record.key.decode(errors="replace") if record.key else "",
        "reason": headers.get("dlq.reason", ""),
        "detail": headers.get("dlq.detail", ""),
        "topic": headers.get("dlq.topic", ""),
        "value": parsed,
    }


def dead_letters(
    settings: Settings, topic: str, group: str | None = None
) -> Iterator[tuple[Any, dict[str, Any]]]:
    consumer = _consumer(settings, topic, group)
    try:
        for record in _until_end(consumer):
            yield record, _entry(record)
    finally:
        consumer.close(autocommit=False)


def _value_bytes(value: Any) -> bytes:
    return value.encode() if isinstance(value, str) else json.dumps(value).encode()


def replay(settings: Settings, topic: str) -> int:
    """Republish dead letters not replayed before to their original topic; returns the count."""
    out = publisher(settings)
    consumer = _consumer(settings, topic, settings.topic("dlq-replay"))
    count = 0
    try:
        for record in _until_end(consumer):
            entry = _entry(record)
            target = entry["topic"] or settings.topic(topic)
            out.publish_many([(target, entry["key"], record.value or b"", [])])
            tp = TopicPartition(record.topic, record.partition)
            consumer.commit({tp: OffsetAndMetadata(record.offset + 1, "", -1)})
            count += 1
    finally:
        consumer.close(autocommit=False)
        out.close()
    return count


def replay_file(settings: Settings, topic: str, lines: list[str]) -> int:
    """Republish repaired entries (JSON lines with `key` and `value`) to `topic`."""
    out = publisher(settings)
    try:
        records: list[Record] = []
        for line in lines:
            if line.strip():
                entry = json.loads(line)
                records.append(
                    (
                        settings.topic(topic),
                        str(entry.get("key", "")),
                        _value_bytes(entry["value"]),
                        [],
                    )
                )
        out.publish_many(records)
        return len(records)
    finally:
        out.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["list", "replay"])
    parser.add_argument(
        "--topic", required=True, help="the source topic, e.g. smartcity.evaluation"
    )
    parser.add_argument("--from-file", help="with replay: JSON lines of repaired messages")
    args = parser.parse_args(argv)
    settings = Settings.from_env("dlq")
    if args.command == "list":
        for _, entry in dead_letters(settings, args.topic):
            print(json.dumps(entry, ensure_ascii=False))
        return 0
    if args.from_file:
        with open(args.from_file, encoding="utf-8") as handle:
            count = replay_file(settings, args.topic, handle.readlines())
    else:
        count = replay(settings, args.topic)
    print(f"replayed {count} message(s) to {settings.topic(args.topic)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
