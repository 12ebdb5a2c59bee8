"""Resident memory of processes and their children, read from /proc (Linux only).

`Sampler` names a set of root processes (a gunicorn master, a worker) and, on each
`sample()`, reads VmRSS of each root and of its children (gunicorn's workers), labelled
`<name>` and `<name>/worker-<n>` in pid order.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")


def rss_kb(pid: int) -> int | None:
    """VmRSS of `pid` in kB, or None when the process is gone."""
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def children() -> dict[int, list[int]]:
    """Every process's direct children, in pid order (from each /proc/<pid>/stat)."""
    found: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces; ppid follows the state.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        found.setdefault(ppid, []).append(int(entry.name))
    return {ppid: sorted(pids) for ppid, pids in found.items()}


def pid_files(state_dir: Path, names: tuple[str, ...]) -> dict[str, int]:
    """The pids the local stack recorded under `<state_dir>/pids/<name>.pid`."""
    pids = {}
    for name in names:
        path = state_dir / "pids" / f"{name}.pid"
        if path.is_file() and path.read_text().strip().isdigit():
            pids[name] = int(path.read_text().strip())
    return pids


@dataclass
class Sampler:
    roots: dict[str, int]
    started: float = field(default_factory=time.monotonic)
    samples: list[dict[str, float | str]] = field(default_factory=list)

    def sample(self) -> None:
        at = round(time.monotonic() - self.started, 1)
        tree = children()
        for name, pid in self.roots.items():
            labelled = [(name, pid)] + [
                (f"{name}/worker-{n}", child) for n, child in enumerate(tree.get(pid, []), 1)
            ]
            for label, member in labelled:
                kb = rss_kb(member)
                if kb is not None:
                    self.samples.append({"t": at, "process": label, "rss_mb": kb / 1024})
