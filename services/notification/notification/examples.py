"""Example events and template contexts, for previews ("show me this template") and tests.

`example_event(template)` builds the event that the first default rule using `template`
routes (a scheduled reminder's event for reminder templates); `example_context(template,
language)` runs it through the real pipeline (rules → notice → `notice_context`) against a
small Kabupaten Batang directory, so a preview shows exactly what the worker would send.
The data below also documents which `data.*` fields each template reads.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from notification.domain.default_rules import default_rules
from notification.domain.digest import DIGEST_TEMPLATE, build_digest
from notification.domain.directory import InMemoryDirectory, Person, Region, Unit
from notification.domain.notices import notice_context, notices_for_event
from notification.domain.reminders import (
    Stage,
    SubjectKind,
    plan_reminders,
    reminder_event,
)
from notification.domain.requests import (
    DIRECT_TEMPLATE,
    REQUEST_TYPE,
    parse_request,
    request_notices,
)
from smartcity_shared.errors import NotFound

REGION = "kab-batang"
UNIT = "kab-batang:dinkes"
EXAMPLE_DIRECTORY = InMemoryDirectory.of(
    regions=[Region(REGION, "Kabupaten Batang", admin_emails=("diskominfo@batangkab.go.id",))],
    units=[Unit(UNIT, REGION, "Dinas Kesehatan", ("dinkes@batangkab.go.id",))],
    people=[Person("p-admin", "Admin Diskominfo", "admin@batangkab.go.id", "admin", REGION)],
)
EXAMPLE_TIME = datetime(2020, 7, 1, 2, 0, tzinfo=UTC)

CYCLE = "kab-batang:2020:smart-city-6-pillars"
UNIT_REF = {"region": REGION, "unit": UNIT, "unit_code": "dinkes", "unit_name": "Dinas Kesehatan"}
SUBMISSION = {
    **UNIT_REF, "submission_id": "sub-2020-dinkes", "cycle_id": CYCLE,
    "cycle_name": "Evaluasi Smart City 2020", "year": 2020,
}  # fmt: skip

#: Event `data` per template of a direct (not scheduled) event, as the producers' schemas
#: (`smartcity_shared.events.schemas`) define it.
EVENT_DATA: dict[str, dict[str, Any]] = {
    "submission_returned": {
        **SUBMISSION, "comments": 3, "returned_by": "asesor-kemendagri",
        "reason": "Lengkapi bukti dukung indikator layanan publik.",
    },
    "submission_verified": {**SUBMISSION, "verified_by": "asesor-kemendagri"},
    "submission_deadline_moved": {
        "unit": UNIT, "unit_name": "Dinas Kesehatan", "subject_id": "cycle-2020",
        "title": "Evaluasi Smart City 2020", "year": 2020,
        "cycle_name": "Evaluasi Smart City 2020",
        "deadline": "2020-07-28T16:59:59+00:00", "deadline_date": "2020-07-28",
        "previous_deadline": "2020-07-07T16:59:59+00:00", "previous_deadline_date": "2020-07-07",
    },
    "submission_finalized": {**SUBMISSION, "overall": 3.48, "band": "Baik"},
    "scorecard_published": {
        "cycle_id": CYCLE, "region": REGION, "year": 2020, "name": "Evaluasi Smart City 2020",
        "framework_key": "smart-city-6-pillars", "overall": 3.48, "band": "Baik",
        "delta": 0.25, "participants": 11,
    },
    "recommendation_issued": {
        **UNIT_REF, "recommendation_id": "rec-17", "cycle_id": CYCLE,
        "title": "Integrasikan layanan rujukan puskesmas", "priority": "high",
        "due_date": "2020-09-30",
    },
    "quota_shortfall": {
        **UNIT_REF, "contact_emails": ["dinkes@batangkab.go.id"],
        "policy_id": "kab-batang:2020", "year": 2020, "required": 3, "counted": 1,
        "shortfall": 2, "status": "behind", "deadline": "2020-11-30", "min_stage": "trial",
        "innovations": [],
    },
    "risk_raised": {
        "risk_id": "risk-5", "region": REGION, "unit": UNIT, "unit_code": "dinkes",
        "title": "Partisipasi warga dalam aplikasi aduan menurun",
        "perspective": "community_engagement", "likelihood": 3, "impact": 4, "score": 12,
        "rating": "high",
    },
    "innovation_verified": {
        **UNIT_REF, "innovation_id": "inv-9", "name": "Minggon Jatinan", "year": 2019,
        "stage": "trial", "result": "verified", "note": "Bukti kegiatan mingguan lengkap.",
        "date": "2020-06-30", "verified_by": "asesor-undip",
    },
}  # fmt: skip

#: Reminder details (copied from the scheduling event) per subject kind.
REMINDER_DETAILS: dict[SubjectKind, tuple[str, date, dict[str, Any]]] = {
    SubjectKind.SUBMISSION: (
        "cycle-2020", date(2020, 7, 7),
        {"title": "Evaluasi Smart City 2020", "year": 2020, "phase": "self_assessment"},
    ),
    SubjectKind.RECOMMENDATION: (
        "rec-17", date(2020, 7, 7),
        {"title": "Integrasikan layanan rujukan puskesmas", "priority": "high"},
    ),
    SubjectKind.QUOTA: (
        "kab-batang:2020", date(2020, 7, 7),
        {"year": 2020, "required": 3, "counted": 1, "shortfall": 2},
    ),
    SubjectKind.MILESTONE: (
        "ms-3", date(2020, 7, 7),
        {"title": "Uji coba pasar mingguan", "innovation_id": "inv-9",
         "innovation_name": "Minggon Jatinan"},
    ),
}  # fmt: skip


#: A direct request with a plain subject and text (`smartcity.notification.requested`).
DIRECT_REQUEST: dict[str, Any] = {
    "specversion": "1.0", "id": "example-direct-message", "source": "evaluation",
    "type": REQUEST_TYPE, "time": EXAMPLE_TIME.isoformat(), "subject": "req-visit-dinkes",
    "region": REGION, "datacontenttype": "application/json", "schemaversion": 1,
    "data": {
        "request_id": "req-visit-dinkes", "region": REGION,
        "recipients": {"people": [], "units": [UNIT], "roles": []},
        "template": None, "subject": "Jadwal kunjungan lapangan asesor",
        "text": "Asesor akan berkunjung pada 14 Juli 2020 pukul 09.00 WIB.\n\n"
                "Mohon siapkan bukti dukung asli.",
        "category": "review", "urgent": False, "data": {}, "send_at": None,
        "requested_by": "asesor-kemendagri",
    },
}  # fmt: skip


def example_event(template_name: str) -> dict[str, Any]:
    """An event the default rules route to `template_name` (for `direct_message`, a direct
    request). Raises `NotFound` when no enabled default rule uses it (and for `digest`,
    which no event produces)."""
    if template_name == DIRECT_TEMPLATE:
        return dict(DIRECT_REQUEST)
    rule = next((r for r in default_rules() if r.template == template_name and r.enabled), None)
    if rule is None:
        raise NotFound(f"No example event for template {template_name!r}.")
    if rule.event_type.startswith("smartcity.reminder."):
        _, _, kind, stage = rule.event_type.split(".")
        return _reminder_event(SubjectKind(kind), Stage(stage))
    return {
        "specversion": "1.0",
        "id": f"example-{template_name}",
        "source": "evaluation",
        "type": rule.event_type,
        "time": EXAMPLE_TIME.isoformat(),
        "subject": template_name,
        "region": REGION,
        "datacontenttype": "application/json",
        "schemaversion": 1,
        "data": dict(EVENT_DATA[template_name]),
    }


def _reminder_event(kind: SubjectKind, stage: Stage) -> dict[str, Any]:
    subject_id, deadline, details = REMINDER_DETAILS[kind]
    early = datetime(2020, 6, 1, tzinfo=UTC)
    plan = plan_reminders(kind, subject_id, REGION, [UNIT], deadline, early, details=details)
    reminder = next(r for r in plan if r.stage is stage and r.offset_days in (3, -1))
    return reminder_event(reminder, reminder.due_at)


def example_context(template_name: str, language: str = "id") -> dict[str, Any]:
    """The context `template_name` renders with for its example event, as the worker would
    build it. Raises `NotFound` for a template without an example."""
    if template_name == DIGEST_TEMPLATE:
        return _digest_context(language)
    event = example_event(template_name)
    if template_name == DIRECT_TEMPLATE:
        notices = request_notices(event, parse_request(event), EXAMPLE_DIRECTORY)
        return notice_context(notices[0], EXAMPLE_DIRECTORY)
    notices = [
        n
        for n in notices_for_event(event, default_rules(), EXAMPLE_DIRECTORY)
        if n.template == template_name
    ]
    return notice_context(notices[0], EXAMPLE_DIRECTORY)


def _digest_context(language: str) -> dict[str, Any]:
    from notification.mail import digest_context  # mail imports nothing from here

    notices = [
        n
        for name in ("submission_verified", "recommendation_issued", "quota_shortfall")
        for n in notices_for_event(example_event(name), default_rules(), EXAMPLE_DIRECTORY)
        if n.recipient.email == "dinkes@batangkab.go.id"
    ]
    at = datetime(2020, 7, 2, 0, 0, tzinfo=UTC)
    digest = build_digest("dinkes@batangkab.go.id", at, notices)
    assert digest is not None
    contexts = [notice_context(n, EXAMPLE_DIRECTORY) for n in digest.notices]
    return digest_context(digest, contexts, language)
