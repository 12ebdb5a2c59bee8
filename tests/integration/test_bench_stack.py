"""A benchmark stops exactly what it started: the infrastructure it found running (here the
test session's) stays up, the APIs and workers it started are stopped again."""

from __future__ import annotations

from bench import stackctl
from tests.support.stack import stack

APPS = [
    f"{s}-{kind}"
    for kind in ("api", "worker")
    for s in ("evaluation", "innovation", "notification")
]


def test_the_scratch_stack_stops_what_it_started_and_nothing_else(stack_env) -> None:  # type: ignore[no-untyped-def]
    for name in APPS:  # a known start: infrastructure up (the session's), no APIs
        stack("stop", name)
    before = set(stackctl.running())
    assert {"kafka", "store", "mail"} <= before and not before & set(APPS)

    with stackctl.scratch_stack() as env:
        assert set(APPS) <= set(stackctl.running())
        assert env["STACK_DIR"] == stack_env["STACK_DIR"]

    assert set(stackctl.running()) == before
