"""The one clock every service uses: a callable returning the current UTC instant.

Use cases and handlers take a `Clock` (wired once in each service's `bootstrap.py`) instead of
calling `datetime.now()` themselves, so unit tests pin time with a `FixedClock`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real clock: now, in UTC."""
    return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved: `FixedClock(moment)()`, `.advance(timedelta)`."""

    def __init__(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("a FixedClock needs an aware datetime")
        self.moment = moment.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, delta: timedelta) -> None:
        self.moment += delta
