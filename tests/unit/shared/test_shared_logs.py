"""The log stream stays JSON lines: errors Python prints raw (in `__del__`, in a thread)
are logged as one JSON line, and an outage's long message is cut to one short line."""

from __future__ import annotations

import json
import subprocess
import sys

from smartcity_shared.logs import brief

SCRIPT = """
import threading
from smartcity_shared import logs
logs.configure("probe")

class Producer:
    def __del__(self):
        raise RuntimeError("closed twice\\nwith a second line")

Producer()
thread = threading.Thread(target=lambda: 1 / 0, name="relay")
thread.start()
thread.join()
"""


def test_raw_tracebacks_become_json_lines() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, timeout=60
    )
    lines = [json.loads(line) for line in result.stderr.splitlines()]  # each one is JSON
    assert [(line["level"], line["message"]) for line in lines] == [
        ("warning", "ignored error in Producer.__del__: RuntimeError: closed twice"),
        ("error", "thread relay crashed"),
    ]
    assert "ZeroDivisionError" in lines[1]["exception"]


def test_brief_keeps_the_first_line_short() -> None:
    exc = ConnectionError("127.0.0.1:27017: refused, Topology Description: " + "x" * 5000)
    text = brief(exc)
    assert text.startswith("ConnectionError: 127.0.0.1:27017: refused") and len(text) < 200
