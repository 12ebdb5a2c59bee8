"""Plans that change after the fact: a returned submission, a quota shortfall that moves, a
discontinued innovation (in-memory fakes, no store or broker)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

from notification.domain.reminders import ReminderStatus, Stage, SubjectKind, reminder_event
from notification.handlers import envelope_of
from notification.scheduling import apply_schedule
from notification.services import notify
from smartcity_shared.consumer import Event
from smartcity_shared.events import new_event, validate
from tests.unit.notification.notif_fakes import BAPPEDA, DINKES, REGION, fake_context

BEFORE = datetime(2020, 6, 1, 3, 0, tzinfo=UTC)  # 10:00 WIB, five weeks before 7 July
UNITS = [
    {"unit": DINKES, "unit_code": "dinkes", "unit_name": "Dinas Kesehatan"},
    {"unit": BAPPEDA, "unit_code": "bappeda", "unit_name": "Bappeda"},
]


def event(type_: str, subject: str, source: str = "evaluation", **data: Any) -> Event:
    envelope = new_event(type_, source, subject, {"region": REGION, **data}, region=REGION)
    loaded = validate(envelope)
    return Event(envelope["id"], type_, subject, REGION, loaded, "", envelope["time"], envelope)


def apply(ctx: Any, raw: Event, now: datetime) -> None:
    apply_schedule(ctx, envelope_of(raw), now)


def deadline_set(day: str = "2020-07-07") -> Event:
    return event(
        "smartcity.cycle.deadline_set", "c-2020", cycle_id="c-2020", year=2020, name="Evaluasi",
        submission_deadline=day, previous_deadline=None, timezone="Asia/Jakarta",
        participants=UNITS,
    )  # fmt: skip


def submission(kind: str, unit: str = DINKES, **extra: Any) -> Event:
    code = unit.split(":")[1]
    data = {"submission_id": f"c-2020:{code}", "cycle_id": "c-2020", "year": 2020, "unit": unit,
            "unit_code": code, "unit_name": "Dinas Kesehatan", **extra}  # fmt: skip
    return event(f"smartcity.submission.{kind}", f"c-2020:{code}", **data)


def submitted(unit: str = DINKES) -> Event:
    return submission("submitted", unit, submitted_at="2020-06-01T03:00:00Z", late=False,
                      resubmission=False)  # fmt: skip


def returned(unit: str = DINKES) -> Event:
    return submission("returned", unit, comments=1, reason="Lengkapi bukti.", returned_by="a")


def dinkes(ctx: Any) -> list[Any]:
    return sorted((r for r in ctx.reminders.pending() if r.unit == DINKES), key=lambda r: r.due_at)


def test_a_return_before_the_deadline_brings_back_the_reminders_still_ahead() -> None:
    ctx = fake_context()
    apply(ctx, deadline_set(), BEFORE)
    planned = {r.id for r in dinkes(ctx)}
    apply(ctx, submitted(), BEFORE)
    assert dinkes(ctx) == []

    returned_at = datetime(2020, 7, 2, 3, 0, tzinfo=UTC)  # after the 7-day reminder's time
    apply(ctx, returned(), returned_at)

    again = dinkes(ctx)
    assert [(r.offset_days, r.stage) for r in again] == [
        (3, Stage.DUE), (1, Stage.DUE), (-1, Stage.OVERDUE),
    ]  # fmt: skip
    assert {r.id for r in again} <= planned  # the same reminders, not new ones
    assert all(r.due_at > returned_at for r in again)  # no catch-up burst
    assert again[0].details["unit_name"] == "Dinas Kesehatan"

    apply(ctx, submission("submitted", resubmission=True, submitted_at="x", late=False),
          returned_at)  # fmt: skip
    assert dinkes(ctx) == []


def test_a_return_after_the_deadline_plans_one_resubmit_notice_for_the_next_morning() -> None:
    ctx = fake_context()
    apply(ctx, deadline_set(), BEFORE)
    apply(ctx, submitted(), BEFORE)
    late = datetime(2020, 7, 20, 9, 30, tzinfo=UTC)  # 16:30 WIB, 13 days after the deadline
    back = returned()

    apply(ctx, back, late)
    apply(ctx, back, late)  # redelivered

    [notice] = dinkes(ctx)
    assert (notice.stage, notice.details["resubmit"]) == (Stage.OVERDUE, True)
    assert notice.due_at == datetime(2020, 7, 21, 1, 0, tzinfo=UTC)  # 08:00 WIB next day
    assert notice.deadline_date == date(2020, 7, 7) and notice.offset_days == -14
    assert {r.unit for r in ctx.reminders.pending()} == {DINKES, BAPPEDA}

    result = notify(ctx, reminder_event(notice, notice.due_at), notice.due_at)
    assert result.created == 3  # the OPD, the region's admin person and its Diskominfo address
    mail = ctx.deliveries.mails[(notice.id, "dinkes@batangkab.go.id", "submission_overdue")]
    assert mail["subject"] == "Terlambat: mohon kirim ulang isian Evaluasi Dinas Kesehatan"
    assert "/evaluation/cycles/c-2020/submissions/dinkes" in mail["text"]

    resubmitted = submission("submitted", resubmission=True, submitted_at="x", late=True)
    apply(ctx, resubmitted, late + timedelta(days=1))
    assert dinkes(ctx) == []
    apply(ctx, returned(), late + timedelta(days=3))  # returned again: its own single notice
    [again] = dinkes(ctx)
    assert again.id != notice.id and again.details["resubmit"]
    assert again.due_at == datetime(2020, 7, 24, 1, 0, tzinfo=UTC)


def test_a_return_in_a_closed_cycle_or_without_a_known_deadline_plans_nothing() -> None:
    closed = fake_context()
    apply(closed, deadline_set(), BEFORE)
    phase = event("smartcity.cycle.phase_changed", "c-2020", cycle_id="c-2020", year=2020,
                  name="Evaluasi", phase="closed", previous_phase="finalization")  # fmt: skip
    apply(closed, phase, BEFORE)
    apply(closed, returned(), BEFORE)
    assert closed.reminders.pending() == []

    unknown = fake_context()
    apply(unknown, returned(), BEFORE)
    assert unknown.reminders.pending() == []


def test_a_moved_deadline_after_a_return_plans_the_unit_again() -> None:
    ctx = fake_context()
    apply(ctx, deadline_set(), BEFORE)
    apply(ctx, submitted(), BEFORE)
    apply(ctx, deadline_set("2020-07-28"), BEFORE)
    assert dinkes(ctx) == []  # done: a move does not bring reminders back

    apply(ctx, returned(), BEFORE)

    assert {r.deadline_date for r in dinkes(ctx)} == {date(2020, 7, 28)}
    assert len(dinkes(ctx)) == 4


# -- quota -------------------------------------------------------------------------------
def quota(kind: str, unit: str = DINKES, shortfall: int = 2, **extra: Any) -> Event:
    code = unit.split(":")[1]
    data = {
        "unit": unit, "unit_code": code, "unit_name": code.title(), "policy_id": "kab-batang:2020",
        "year": 2020, "required": 3, "counted": 3 - shortfall, "shortfall": shortfall,
        "status": "behind", "deadline": date(2020, 11, 30), "min_stage": "trial", **extra,
    }  # fmt: skip
    return event(f"smartcity.quota.{kind}", "kab-batang:2020", "innovation", **data)


def changed(shortfall: int, before: int = 2, **extra: Any) -> Event:
    return quota("compliance_changed", shortfall=shortfall, change="shortfall_changed",
                 shortfall_before=before, **extra)  # fmt: skip


def test_a_compliance_change_makes_pending_quota_reminders_quote_the_new_shortfall() -> None:
    ctx = fake_context()
    apply(ctx, quota("shortfall_detected", shortfall=2), BEFORE)
    apply(ctx, quota("shortfall_detected", BAPPEDA, shortfall=3), BEFORE)
    ids = {r.id for r in dinkes(ctx)}

    apply(ctx, changed(1), BEFORE)

    assert {r.id for r in dinkes(ctx)} == ids  # the same reminders, refreshed
    assert {(r.details["shortfall"], r.details["counted"]) for r in dinkes(ctx)} == {(1, 2)}
    others = {r.details["shortfall"] for r in ctx.reminders.pending() if r.unit == BAPPEDA}
    assert others == {3}
    week = next(r for r in dinkes(ctx) if r.offset_days == 7)
    notify(ctx, reminder_event(week, week.due_at), week.due_at)
    mail = ctx.deliveries.mails[(week.id, "dinkes@batangkab.go.id", "quota_deadline")]
    assert "(kurang 1 inovasi)" in mail["text"]
    assert "/innovation/regions/kab-batang/quota/2020/compliance" in mail["text"]


def test_a_compliance_change_to_no_shortfall_or_exempt_cancels_and_short_again_replans() -> None:
    ctx = fake_context()
    apply(ctx, quota("shortfall_detected"), BEFORE)
    apply(ctx, quota("shortfall_detected", BAPPEDA), BEFORE)

    apply(ctx, changed(0), BEFORE)
    apply(ctx, quota("compliance_changed", BAPPEDA, shortfall=3, status="exempt",
                     change="status_changed", shortfall_before=3), BEFORE)  # fmt: skip

    assert ctx.reminders.pending() == []
    reasons = Counter(ctx.reminders.reasons.values())
    assert reasons == {"done": 8}

    apply(ctx, quota("shortfall_detected", shortfall=1), BEFORE)  # short again
    assert len(dinkes(ctx)) == 4
    assert {r.details["shortfall"] for r in dinkes(ctx)} == {1}


def test_quota_met_then_short_again_reminds_again() -> None:
    ctx = fake_context()
    apply(ctx, quota("shortfall_detected"), BEFORE)
    apply(ctx, quota("met", shortfall=0, status="on_track"), BEFORE)
    assert dinkes(ctx) == []

    apply(ctx, changed(2, before=0), BEFORE)

    assert len(dinkes(ctx)) == 4


# -- milestones ---------------------------------------------------------------------------
def milestone(milestone_id: str, innovation_id: str) -> Event:
    data = {
        "unit": DINKES, "unit_code": "dinkes", "unit_name": "Dinas Kesehatan",
        "milestone_id": milestone_id, "innovation_id": innovation_id,
        "innovation_name": innovation_id, "title": "Uji coba", "name": "Uji coba",
        "year": 2020, "planned_date": date(2020, 8, 1),
    }  # fmt: skip
    return event("smartcity.milestone.planned", innovation_id, "innovation", **data)


def discontinued(innovation_id: str, reactivated: bool = False) -> Event:
    stages = ("discontinued", "trial") if reactivated else ("trial", "discontinued")
    data = {
        "unit": DINKES, "unit_code": "dinkes", "unit_name": "Dinas Kesehatan",
        "innovation_id": innovation_id, "name": "Minggon Jatinan", "year": 2020,
        "from_stage": stages[0], "to_stage": stages[1], "date": date(2020, 6, 1),
        "reason": "Tidak ada anggaran", "changed_by": "u1",
    }  # fmt: skip
    kind = "stage_changed" if reactivated else "discontinued"
    return event(f"smartcity.innovation.{kind}", innovation_id, "innovation", **data)


def test_discontinuing_an_innovation_cancels_its_milestone_reminders_only() -> None:
    ctx = fake_context()
    for ms, inv in (("ms-1", "inv-1"), ("ms-2", "inv-1"), ("ms-3", "inv-2")):
        apply(ctx, milestone(ms, inv), BEFORE)
    assert len(ctx.reminders.pending()) == 12

    apply(ctx, discontinued("inv-1"), BEFORE)

    assert {r.subject_id for r in ctx.reminders.pending()} == {"ms-3"}
    assert set(ctx.reminders.reasons.values()) == {"discontinued"}
    assert ctx.reminders.done == set()  # nothing marked done: a later plan reminds again
    kinds = {r.kind for r in ctx.reminders.rows.values() if r.status is ReminderStatus.CANCELLED}
    assert kinds == {SubjectKind.MILESTONE}


def test_a_reactivated_innovation_gets_back_the_milestone_reminders_still_ahead() -> None:
    ctx = fake_context()
    apply(ctx, milestone("ms-1", "inv-1"), BEFORE)
    apply(ctx, discontinued("inv-1"), BEFORE)
    assert ctx.reminders.pending() == []

    later = datetime(2020, 7, 27, 3, 0, tzinfo=UTC)  # after the 7-day reminder's time
    apply(ctx, discontinued("inv-1", reactivated=True), later)

    assert sorted(r.offset_days for r in ctx.reminders.pending()) == [-1, 1, 3]
