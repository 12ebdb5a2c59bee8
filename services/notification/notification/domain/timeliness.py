"""Whether an innovation-quota fact is still worth a mail now.

The innovation service states quota facts (`smartcity.quota.shortfall_detected`,
`.compliance_changed`, `.met`, ...) whenever compliance is computed, also for past years
(history being loaded) and for next year (a policy set early). A person should hear about a
quota only while it can still be met and when it is the year's business:

- a past year (before the current year in the region's time zone) never mails;
- a future year does not mail its facts now: its reminders (planned from the same facts)
  mail as its deadline nears;
- the current year mails until its deadline has passed; the upstream `deadline_neared` and
  `deadline_passed` signals (shipped disabled) mail for the current year.

Reminders (`smartcity.reminder.quota.*`) are not quota facts and are not filtered here: their
own planning skips old deadlines. `now` comes from the caller's clock (pinned in tests).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from notification.domain.events import Event, lookup
from notification.domain.reminders import deadline_passed_at, zone

QUOTA_PREFIX = "smartcity.quota."
DEADLINE_SIGNALS = frozenset({"smartcity.quota.deadline_neared", "smartcity.quota.deadline_passed"})


def untimely(event: Event, now: datetime, timezone: str) -> str | None:
    """Why `event` must not mail now (None: it may)."""
    event_type = str(event.get("type", ""))
    if not event_type.startswith(QUOTA_PREFIX):
        return None
    year = _int(lookup(event, "data.year"))
    tz = zone(timezone)
    this_year = now.astimezone(tz).year
    if year is None:
        return None
    if year < this_year:
        return f"quota year {year} is past"
    if year > this_year:
        return f"quota year {year} is ahead: its reminders mail as the deadline nears"
    if event_type in DEADLINE_SIGNALS:
        return None
    deadline = _date(lookup(event, "data.deadline"))
    if deadline is not None and now >= deadline_passed_at(deadline, tz):
        return f"the quota deadline {deadline.isoformat()} has passed"
    return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
