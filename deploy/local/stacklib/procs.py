"""Processes of the stack: pid files, liveness, launching, stopping, waiting on ports."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from . import StackError
from .config import ROOT, Settings

PROC = Path("/proc")


def pid_file(s: Settings, name: str) -> Path:
    return s.state_dir / "pids" / f"{name}.pid"


def log_file(s: Settings, name: str) -> Path:
    return s.state_dir / "logs" / f"{name}.log"


def _stat_fields(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name, or None if there is no such process."""
    try:
        return (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _reap(pid: int) -> None:
    """Collect `pid` if it is our own exited child, so it does not linger as a zombie."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def cmdline(pid: int) -> str:
    try:
        return (
            (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    except OSError:
        return ""


def alive(pid: int, markers: Sequence[str] = ()) -> bool:
    """True if `pid` runs (zombies count as dead) and its command line holds every marker."""
    _reap(pid)
    if not PROC.is_dir():  # not Linux: no zombie or command-line check
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    fields = _stat_fields(pid)
    if fields is None or fields[0] in ("Z", "X"):
        return False
    line = cmdline(pid)
    return all(m in line for m in markers)


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes in process group `pgid`."""
    if not PROC.is_dir():
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return []
        return [pgid]
    found = []
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields and fields[0] not in ("Z", "X") and fields[2] == str(pgid):
                found.append(int(entry.name))
    return found


def read_pid(s: Settings, name: str) -> int | None:
    try:
        return int(pid_file(s, name).read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def running_pid(s: Settings, name: str, markers: Sequence[str]) -> int | None:
    """The pid of our running `name`, or None (a stale pid file is removed)."""
    pid = read_pid(s, name)
    if pid is None:
        return None
    if alive(pid, markers):
        return pid
    pid_file(s, name).unlink(missing_ok=True)
    return None


def port_open(host: str, port: int, timeout: float = 0.3) -> bool:
    try:
        with socket.create_connection((host or "127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def launch(s: Settings, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start `argv` in its own session, output to the component's log, pid in its pid file."""
    log = log_file(s, name)
    log.parent.mkdir(parents=True, exist_ok=True)
    pid_file(s, name).parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        out.write(f"\n=== {stamp} stack.py starts: {' '.join(argv)}\n".encode())
        out.flush()
        try:
            proc = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as exc:
            raise StackError(
                f"{name}: cannot run {argv[0]}: {exc}\n  what to do: run `make install`"
            ) from exc
    pid_file(s, name).write_text(f"{proc.pid}\n")
    return proc


def signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def wait_group_gone(pgid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        _reap(pgid)
        if not group_members(pgid):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def stop_groups(pgids: list[int], kill: bool = False, grace: float = 10.0) -> list[int]:
    """SIGTERM each process group (SIGKILL with `kill`), wait up to `grace` s, then SIGKILL.

    Returns the groups that had to be killed after the grace period.
    """
    for pgid in pgids:
        signal_group(pgid, signal.SIGKILL if kill else signal.SIGTERM)
    deadline = time.monotonic() + (2.0 if kill else grace)
    forced = []
    for pgid in pgids:
        if not wait_group_gone(pgid, max(0.0, deadline - time.monotonic())):
            forced.append(pgid)
            signal_group(pgid, signal.SIGKILL)
    for pgid in forced:
        wait_group_gone(pgid, 5.0)
    return forced


def tail(path: Path, lines: int = 30) -> str:
    """The last `lines` lines of a text file (empty if missing)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 64 * 1024))
            data = fh.read().decode(errors="replace")
    except OSError:
        return ""
    return "\n".join(data.splitlines()[-lines:])


def indent(text: str, prefix: str = "    | ") -> str:
    return "\n".join(prefix + line for line in text.splitlines()) or prefix + "(no output)"
