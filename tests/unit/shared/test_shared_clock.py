from datetime import UTC, datetime, timedelta, timezone

import pytest

from smartcity_shared.clock import FixedClock, system_clock


def test_system_clock_is_aware_utc() -> None:
    assert system_clock().tzinfo is UTC


def test_fixed_clock_stands_still_until_advanced() -> None:
    jakarta = timezone(timedelta(hours=7))
    clock = FixedClock(datetime(2026, 3, 1, 9, 0, tzinfo=jakarta))
    assert clock() == datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    assert clock() == clock()
    clock.advance(timedelta(days=1))
    assert clock() == datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def test_fixed_clock_refuses_naive_time() -> None:
    with pytest.raises(ValueError):
        FixedClock(datetime(2026, 3, 1))
