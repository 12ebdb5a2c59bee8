"""In-memory stand-ins for the notification service's repositories (unit tests only).

`fake_context()` has the attributes the use cases read from `bootstrap.Context`: `rules`,
`directory`, `preferences`, `deliveries`, `digests`, `reminders`, `renderer`, `config`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from notification.config import NotifyConfig
from notification.domain.default_rules import default_rules
from notification.domain.directory import InMemoryDirectory, Person, Region, Unit
from notification.domain.preferences import Preference, default_preference
from notification.domain.reminders import Reminder, ReminderStatus, SubjectKind
from notification.mail import MailRenderer

REGION = "kab-batang"
DINKES, BAPPEDA = "kab-batang:dinkes", "kab-batang:bappeda"


def directory() -> InMemoryDirectory:
    return InMemoryDirectory.of(
        regions=[Region(REGION, "Kabupaten Batang", admin_emails=("diskominfo@batangkab.go.id",))],
        units=[
            Unit(DINKES, REGION, "Dinas Kesehatan", ("dinkes@batangkab.go.id",)),
            Unit(BAPPEDA, REGION, "Bappeda", ("bappeda@batangkab.go.id",)),
        ],
        people=[Person("p1", "Admin", "admin@batangkab.go.id", "admin", REGION)],
    )


@dataclass
class FakeDeliveries:
    docs: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    mails: dict[tuple[str, str, str], Any] = field(default_factory=dict)

    def add(self, doc: dict[str, Any], mail: Any, now: datetime) -> bool:
        key = (doc["event_id"], doc["recipient"], doc["template"])
        if key in self.docs:
            return False
        self.docs[key], self.mails[key] = doc, mail
        return True


@dataclass
class FakeDigests:
    held: list[dict[str, Any]] = field(default_factory=list)

    def hold(self, doc: dict[str, Any]) -> bool:
        self.held.append(doc)
        return True


@dataclass
class FakePreferences:
    stored: dict[str, Preference] = field(default_factory=dict)

    def effective(self, email: str, timezone: str, language: str) -> Preference:
        return self.stored.get(email) or default_preference(email, timezone, language)


@dataclass
class FakeReminders:
    rows: dict[str, Reminder] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    done: set[tuple[str, str, str]] = field(default_factory=set)
    schedules: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def live(self, kind: SubjectKind, subject_id: str) -> list[Reminder]:
        return [
            r
            for r in self.rows.values()
            if r.kind is kind and r.subject_id == subject_id and r.status is ReminderStatus.PENDING
        ]

    def add(self, reminders: list[Reminder], now: datetime) -> int:
        revivable = {"rescheduled", "done"}
        new = [
            r
            for r in reminders
            if r.id not in self.rows
            or (
                self.rows[r.id].status is ReminderStatus.CANCELLED
                and self.reasons.get(r.id) in revivable
            )
        ]
        self.rows.update({r.id: r for r in new})
        return len(new)

    def live_by_detail(self, kind: SubjectKind, name: str, value: str) -> list[Reminder]:
        return [r for r in self.pending() if r.kind is kind and r.details.get(name) == value]

    def revive_by_detail(
        self, kind: SubjectKind, name: str, value: str, reason: str, now: datetime
    ) -> int:
        found = [
            r
            for r in self.rows.values()
            if r.kind is kind
            and r.details.get(name) == value
            and r.status is ReminderStatus.CANCELLED
            and self.reasons.get(r.id) == reason
            and r.due_at > now
        ]
        self.rows.update({r.id: replace(r, status=ReminderStatus.PENDING) for r in found})
        return len(found)

    def refresh(self, reminders: list[Reminder], now: datetime) -> int:
        fresh = [r for r in reminders if self.rows[r.id].status is ReminderStatus.PENDING]
        self.rows.update({r.id: replace(self.rows[r.id], details=r.details) for r in fresh})
        return len(fresh)

    def remember_schedule(
        self, kind: SubjectKind, subject_id: str, region: str, deadline: str, timezone: str,
        details: dict[str, Any], now: datetime,
    ) -> None:  # fmt: skip
        doc = {"region": region, "deadline": deadline, "timezone": timezone, "details": details}
        self.schedules[(kind.value, subject_id)] = doc

    def schedule(self, kind: SubjectKind, subject_id: str) -> dict[str, Any] | None:
        return self.schedules.get((kind.value, subject_id))

    def clear_done(self, kind: SubjectKind, subject_id: str, unit: str) -> None:
        self.done.discard((kind.value, subject_id, unit))

    def cancel(self, ids: list[str], reason: str, now: datetime) -> int:
        for id in ids:
            self.rows[id] = replace(self.rows[id], status=ReminderStatus.CANCELLED)
            self.reasons[id] = reason
        return len(ids)

    def mark_done(self, kind: SubjectKind, subject_id: str, unit: str | None, now: datetime):  # type: ignore[no-untyped-def]
        self.done.add((kind.value, subject_id, unit or "*"))

    def done_units(self, kind: SubjectKind, subject_id: str) -> set[str]:
        return {u for k, s, u in self.done if (k, s) == (kind.value, subject_id)}

    def pending(self) -> list[Reminder]:
        return [r for r in self.rows.values() if r.status is ReminderStatus.PENDING]


def fake_context(**overrides: Any) -> Any:
    rules = tuple(default_rules())
    ctx = SimpleNamespace(
        rules=SimpleNamespace(active=lambda region: rules),
        directory=directory(),
        preferences=FakePreferences(),
        deliveries=FakeDeliveries(),
        digests=FakeDigests(),
        reminders=FakeReminders(),
        renderer=MailRenderer("https://portal.batangkab.go.id"),
        config=NotifyConfig(),
    )
    for name, value in overrides.items():
        setattr(ctx, name, value)
    return ctx
