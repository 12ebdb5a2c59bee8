"""The daily digest: when it goes out and how a day's held notices become one e-mail.

The service stores a notice decided `DIGEST` with `digest_at = next_digest_time(pref, now)`;
when that moment comes, the notices held for (address, digest_at) become one `Digest`, mailed
with the `digest` template and logged under (digest id, address, `digest`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from notification.domain.notices import Notice
from notification.domain.preferences import Preference
from notification.domain.reminders import zone
from notification.domain.rules import Category, normalize_email

DIGEST_TEMPLATE = "digest"
_CATEGORY_ORDER = {category: index for index, category in enumerate(Category)}


def next_digest_time(preference: Preference, now: datetime) -> datetime | None:
    """The first digest moment strictly after `now` (UTC), at `digest_hour`:00 local time.

    None when the person has no digest. `now` must be aware.
    """
    if preference.digest_hour is None:
        return None
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    tz = zone(preference.timezone)
    local_now = now.astimezone(tz)
    at = time(preference.digest_hour)
    candidate = datetime.combine(local_now.date(), at, tzinfo=tz)
    if candidate <= local_now:
        candidate = datetime.combine(local_now.date() + timedelta(days=1), at, tzinfo=tz)
    return candidate.astimezone(UTC)


@dataclass(frozen=True)
class Digest:
    """The notices held for one address until `scheduled_at`, oldest first, no duplicates."""

    id: str
    email: str
    scheduled_at: datetime
    notices: tuple[Notice, ...]

    @property
    def groups(self) -> list[tuple[Category, tuple[Notice, ...]]]:
        """The notices grouped by category, in `Category` order."""
        return group_by_category(self.notices)

    @property
    def delivery_key(self) -> tuple[str, str, str]:
        return (self.id, self.email, DIGEST_TEMPLATE)


def digest_id(email: str, scheduled_at: datetime) -> str:
    """Deterministic: one digest per address and moment, however often it is built."""
    raw = f"digest|{normalize_email(email)}|{scheduled_at.astimezone(UTC).isoformat()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def build_digest(email: str, scheduled_at: datetime, notices: Iterable[Notice]) -> Digest | None:
    """One digest of the notices addressed to `email`; None when there are none.

    Notices for other addresses are ignored; a notice repeated (same delivery key) counts once.
    """
    address = normalize_email(email)
    unique: dict[tuple[str, str, str], Notice] = {}
    for notice in notices:
        if notice.recipient.email == address:
            unique.setdefault(notice.delivery_key, notice)
    if not unique:
        return None
    ordered = sorted(unique.values(), key=_when)
    return Digest(digest_id(address, scheduled_at), address, scheduled_at, tuple(ordered))


def _when(notice: Notice) -> tuple[datetime, str]:
    return (notice.occurred_at or datetime.min.replace(tzinfo=UTC), notice.event_id)


def group_by_category(notices: Iterable[Notice]) -> list[tuple[Category, tuple[Notice, ...]]]:
    """Notices grouped by category (in `Category` order), each group in input order."""
    groups: dict[Category, list[Notice]] = {}
    for notice in notices:
        groups.setdefault(notice.category, []).append(notice)
    ordered = sorted(groups.items(), key=lambda item: _CATEGORY_ORDER[item[0]])
    return [(category, tuple(items)) for category, items in ordered]
