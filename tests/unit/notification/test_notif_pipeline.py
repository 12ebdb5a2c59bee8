"""Events to deliveries and reminders, with in-memory fakes (no store, broker or SMTP)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from notification.domain.preferences import Language, Preference
from notification.domain.reminders import ReminderStatus
from notification.domain.rules import Category
from notification.handlers import envelope_of, on_event
from notification.mail import RenderError
from notification.scheduling import apply_schedule
from notification.services import notice_from_doc, notify
from smartcity_shared.consumer import Event
from smartcity_shared.events import new_event, validate
from tests.unit.notification.notif_fakes import BAPPEDA, DINKES, REGION, fake_context

NOW = datetime(2020, 6, 1, 3, 0, tzinfo=UTC)
UNITS = [
    {"unit": DINKES, "unit_code": "dinkes", "unit_name": "Dinas Kesehatan"},
    {"unit": BAPPEDA, "unit_code": "bappeda", "unit_name": "Bappeda"},
]


def event(type_: str, subject: str, **data: object) -> Event:
    envelope = new_event(type_, "evaluation", subject, {"region": REGION, **data}, region=REGION)
    loaded = validate(envelope)
    return Event(envelope["id"], type_, subject, REGION, loaded, "", envelope["time"], envelope)


def submission(kind: str, unit: str, **extra: object) -> Event:
    code = unit.split(":")[1]
    data = {"submission_id": f"s-{code}", "cycle_id": "c-2020", "year": 2020, "unit": unit,
            "unit_code": code, "unit_name": code.title(), **extra}  # fmt: skip
    return event(f"smartcity.submission.{kind}", f"s-{code}", **data)


def returned(unit: str = DINKES) -> Event:
    return submission("returned", unit, comments=1, reason="Lengkapi bukti.", returned_by="a")


def deadline(day: str) -> Event:
    return event(
        "smartcity.cycle.deadline_set", "c-2020", cycle_id="c-2020", year=2020, name="Evaluasi",
        submission_deadline=day, previous_deadline=None, timezone="Asia/Jakarta",
        participants=UNITS,
    )  # fmt: skip


def test_an_event_becomes_one_rendered_delivery_per_recipient_and_only_once():
    ctx = fake_context()

    first = notify(ctx, envelope_of(returned()), NOW)
    again = notify(ctx, envelope_of(returned()), NOW)

    assert (first.notices, first.created, again.created) == (1, 1, 1)  # a new event id
    [(key, doc), _] = ctx.deliveries.docs.items()
    assert key[1:] == ("dinkes@batangkab.go.id", "submission_returned")
    assert doc["status"] == "pending" and doc["unit_code"] == "dinkes"
    mail = ctx.deliveries.mails[key]
    assert mail["subject"].startswith("Isian Dinas Kesehatan dikembalikan untuk perbaikan")
    assert doc["mail_subject"] == mail["subject"]


def test_the_same_event_twice_stores_one_delivery():
    ctx, envelope = fake_context(), envelope_of(returned())

    assert notify(ctx, envelope, NOW).created == 1
    assert notify(ctx, envelope, NOW).created == 0
    assert len(ctx.deliveries.docs) == 1


def test_preferences_choose_language_suppress_and_hold_for_the_digest():
    ctx = fake_context()
    ctx.preferences.stored["dinkes@batangkab.go.id"] = Preference(
        "dinkes@batangkab.go.id", Language.EN, digest_hour=7
    )
    ctx.preferences.stored["bappeda@batangkab.go.id"] = Preference(
        "bappeda@batangkab.go.id", opt_out=frozenset({Category.REVIEW})
    )

    notify(ctx, envelope_of(submission("verified", DINKES)), NOW)  # not urgent: held
    notify(ctx, envelope_of(returned(DINKES)), NOW)  # urgent: now, in English
    notify(ctx, envelope_of(returned(BAPPEDA)), NOW)  # opted out of review results

    [held] = ctx.digests.held
    assert held["digest_at"] == datetime(2020, 6, 2, 0, 0, tzinfo=UTC)  # 07:00 WIB
    assert notice_from_doc(held["notice"]).template == "submission_verified"
    by_unit = {doc["unit"]: doc for doc in ctx.deliveries.docs.values()}
    assert by_unit[DINKES]["language"] == "en"
    assert by_unit[BAPPEDA]["status"] == "suppressed"
    rendered = {d["unit"] for k, d in ctx.deliveries.docs.items() if ctx.deliveries.mails[k]}
    assert rendered == {DINKES}  # a suppressed notice is logged, never rendered


def test_an_event_whose_mail_cannot_be_rendered_stores_nothing():
    ctx = fake_context()
    envelope = envelope_of(returned())
    del envelope["data"]["cycle_id"]

    with pytest.raises(RenderError):
        notify(ctx, envelope, NOW)
    assert ctx.deliveries.docs == {}


def test_envelope_data_is_the_schema_loaded_data_with_defaults_as_json():
    raw = returned()
    raw.envelope["data"].pop("cycle_name", None)

    data = envelope_of(raw)["data"]

    assert data["cycle_name"] == "" and data["unit_code"] == "dinkes"


def test_a_moved_deadline_replaces_every_pending_reminder():
    ctx = fake_context()
    apply_schedule(ctx, envelope_of(deadline("2020-07-07")), NOW)
    apply_schedule(ctx, envelope_of(deadline("2020-07-28")), NOW)

    pending = ctx.reminders.pending()
    assert len(pending) == 8 and {r.deadline_date for r in pending} == {date(2020, 7, 28)}
    assert set(ctx.reminders.reasons.values()) == {"rescheduled"}
    assert {r.details["unit_name"] for r in pending} == {"Dinas Kesehatan", "Bappeda"}


def test_submitting_cancels_that_unit_and_keeps_it_out_of_later_plans():
    ctx = fake_context()
    on_event(ctx, deadline("2020-07-07"), NOW)
    on_event(ctx, submission("submitted", DINKES, submitted_at="x", late=False,
                             resubmission=False), NOW)  # fmt: skip
    on_event(ctx, deadline("2020-07-28"), NOW)

    assert {r.unit for r in ctx.reminders.pending()} == {BAPPEDA}
    cancelled = [r for r in ctx.reminders.rows.values() if r.status is ReminderStatus.CANCELLED]
    assert {ctx.reminders.reasons[r.id] for r in cancelled if r.unit == DINKES} == {"done"}


def test_a_recommendation_due_date_change_reschedules_only_that_recommendation():
    ctx = fake_context()
    issued = event(
        "smartcity.recommendation.issued", "rec-1", recommendation_id="rec-1", unit=DINKES,
        unit_name="Dinas Kesehatan", title="Perbaiki", due_date="2020-09-30", priority="high",
        cycle_id=None,
    )  # fmt: skip
    moved = event(
        "smartcity.recommendation.due_changed", "rec-1", recommendation_id="rec-1", unit=DINKES,
        unit_name="Dinas Kesehatan", title="Perbaiki", due_date="2020-10-31",
        previous_due_date="2020-09-30",
    )  # fmt: skip
    on_event(ctx, issued, NOW)
    on_event(ctx, moved, NOW)

    assert {r.deadline_date for r in ctx.reminders.pending()} == {date(2020, 10, 31)}
    assert {r.details["title"] for r in ctx.reminders.pending()} == {"Perbaiki"}
