"""`python -m bench.notify [--events 10000]`: notification throughput and latency.

Against a running stack (Kafka, store and SMTP sink from the environment, as `make up` or
`stack.py env` set them), in its own topic prefix and database so it touches no other data:

1. raw smtplib: the same rendered message sent N times straight to the sink, with as many
   connections as the worker has sender threads — the ceiling;
2. the delivery path: N `smartcity.submission.returned` events produced to Kafka, consumed
   by the notification worker (running here, `--workers` replicas), turned into delivery-log
   records and sent by its delivery loops to the same sink.

Prints e-mails/s of both and their ratio, the submit-to-mail latency (event produced →
SMTP server accepted the mail) p50/p99, and the store commands the worker issued per event
(writes apart: the local store runs them one at a time). Not part of `make test`.
`make bench` runs it with 1,000 events (quick) or 10,000 (`--full`); by hand:
`python -m bench.notify --events 10000`.
"""

from __future__ import annotations

import argparse
import signal
import smtplib
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from email.policy import SMTP
from typing import Any

from kafka import KafkaProducer
from pymongo import monitoring

from notification import bootstrap
from notification.config import NotifyConfig
from notification.examples import example_context
from notification.mail import build_message, render
from notification.worker import spec
from smartcity_shared.events import encode, new_event
from smartcity_shared.kafka_io import admin, ensure_topics
from smartcity_shared.settings import Settings
from smartcity_shared.worker import run_worker

REGION = "kab-batang"


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--events", type=int, default=10_000, help="events (= e-mails), default 10000")
    p.add_argument("--units", type=int, default=20, help="OPDs the events are spread over")
    p.add_argument("--workers", type=int, default=1, help="worker replicas (same group)")
    p.add_argument("--senders", type=int, default=4, help="delivery threads per worker")
    p.add_argument("--rate", type=float, default=0, help="events/s to produce (0: all at once)")
    p.add_argument("--timeout", type=float, default=3600, help="give up after this many s")
    p.add_argument("--keep", action="store_true", help="keep the bench database and topics")
    return p.parse_args()


WRITES = frozenset({"insert", "update", "delete", "findAndModify"})


class CommandCount(monitoring.CommandListener):
    """Store commands of the clients created after `register` (the worker replicas')."""

    def __init__(self) -> None:
        self.total = self.writes = 0
        self.lock = threading.Lock()

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        with self.lock:
            self.total += 1
            self.writes += event.command_name in WRITES

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


def raw_smtp(settings: Settings, count: int, connections: int) -> float:
    """E-mails/s of plain smtplib sending one rendered message `count` times."""
    mail = render("submission_returned", "id", example_context("submission_returned"))
    message = build_message(mail, settings.mail_from, "raw-bench@batangkab.go.id", event_id="x")
    payload = message.as_bytes(policy=SMTP)  # as the worker sends it
    shares = [count // connections + (n < count % connections) for n in range(connections)]

    def send(share: int) -> None:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
            for _ in range(share):
                smtp.sendmail(settings.mail_from, ["raw-bench@batangkab.go.id"], payload)

    started = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(send, shares))
    return count / (time.perf_counter() - started)


def directory_events(tag: str, units: int) -> list[dict[str, Any]]:
    def event(entity: str, subject: str, **data: Any) -> dict[str, Any]:
        return new_event(f"smartcity.directory.{entity}.upserted", "bench", subject, data, REGION)

    found = [
        event("region", REGION, region_id=REGION, name="Kabupaten Batang", kind="regency",
              timezone="Asia/Jakarta", active=True, admin_emails=[])
    ]  # fmt: skip
    for n in range(units):
        unit = f"{REGION}:bench{n}"
        found.append(
            event("unit", unit, unit_id=unit, region=REGION, code=f"bench{n}",
                  name=f"OPD Bench {n}", active=True,
                  contact_emails=[f"bench{n}-{tag}@batangkab.go.id"])
        )  # fmt: skip
    return found


def returned_event(n: int, units: int) -> dict[str, Any]:
    code = f"bench{n % units}"
    data = {
        "submission_id": f"sub-bench-{n}", "cycle_id": "bench-cycle", "cycle_name": "Bench",
        "region": REGION, "year": 2030, "unit": f"{REGION}:{code}", "unit_code": code,
        "unit_name": f"OPD Bench {n % units}", "comments": 1, "reason": "Lengkapi bukti.",
        "returned_by": "bench",
    }  # fmt: skip
    return new_event("smartcity.submission.returned", "bench", data["submission_id"], data, REGION)


def produce(settings: Settings, events: list[dict[str, Any]], rate: float = 0) -> dict[str, float]:
    """Send every event (`rate` per second, or at once); returns event id → wall-clock time
    it was handed to Kafka."""
    producer = KafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers.split(","), acks="all", linger_ms=5
    )
    submitted: dict[str, float] = {}
    started = time.time()
    try:
        for n, event in enumerate(events):
            if rate > 0:
                time.sleep(max(0.0, started + n / rate - time.time()))
            submitted[event["id"]] = time.time()
            topic = settings.topic(
                "smartcity.directory" if ".directory." in event["type"] else "smartcity.evaluation"
            )
            producer.send(topic, key=event["subject"].encode(), value=encode(event))
        producer.flush(timeout=60)
    finally:
        producer.close()
    return submitted


def wait_until(check: Any, timeout: float, what: str, every: float = 0.5) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"bench: {what} not reached within {timeout:.0f} s")
        time.sleep(every)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> int:
    args = parse()
    signal.signal(signal.SIGTERM, _interrupted)  # clean up when stopped, too
    tag = uuid.uuid4().hex[:8]
    base = Settings.from_env("notification")
    settings = base.with_(topic_prefix=f"bench{tag}.", mongo_db=f"bench_{tag}_notification")
    config = NotifyConfig.from_env().with_(
        senders=args.senders, delivery_poll_s=0.05, reminder_poll_s=5.0, cache_ttl_s=30.0
    )
    smtp = f"{settings.smtp_host}:{settings.smtp_port}"
    print(f"bench: {args.events} events, SMTP {smtp}, {args.workers} worker(s) x "
          f"{args.senders} senders, prefix {settings.topic_prefix}", flush=True)  # fmt: skip
    ctx = bootstrap.build(settings, config)
    stop = threading.Event()
    threads: list[threading.Thread] = []
    try:
        ensure_topics(settings)
        raw_rate = raw_smtp(settings, args.events, args.senders * args.workers)
        print(f"bench: raw smtplib     {raw_rate:8.1f} e-mails/s", flush=True)
        bootstrap.ensure_indexes(ctx)
        commands = CommandCount()
        monitoring.register(commands)  # the replicas' clients, built below, report to it
        for n in range(args.workers):
            replica = bootstrap.build(settings, config.with_(worker_id=f"bench-{n}"))
            worker = threading.Thread(
                target=run_worker, args=(settings, replica.db, spec(replica), stop)
            )
            worker.start()
            threads.append(worker)
        produce(settings, directory_events(tag, args.units))
        units = ctx.db["dir_units"]
        wait_until(lambda: units.count_documents({}) == args.units, 60, "directory copy")
        events = [returned_event(n, args.units) for n in range(args.events)]
        commands.total = commands.writes = 0  # count from the first event on
        submitted = produce(settings, events, args.rate)
        wait_until(lambda: _all_sent(ctx, args.events), args.timeout, "every e-mail sent", 1.0)
        total, writes = commands.total / args.events, commands.writes / args.events
        report(ctx.db["deliveries"], submitted, raw_rate)
        print(f"bench: store commands per event {total:.2f} (writes {writes:.2f}), "
              "idle polls of the loops included")  # fmt: skip
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        if not args.keep:
            cleanup(ctx, settings)
    return 0


def _interrupted(*_: Any) -> None:
    raise SystemExit("bench: stopped")


def _all_sent(ctx: bootstrap.Context, count: int) -> bool:
    """Cheap on the local store: the send queue empty (a LIMIT 1 read), and only then
    every delivery stored (a count, which reads the whole log there)."""
    queue = ctx.deliveries.queue
    if queue.ready.find_one({}) or queue.retry.find_one({}):
        return False
    return ctx.db["deliveries"].estimated_document_count() >= count


def report(deliveries: Any, submitted: dict[str, float], raw_rate: float) -> None:
    sent = {d["event_id"]: d["sent_at"] for d in deliveries.find({}, {"event_id": 1, "sent_at": 1})}
    latencies = [_ts(sent[i]) - t for i, t in submitted.items() if sent.get(i)]
    elapsed = max(_ts(s) for s in sent.values()) - min(submitted.values())
    rate = len(latencies) / elapsed
    print(f"bench: delivery path  {rate:8.1f} e-mails/s  ({len(latencies)} in {elapsed:.1f} s, "
          f"{rate / raw_rate:.1%} of raw smtplib)")  # fmt: skip
    print(f"bench: submit-to-mail latency p50 {percentile(latencies, 0.5):.2f} s, "
          f"p99 {percentile(latencies, 0.99):.2f} s, "
          f"mean {statistics.fmean(latencies):.2f} s")  # fmt: skip


def _ts(value: datetime) -> float:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()


def cleanup(ctx: bootstrap.Context, settings: Settings) -> None:
    ctx.client.drop_database(settings.database)
    client = admin(settings)
    try:
        topics = [t for t in client.list_topics() if t.startswith(settings.topic_prefix)]
        client.delete_topics(topics)
    except Exception as exc:  # leftover bench topics are harmless
        print(f"bench: could not delete the bench topics: {exc}")
    finally:
        client.close()


if __name__ == "__main__":
    raise SystemExit(main())
