"""Store documents for reminders and delivery records, and back.

Documents are JSON/BSON-safe: no keys with `.` or `$`, datetimes kept as aware UTC datetimes
(the store queries `due_at` and `next_attempt_at` by range), dates as ISO text. Readers accept
naive datetimes as UTC, since pymongo returns naive ones unless `tz_aware=True`.
`*_from_dict` raise `ValueError`/`KeyError` on documents this module did not write.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from notification.domain.delivery import (
    Delivery,
    DeliveryKey,
    DeliveryStatus,
    FailureClass,
)
from notification.domain.reminders import (
    Deadline,
    Reminder,
    ReminderStatus,
    Stage,
    SubjectKind,
    deadline_key,
)


def _utc(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise ValueError(f"not a datetime: {value!r}")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _deadline(text: str) -> Deadline:
    return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)


def reminder_to_dict(reminder: Reminder) -> dict[str, Any]:
    """The reminder as a document; `id` is meant as the store's `_id`."""
    return {
        "id": reminder.id,
        "kind": reminder.kind.value,
        "subject_id": reminder.subject_id,
        "region": reminder.region,
        "unit": reminder.unit,
        "deadline": deadline_key(reminder.deadline),
        "deadline_date": reminder.deadline_date.isoformat(),
        "offset_days": reminder.offset_days,
        "stage": reminder.stage.value,
        "due_at": reminder.due_at,
        "timezone": reminder.timezone,
        "details": dict(reminder.details),
        "status": reminder.status.value,
    }


def reminder_from_dict(doc: Mapping[str, Any]) -> Reminder:
    """Inverse of `reminder_to_dict`."""
    due_at = _utc(doc["due_at"])
    assert due_at is not None
    return Reminder(
        id=str(doc["id"]),
        kind=SubjectKind(doc["kind"]),
        subject_id=str(doc["subject_id"]),
        region=str(doc["region"]),
        unit=str(doc["unit"]),
        deadline=_deadline(str(doc["deadline"])),
        deadline_date=date.fromisoformat(str(doc["deadline_date"])),
        offset_days=int(doc["offset_days"]),
        stage=Stage(doc["stage"]),
        due_at=due_at,
        timezone=str(doc["timezone"]),
        details=dict(doc.get("details") or {}),
        status=ReminderStatus(doc.get("status", ReminderStatus.PENDING.value)),
    )


def delivery_to_dict(delivery: Delivery) -> dict[str, Any]:
    """The delivery record as a document; (event_id, recipient, template) is its unique key."""
    return {
        **delivery.key.as_dict(),
        "status": delivery.status.value,
        "attempts": delivery.attempts,
        "created_at": delivery.created_at,
        "updated_at": delivery.updated_at,
        "next_attempt_at": delivery.next_attempt_at,
        "sent_at": delivery.sent_at,
        "smtp_code": delivery.smtp_code,
        "smtp_response": delivery.smtp_response,
        "last_error": delivery.last_error,
        "failure_class": delivery.failure_class.value if delivery.failure_class else None,
    }


def delivery_from_dict(doc: Mapping[str, Any]) -> Delivery:
    """Inverse of `delivery_to_dict`; extra fields the store keeps are ignored."""
    created_at, updated_at = _utc(doc["created_at"]), _utc(doc["updated_at"])
    assert created_at is not None and updated_at is not None
    failure = doc.get("failure_class")
    return Delivery(
        key=DeliveryKey(str(doc["event_id"]), str(doc["recipient"]), str(doc["template"])),
        created_at=created_at,
        updated_at=updated_at,
        status=DeliveryStatus(doc["status"]),
        attempts=int(doc.get("attempts", 0)),
        next_attempt_at=_utc(doc.get("next_attempt_at")),
        sent_at=_utc(doc.get("sent_at")),
        smtp_code=doc.get("smtp_code"),
        smtp_response=doc.get("smtp_response"),
        last_error=doc.get("last_error"),
        failure_class=FailureClass(failure) if failure else None,
    )
