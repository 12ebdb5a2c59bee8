"""An open-loop, paced HTTP load: a cycle of requests sent at a steady rate until stopped.

Unlike `load.run` (as fast as possible), this keeps the rate fixed, so a soak puts the same
work on the services and on the baseline for as long as it runs. Request n is due at
`start + n / rate`; it goes out on one of a few threads, and a thread that fell more than a
second behind skips ahead instead of bursting.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

Body = Callable[[int], dict[str, Any]]


@dataclass(frozen=True)
class Op:
    method: str
    url: str
    headers: dict[str, str]
    body: Body | None = None


@dataclass
class Stats:
    ok: list[int]
    errors: list[int]
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return sum(self.ok) + sum(self.errors)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile_ms(self, q: float) -> float:
        ordered = sorted(self.latencies) or [0.0]
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies or [0.0]) * 1000

    def writes_ok(self, ops: list[Op], path_part: str) -> int:
        """Successful requests of the POST ops whose URL contains `path_part`."""
        return sum(
            n
            for op, n in zip(ops, self.ok, strict=True)
            if op.method == "POST" and path_part in op.url
        )


class Run:
    def __init__(self, threads: list[threading.Thread], stats: Stats, began: float) -> None:
        self.threads, self.stats, self.began = threads, stats, began

    def join(self) -> Stats:
        for thread in self.threads:
            thread.join()
        self.stats.seconds = time.monotonic() - self.began
        return self.stats


def start(ops: list[Op], rate: float, stop: threading.Event, threads: int = 2) -> Run:
    """Send `ops` in a cycle at `rate` requests/s until `stop` is set; `join()` the result."""
    stats = Stats([0] * len(ops), [0] * len(ops))
    lock = threading.Lock()
    began = time.monotonic()

    def worker(k: int) -> None:
        session, n = requests.Session(), k
        while not stop.is_set():
            due = began + n / rate
            now = time.monotonic()
            if now < due:
                stop.wait(due - now)
                continue
            if now - due > 1.0:  # fell behind (a slow answer): skip ahead, keep the pace
                n += threads * int((now - due) * rate / threads)
            op = ops[n % len(ops)]
            sent = time.perf_counter()
            ok = _send(session, op, n)
            took = time.perf_counter() - sent
            with lock:
                (stats.ok if ok else stats.errors)[n % len(ops)] += 1
                stats.latencies.append(took)
            n += threads
        session.close()

    pool = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(threads)]
    for thread in pool:
        thread.start()
    return Run(pool, stats, began)


def _send(session: requests.Session, op: Op, n: int) -> bool:
    try:
        r = session.request(
            op.method,
            op.url,
            json=op.body(n) if op.body else None,
            headers=op.headers,
            timeout=30,
        )
    except requests.RequestException:
        return False
    return r.status_code in (200, 201)
