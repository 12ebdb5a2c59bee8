"""Reminders planned from events: rescheduled when a deadline moves, cancelled by submitting."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.support.stack import eventually

from .test_notification_support import (
    NotifyStack,
    deadline_set,
    notify_stack,
    submitted,
)

UNITS = {"dinkes": "Dinas Kesehatan", "bappeda": "Badan Perencanaan Pembangunan Daerah"}
YEAR = datetime.now(UTC).year + 1
JULY_7, JULY_28 = f"{YEAR}-07-07T16:59:59Z", f"{YEAR}-07-28T16:59:59Z"  # 23:59:59 WIB


@pytest.fixture
def notify(make_settings, start_worker, stack_env) -> Iterator[NotifyStack]:  # type: ignore[no-untyped-def]
    yield from notify_stack(make_settings, start_worker, stack_env)


def reminders(notify, status: str = "pending", headers=None, **query: Any) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    r = notify.client.get(
        "/reminders",
        query_string={"status": status, "limit": 100, **query},
        headers=headers or notify.headers(),
    )
    assert r.status_code == 200, r.get_json()
    return r.get_json()["items"]  # type: ignore[no-any-return]


def test_a_deadline_moved_from_7_to_28_july_reschedules_every_pending_reminder(notify) -> None:  # type: ignore[no-untyped-def]
    notify.worker()
    notify.directory(UNITS)
    notify.publish(deadline_set("c-move", JULY_7, UNITS))
    first = eventually(lambda: len(reminders(notify, subject="c-move")) == 8 and reminders(notify))
    assert {r["deadline_date"] for r in first} == {f"{YEAR}-07-07"}

    notify.publish(deadline_set("c-move", JULY_28, UNITS, previous=JULY_7))

    def only_28_july() -> list[dict[str, Any]]:
        found = reminders(notify, subject="c-move")
        dates = {r["deadline_date"] for r in found}
        return found if dates == {f"{YEAR}-07-28"} and len(found) == 8 else []

    moved = eventually(only_28_july, message="8 reminders for 28 July only")
    assert Counter((r["unit"], r["stage"]) for r in moved) == {
        ("kab-batang:dinkes", "due"): 3,
        ("kab-batang:dinkes", "overdue"): 1,
        ("kab-batang:bappeda", "due"): 3,
        ("kab-batang:bappeda", "overdue"): 1,
    }
    week_before = next(r for r in moved if r["offset_days"] == 7 and "dinkes" in r["unit"])
    assert week_before["due_at"].startswith(f"{YEAR}-07-21T01:00:00")  # 08:00 WIB
    old = reminders(notify, status="cancelled", subject="c-move")
    assert len(old) == 8 and {r["deadline_date"] for r in old} == {f"{YEAR}-07-07"}
    assert {r["cancel_reason"] for r in old} == {"rescheduled"}


def test_submitting_cancels_that_units_reminders_and_no_later_move_revives_them(notify) -> None:  # type: ignore[no-untyped-def]
    notify.worker()
    notify.directory(UNITS)
    notify.publish(deadline_set("c-sub", JULY_7, UNITS))
    eventually(lambda: len(reminders(notify, subject="c-sub")) == 8)

    notify.publish(submitted("c-sub", "dinkes", UNITS["dinkes"]))

    eventually(lambda: len(reminders(notify, subject="c-sub")) == 4, message="dinkes cancelled")
    assert {r["unit"] for r in reminders(notify, subject="c-sub")} == {"kab-batang:bappeda"}
    cancelled = reminders(notify, status="cancelled", subject="c-sub")
    assert {(r["unit"], r["cancel_reason"]) for r in cancelled} == {("kab-batang:dinkes", "done")}

    notify.publish(deadline_set("c-sub", JULY_28, UNITS, previous=JULY_7))
    eventually(
        lambda: (
            [(r["unit"], r["deadline_date"]) for r in reminders(notify, subject="c-sub")]
            == [("kab-batang:bappeda", f"{YEAR}-07-28")] * 4
        ),
        message="bappeda's 4 reminders moved to 28 July, none for dinkes",
    )
    assert {r["unit"] for r in reminders(notify, subject="c-sub")} == {"kab-batang:bappeda"}

    # An OPD sees its own unit's reminders only.
    opd = notify.headers("opd", unit="bappeda")
    assert len(reminders(notify, subject="c-sub", headers=opd)) == 4
    other = notify.headers("opd", unit="dinkes")
    assert reminders(notify, subject="c-sub", headers=other) == []
    viewer = notify.client.get("/reminders", headers=notify.headers("viewer"))
    assert viewer.status_code == 403
