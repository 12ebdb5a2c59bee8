"""A small closed-loop HTTP load generator (threads with keep-alive connections).

Bounded in requests and time, loopback only. Returns throughput and latency percentiles.
"""

from __future__ import annotations

import http.client
import json
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

Body = Callable[[int], dict[str, object] | None]


@dataclass(frozen=True)
class Result:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run(
    url: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: Body | None = None,
    threads: int = 8,
    seconds: float = 5.0,
    max_requests: int = 50_000,
    ok: tuple[int, ...] = (200, 201),
) -> Result:
    parts = urlsplit(url)
    latencies: list[float] = []
    errors = [0]
    counter = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
        mine: list[float] = []
        while time.monotonic() < deadline:
            with lock:
                if counter[0] >= max_requests:
                    break
                n = counter[0]
                counter[0] += 1
            payload = json.dumps(body(n)).encode() if body else None
            hdrs = {**(headers or {}), **({"Content-Type": "application/json"} if payload else {})}
            started = time.perf_counter()
            try:
                conn.request(
                    method,
                    parts.path + (f"?{parts.query}" if parts.query else ""),
                    body=payload,
                    headers=hdrs,
                )
                response = conn.getresponse()
                response.read()
                if response.status not in ok:
                    with lock:
                        errors[0] += 1
            except (OSError, http.client.HTTPException):
                with lock:
                    errors[0] += 1
                conn.close()
                conn = http.client.HTTPConnection(
                    parts.hostname or "127.0.0.1", parts.port, timeout=10
                )
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)

    began = time.monotonic()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.monotonic() - began
    ordered = sorted(latencies) or [0.0]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return Result(len(latencies), errors[0], elapsed, statistics.median(ordered) * 1000, p99 * 1000)
