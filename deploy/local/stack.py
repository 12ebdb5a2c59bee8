#!/usr/bin/env python3
"""The local stack without Docker: Kafka (KRaft), FerretDB, a mail sink, the APIs and workers.

    python3 deploy/local/stack.py install
    python3 deploy/local/stack.py [--profile P] up [--infra-only] [--no-demo] [--fresh]
    python3 deploy/local/stack.py [--profile P] down | status | env
    python3 deploy/local/stack.py [--profile P] start|stop|restart COMPONENT [--kill]

P: dev (default, `make up`), test (the suites) or cluster (three Kafka brokers, tests/cluster).
Standard library only; runs with the system python3. Every process runs in its own session with
its pid in <state>/pids/ and its output in <state>/logs/ (<state> = .cache/run/<profile>, or
STACK_DIR). Settings come from the environment (see CONTRACT.md); `env` prints them.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stacklib import StackError, commands, config
from stacklib.components import ALL
from stacklib.install import install


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="stack.py", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--profile",
        choices=sorted(config.PROFILES),
        default="dev",
        help="ports and state dir (default: dev)",
    )
    # --profile is accepted after the subcommand too (`stack.py up --profile test`).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--profile", choices=sorted(config.PROFILES), default=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, parents=[common])

    add("install", "create .venv, fetch Kafka jars and Keycloak, build FerretDB (cached)")
    up = add("up", "install if needed, start everything, load demo data")
    up.add_argument(
        "--infra-only", action="store_true", help="only Kafka, the store and the mail sink"
    )
    up.add_argument("--no-demo", action="store_true", help="do not load demo data")
    up.add_argument(
        "--fresh", action="store_true", help="stop the profile and wipe its state dir first"
    )
    add("down", "stop every process named by a pid file (workers and APIs first)")
    add("status", "component / pid / alive / port")
    add("env", "print the environment the stack gives its processes")
    for name in ("start", "stop", "restart"):
        cmd = add(name, f"{name} one component")
        cmd.add_argument("component", choices=list(ALL))
        if name == "stop":
            cmd.add_argument("--kill", action="store_true", help="SIGKILL instead of SIGTERM")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> None:
    if args.command == "install":
        began = time.monotonic()
        install()
        print(f"install done in {time.monotonic() - began:.1f} s")
        return
    s = config.load(args.profile)
    if args.command == "env":
        commands.print_env(s)
        return
    if args.command == "status":
        commands.status(s)
        return
    with commands.stack_lock(s):
        if args.command == "up":
            install()
            commands.up(s, infra_only=args.infra_only, demo=not args.no_demo, fresh=args.fresh)
        elif args.command == "down":
            commands.down(s)
        elif args.command == "start":
            commands.start(s, [ALL[args.component]], strict=True)
        elif args.command == "stop":
            commands.stop(s, [args.component], kill=args.kill)
        elif args.command == "restart":
            commands.stop(s, [args.component])
            commands.start(s, [ALL[args.component]], strict=True)


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `stack.py status | head` ends quietly
    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        run(args)
    except StackError as exc:
        print(f"\nERROR: {exc}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
