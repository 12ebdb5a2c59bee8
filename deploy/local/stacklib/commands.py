"""up, down, status, start, stop, restart: what stack.py's subcommands do."""

from __future__ import annotations

import fcntl
import os
import shlex
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

from . import StackError
from .components import ALL, APIS, UI, Component, identity, infra, module_exists, ui, workers
from .config import CACHE, ROOT, SERVICES, VENV_PY, Settings
from .procs import (
    alive,
    indent,
    launch,
    log_file,
    pid_file,
    port_open,
    read_pid,
    running_pid,
    stop_groups,
    tail,
)
from .readiness import NotReadyError

STATE_MARK = ".stack-state"  # marks a state dir as made by stack.py (`--fresh` may wipe it)


def _say(name: str, text: str) -> None:
    print(f"{name:<20} {text}", flush=True)


@contextmanager
def stack_lock(s: Settings) -> Iterator[None]:
    """One stack.py at a time per state dir (beside it, so `--fresh` can wipe the dir)."""
    s.state_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(s.state_dir.parent / f"{s.state_dir.name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def env_for(s: Settings, comp: Component | None = None) -> dict[str, str]:
    env = {**os.environ, **s.child_env(), "PYTHONUNBUFFERED": "1"}
    return {**env, **comp.env(s)} if comp else env


def start(s: Settings, comps: list[Component], strict: bool = False) -> None:
    """Start the components that are not running, then wait until each is ready.

    A component whose code is not written yet is skipped with a warning (an error if `strict`).
    Raises StackError naming the component, its log tail and what to do.
    """
    launched: list[tuple[Component, subprocess.Popen[bytes], float]] = []
    s.state_dir.mkdir(parents=True, exist_ok=True)
    (s.state_dir / STATE_MARK).touch()
    for comp in comps:
        reason = comp.missing(s)
        if reason:
            if strict:
                raise StackError(f"{comp.name}: cannot start: {reason}")
            _say(comp.name, f"skipped: {reason}")
            continue
        if comp.external(s):
            _say(comp.name, f"not started: external ({comp.port_var} points to another host)")
            continue
        pid = running_pid(s, comp.name, comp.markers(s))
        if pid:
            _say(comp.name, f"already running (pid {pid})")
            continue
        for port in comp.ports(s):
            if port_open("127.0.0.1", port):
                raise StackError(
                    f"{comp.name}: port {port} is in use by another process; "
                    f"stop it or set {comp.port_var}"
                )
        comp.prepare(s)
        launched.append(
            (comp, launch(s, comp.name, comp.argv(s), env_for(s, comp)), time.monotonic())
        )
    for comp, proc, began in launched:
        try:
            comp.ready(s, proc, began)
        except NotReadyError as exc:
            stop_groups([proc.pid], kill=True)
            pid_file(s, comp.name).unlink(missing_ok=True)
            log = log_file(s, comp.name)
            raise StackError(
                f"{comp.name} failed to start: {exc}\n"
                f"  last 30 lines of {log}:\n{indent(tail(log))}\n"
                f"  what to do: fix the cause above, then "
                f"`stack.py --profile {s.profile} start {comp.name}`"
            ) from None
        ports = ", ".join(map(str, comp.ports(s))) or "-"
        _say(comp.name, f"ready (pid {proc.pid}, port {ports}, {time.monotonic() - began:.1f} s)")


def run_module(s: Settings, label: str, module: str, timeout: float = 300) -> None:
    """Run `python -m module` from the venv with the stack's environment; StackError on failure."""
    began = time.monotonic()
    log = log_file(s, label)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        try:
            rc = subprocess.run(
                [str(VENV_PY), "-m", module],
                cwd=ROOT,
                env=env_for(s),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
            ).returncode
        except subprocess.TimeoutExpired:
            rc = -1
    if rc != 0:
        raise StackError(
            f"{label}: `python -m {module}` failed (exit {rc})\n{indent(tail(log))}\n"
            f"  what to do: fix it and run `.venv/bin/python -m {module}` (see `stack.py env`)"
        )
    _say(label, f"done ({time.monotonic() - began:.1f} s)")


def create_topics(s: Settings) -> None:
    if module_exists(ROOT / "shared", "smartcity_shared", "topics"):
        run_module(s, "topics", "smartcity_shared.topics", timeout=120)
    else:
        _say("topics", "skipped: smartcity_shared.topics does not exist yet (warning)")


def load_demo(s: Settings) -> None:
    for svc in SERVICES:
        root = ROOT / "services" / svc
        if module_exists(root, svc, "wsgi") and module_exists(root, svc, "demo"):
            run_module(s, f"demo-{svc}", f"{svc}.demo")


def up(s: Settings, infra_only: bool, demo: bool, fresh: bool) -> None:
    began = time.monotonic()
    if fresh:
        down(s)
        wipe(s)
    start(s, infra(s))
    create_topics(s)
    if not infra_only:
        start(s, identity(s))
        start(s, APIS)
        start(s, ui(s))
        start(s, workers(s))
        if demo:
            load_demo(s)
    print_urls(s, infra_only)
    print(f"up ({s.profile}) in {time.monotonic() - began:.1f} s", flush=True)


def wipe(s: Settings) -> None:
    """Delete the state dir, but only one that stack.py made (STACK_DIR may point anywhere)."""
    d = s.state_dir
    ours = d.is_relative_to(CACHE / "run") or (d / STATE_MARK).exists()
    if d.is_dir() and any(d.iterdir()) and not ours:
        raise StackError(f"--fresh: {d} was not made by stack.py (no {STATE_MARK}); not wiping it")
    shutil.rmtree(d, ignore_errors=True)
    _say("state", f"wiped {d}")


def print_urls(s: Settings, infra_only: bool) -> None:
    print()
    if not infra_only and running_pid(s, "portal", UI[0].markers(s)):
        print(f"  {'portal':<18} {s.portal_base_url}   (sign in as a demo person: docs/DEMO.md)")
    for api in [] if infra_only else APIS:
        if running_pid(s, api.name, api.markers(s)):
            svc, port = api.name.removesuffix("-api"), api.ports(s)[0]
            base = f"http://127.0.0.1:{port}"
            print(f"  {svc + ' API':<18} {base}   docs {base}/docs   ready {base}/readyz")
    if not infra_only and identity(s):
        issuer = s.oidc["OIDC_ISSUER"]
        print(f"  {'sign-in (OIDC)':<18} {issuer}   (demo people: docs/DEMO.md)")
    smtp = f"{s.smtp_host}:{s.smtp_port}"
    print(f"  {'mail view':<18} http://127.0.0.1:{s.mail_http_port}/  (SMTP {smtp})")
    print(f"  {'kafka':<18} {s.bootstrap}")
    print(f"  {'store':<18} {s.mongo_uri}")
    print(f"  {'logs':<18} {s.state_dir / 'logs'}")
    if not infra_only:
        print("  a token:           make token ROLE=admin REGION=kab-batang")
    print()


def _tier(name: str) -> int:
    comp = ALL.get(name)
    return comp.tier if comp else 0


def stop(s: Settings, names: list[str], kill: bool = False) -> None:
    """Stop the named components' process groups, higher tiers first; remove their pid files."""
    for tier in sorted({_tier(n) for n in names}, reverse=True):
        group = [n for n in names if _tier(n) == tier]
        pids: dict[str, int] = {}
        for name in group:
            pid = read_pid(s, name)
            comp = ALL.get(name)
            if pid and alive(pid, comp.markers(s) if comp else ()):
                pids[name] = pid
            else:
                _say(name, "not running")
                pid_file(s, name).unlink(missing_ok=True)
        began = time.monotonic()
        forced = stop_groups(list(pids.values()), kill=kill)
        for name, pid in pids.items():
            pid_file(s, name).unlink(missing_ok=True)
            how = "killed" if kill else ("killed after 10 s" if pid in forced else "stopped")
            _say(name, f"{how} (pid {pid}, {time.monotonic() - began:.1f} s)")


def down(s: Settings) -> None:
    pids = s.state_dir / "pids"
    names = sorted(p.stem for p in pids.glob("*.pid")) if pids.is_dir() else []
    if names:
        stop(s, names)
    else:
        _say("down", f"nothing running ({s.profile})")


def status(s: Settings) -> None:
    print(f"{'COMPONENT':<20} {'PID':>7}  {'ALIVE':<5}  {'PORT':<12} LISTENING")
    for name, comp in ALL.items():
        pid = read_pid(s, name)
        live = bool(pid) and alive(pid or 0, comp.markers(s))
        ports = comp.ports(s)
        up = all(port_open("127.0.0.1", p) for p in ports)
        listening = "-" if not ports else ("yes" if up else "no")
        port_text = ",".join(map(str, ports)) or "-"
        print(
            f"{name:<20} {pid or '-':>7}  {'yes' if live else 'no':<5}  {port_text:<12} {listening}"
        )


def print_env(s: Settings) -> None:
    for key, value in s.child_env().items():
        print(f"export {key}={shlex.quote(value)}")
