"""Root test configuration.

Unit and contract tests use in-memory fakes only: a test without the `integration`, `e2e` or
`browser` marker that tries to open a network connection fails loudly instead of quietly
reaching a running stack. Tests under tests/integration, tests/e2e, tests/browser and
tests/cluster get their marker automatically.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Stop the test stack if this session started it (KEEP_STACK=1 leaves it running)."""
    from tests.support.stack import stop_if_started

    stop_if_started()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        parts = Path(str(item.fspath)).parts
        if "integration" in parts:
            item.add_marker(pytest.mark.integration)
        if "e2e" in parts:
            item.add_marker(pytest.mark.e2e)
        if "browser" in parts:
            item.add_marker(pytest.mark.browser)
        if "cluster" in parts:
            item.add_marker(pytest.mark.cluster)


class NetworkBlocked(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def _no_network_in_unit_tests(request: pytest.FixtureRequest) -> Iterator[None]:
    stack_markers = ("integration", "e2e", "browser", "cluster")
    marked = any(request.node.get_closest_marker(m) for m in stack_markers)
    if marked:
        yield
        return
    original = socket.socket.connect

    def refuse(self: socket.socket, address: object) -> None:
        if self.family == socket.AF_UNIX:
            return original(self, address)  # type: ignore[arg-type]
        raise NetworkBlocked(f"unit test tried to connect to {address}; mark it integration")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    try:
        yield
    finally:
        socket.socket.connect = original  # type: ignore[method-assign]
