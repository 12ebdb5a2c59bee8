"""Deadline rules seen from the notifier, events in and mail out through the real stack:
a moved deadline tells the OPDs still to submit (old -> new), a reminder already past when
planned is skipped while a later one is ahead, and a published scorecard ends the cycle's
reminders for everyone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from smartcity_shared.events import new_event
from tests.support.stack import eventually

from .test_notification_reminders import JULY_7, JULY_28, UNITS, YEAR, reminders
from .test_notification_support import (
    CYCLE_NAME,
    REGION,
    NotifyStack,
    deadline_set,
    notify_stack,
    submitted,
)

MOVED = "Tenggat isian"


@pytest.fixture
def notify(make_settings, start_worker, stack_env) -> Iterator[NotifyStack]:  # type: ignore[no-untyped-def]
    yield from notify_stack(make_settings, start_worker, stack_env)


def _moved_mails(notify: NotifyStack, code: str) -> list[dict[str, Any]]:
    return [m for m in notify.mails_to(notify.address(code)) if m["subject"].startswith(MOVED)]


def test_a_moved_deadline_tells_each_opd_still_to_submit_once(notify) -> None:  # type: ignore[no-untyped-def]
    notify.worker()
    notify.directory(UNITS)
    notify.publish(deadline_set("c-moved", JULY_7, UNITS))
    eventually(lambda: len(reminders(notify, subject="c-moved")) == 8)
    notify.publish(submitted("c-moved", "dinkes", UNITS["dinkes"]))
    eventually(lambda: len(reminders(notify, subject="c-moved")) == 4, message="dinkes done")

    moved = notify.publish(deadline_set("c-moved", JULY_28, UNITS, previous=JULY_7))
    (mail,) = eventually(lambda: _moved_mails(notify, "bappeda"), message="bappeda told")
    assert f"berubah menjadi 28 Juli {YEAR}" in mail["subject"], mail["subject"]
    assert f"Tenggat lama: 7 Juli {YEAR}" in mail["text"], mail["text"]
    assert f"Tenggat baru: 28 Juli {YEAR}" in mail["text"], mail["text"]

    # the same event delivered again tells nobody twice, a first deadline (c-other) is no
    # move, and dinkes (submitted) was never told
    notify.publish(moved)
    marker = notify.publish(deadline_set("c-other", JULY_28, UNITS))
    eventually(lambda: len(reminders(notify, subject=marker["subject"])) == 8)
    assert len(_moved_mails(notify, "bappeda")) == 1
    assert _moved_mails(notify, "dinkes") == []


def test_a_reminder_already_past_when_planned_is_skipped_while_a_later_one_is_ahead(notify) -> None:  # type: ignore[no-untyped-def]
    notify.worker()
    notify.directory(UNITS)
    # two days ahead: the 7- and 3-day reminders are past; the 1-day one is still ahead
    deadline = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0).isoformat()
    notify.publish(deadline_set("c-near", deadline, UNITS))

    planned = eventually(
        lambda: (
            len(reminders(notify, subject="c-near")) == 4 and reminders(notify, subject="c-near")
        )
    )
    assert sorted(r["offset_days"] for r in planned) == [-1, -1, 1, 1]
    assert reminders(notify, status="sent", subject="c-near") == []
    assert notify.deliveries() == []


def test_a_published_scorecard_ends_the_cycles_reminders_for_everyone(notify) -> None:  # type: ignore[no-untyped-def]
    notify.worker()
    notify.directory(UNITS)
    notify.publish(deadline_set("c-pub", JULY_7, UNITS))
    eventually(lambda: len(reminders(notify, subject="c-pub")) == 8)

    data = {
        "cycle_id": "c-pub", "region": REGION, "year": YEAR, "name": CYCLE_NAME,
        "framework_key": "tiny", "overall": 3.1, "band": "Baik", "delta": None,
        "participants": 1,
    }  # fmt: skip
    notify.publish(
        new_event("smartcity.scorecard.published", "evaluation", "c-pub", data, region=REGION)
    )

    eventually(lambda: reminders(notify, subject="c-pub") == [], message="all cancelled")
    cancelled = reminders(notify, status="cancelled", subject="c-pub")
    assert len(cancelled) == 8 and {r["cancel_reason"] for r in cancelled} == {"published"}


def _shortfall(code: str, year: int) -> dict[str, Any]:
    data = {
        "region": REGION, "unit": f"{REGION}:{code}", "unit_code": code,
        "unit_name": UNITS[code], "policy_id": f"{REGION}:{year}", "year": year, "required": 3,
        "counted": 1, "shortfall": 2, "status": "behind", "deadline": date(year, 12, 31),
        "min_stage": "trial",
    }  # fmt: skip
    # one Kafka key for all: the events stay in order, so the last one's mail means the
    # earlier ones were handled
    return new_event(
        "smartcity.quota.shortfall_detected", "innovation", f"{REGION}:quota", data, region=REGION
    )


def test_quota_facts_of_past_and_future_years_mail_nobody(notify) -> None:  # type: ignore[no-untyped-def]
    notify.worker(clock=lambda: datetime(2020, 7, 1, 3, 0, tzinfo=UTC))
    notify.directory(UNITS)
    notify.publish(_shortfall("dinkes", 2019))  # history being loaded
    notify.publish(_shortfall("dinkes", 2021))  # next year's policy set early
    notify.publish(_shortfall("bappeda", 2020))  # this year: mails at once

    (mail,) = notify.wait_for_mails(notify.address("bappeda"))
    assert "2020" in mail["subject"] + mail["text"]
    assert notify.mails_to(notify.address("dinkes")) == []
    # next year is reminded as its deadline nears; the past year not at all
    planned = reminders(notify, kind="quota", unit=f"{REGION}:dinkes")
    assert {r["subject_id"] for r in planned} == {f"{REGION}:2021"}
    assert len(planned) == 4
