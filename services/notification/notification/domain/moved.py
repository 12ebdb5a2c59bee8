"""The one-off "your deadline changed" notice of a moved deadline.

When a deadline moves (a cycle's `deadline_set` naming the deadline it replaces), each unit
still to act gets one notice quoting the old and the new deadline; its reminders are re-planned
as usual. The notice is an event envelope of type `smartcity.<kind>.deadline_moved` that the
recipient rules route like any event. Its id is a hash of kind, subject, unit and both
deadlines, so a redelivered event is de-duplicated by the delivery log and moving the same
deadline again to another date tells the unit again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from notification.domain.reminders import (
    Deadline,
    SubjectKind,
    deadline_key,
    local_deadline_date,
    zone,
)


def moved_type(kind: SubjectKind) -> str:
    """The notice type, e.g. `smartcity.submission.deadline_moved`."""
    return f"smartcity.{kind.value}.deadline_moved"


def deadline_moved_event(
    kind: SubjectKind,
    subject_id: str,
    region: str,
    unit: str,
    deadline: Deadline,
    previous: Deadline,
    now: datetime,
    *,
    timezone: str,
    details: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The notice for `unit` that `subject_id`'s deadline moved from `previous` to `deadline`."""
    tz = zone(timezone)
    new, old = _aware(deadline, timezone), _aware(previous, timezone)
    raw = "|".join((kind.value, subject_id, unit, deadline_key(old), deadline_key(new)))
    data = {
        **(details or {}),
        "subject_id": subject_id,
        "unit": unit,
        "deadline": deadline_key(new),
        "deadline_date": local_deadline_date(new, tz).isoformat(),
        "previous_deadline": deadline_key(old),
        "previous_deadline_date": local_deadline_date(old, tz).isoformat(),
    }
    return {
        "specversion": "1.0",
        "id": "moved-" + hashlib.sha256(raw.encode()).hexdigest()[:32],
        "source": "notification",
        "type": moved_type(kind),
        "time": now.isoformat(),
        "subject": subject_id,
        "region": region,
        "datacontenttype": "application/json",
        "data": data,
    }


def _aware(deadline: Deadline, timezone: str) -> Deadline:
    if isinstance(deadline, datetime) and deadline.tzinfo is None:
        return deadline.replace(tzinfo=zone(timezone))
    return deadline
