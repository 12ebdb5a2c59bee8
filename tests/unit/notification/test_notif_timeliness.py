"""Quota facts mail for the current year only, before its deadline."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from notification.domain.timeliness import untimely

JAKARTA = "Asia/Jakarta"
MID_2020 = datetime(2020, 7, 1, 3, 0, tzinfo=UTC)


def quota(kind: str, year: int, deadline: str | None = None) -> dict[str, Any]:
    data = {"year": year, "deadline": deadline or f"{year}-12-31", "shortfall": 2}
    return {"type": f"smartcity.quota.{kind}", "region": "kab-batang", "data": data}


def test_a_past_year_never_mails() -> None:
    assert untimely(quota("shortfall_detected", 2019), MID_2020, JAKARTA) == (
        "quota year 2019 is past"
    )
    assert untimely(quota("deadline_passed", 2019), MID_2020, JAKARTA) is not None


def test_a_future_year_waits_for_its_reminders() -> None:
    reason = untimely(quota("shortfall_detected", 2021), MID_2020, JAKARTA)
    assert reason is not None and "ahead" in reason


def test_the_current_year_mails_until_its_deadline_passed() -> None:
    assert untimely(quota("shortfall_detected", 2020), MID_2020, JAKARTA) is None
    june = quota("compliance_changed", 2020, "2020-06-30")
    assert untimely(june, MID_2020, JAKARTA) == "the quota deadline 2020-06-30 has passed"
    assert untimely(quota("deadline_passed", 2020, "2020-06-30"), MID_2020, JAKARTA) is None


def test_the_year_turns_in_the_regions_time_zone() -> None:
    new_year_in_jakarta = datetime(2020, 12, 31, 18, 0, tzinfo=UTC)  # 1 Jan 2021 01:00 WIB
    assert untimely(quota("shortfall_detected", 2021), new_year_in_jakarta, JAKARTA) is None


def test_other_events_and_reminders_are_not_filtered() -> None:
    for event_type in ("smartcity.submission.returned", "smartcity.reminder.quota.due"):
        event = {"type": event_type, "data": {"year": 2000, "deadline": "2000-12-31"}}
        assert untimely(event, MID_2020, JAKARTA) is None
