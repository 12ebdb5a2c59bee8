"""Recipient rules as data, recipient resolution, and notices per event."""

from __future__ import annotations

import pytest

from notification.domain.default_rules import DEFAULT_RULES, default_rules
from notification.domain.directory import (
    InMemoryDirectory,
    Person,
    Region,
    Unit,
    person_from_data,
    unit_from_data,
)
from notification.domain.notices import notice_context, notices_for_event
from notification.domain.rules import (
    Audience,
    Category,
    RecipientRule,
    resolve_recipients,
    rule_from_dict,
    rule_to_dict,
)
from notification.mail import template_names
from smartcity_shared.errors import ValidationProblem

REGION = "kab-batang"
DINKES = "kab-batang:dinkes"
DIRECTORY = InMemoryDirectory.of(
    regions=[
        Region(REGION, "Kabupaten Batang", admin_emails=("diskominfo@batangkab.go.id",)),
        Region("kab-pekalongan", "Kabupaten Pekalongan"),
    ],
    units=[
        Unit(DINKES, REGION, "Dinas Kesehatan", ("dinkes@batangkab.go.id", "Kadinkes@X.id")),
        Unit("kab-batang:old", REGION, "Dinas Lama", ("old@batangkab.go.id",), active=False),
    ],
    people=[
        Person("p1", "Admin Batang", "admin@batangkab.go.id", "admin", REGION),
        Person("p2", "Admin Pekalongan", "admin@pekalongan.go.id", "admin", "kab-pekalongan"),
        Person("p3", "Asesor Nasional", "asesor@kominfo.go.id", "assessor", "*"),
        Person("p4", "Asesor Batang", "asesor@batangkab.go.id", "assessor", REGION),
        Person("p5", "Kepala Dinkes", "kadinkes@x.id", "opd", REGION, DINKES),
        Person("p6", "Mantan Admin", "old-admin@batangkab.go.id", "admin", REGION, active=False),
    ],
)


def event(type_: str = "smartcity.submission.returned", **data: object) -> dict[str, object]:
    return {"id": "evt-1", "type": type_, "region": REGION, "data": {"unit": DINKES, **data}}


def rule(*audiences: str, **extra: object) -> RecipientRule:
    raw = {
        "id": "r",
        "event_type": "smartcity.submission.*",
        "audiences": list(audiences),
        "template": "submission_returned",
        "category": "review",
        **extra,
    }
    return rule_from_dict(raw)


def emails(recipients) -> list[str]:
    return [r.email for r in recipients]


def test_unit_contacts_are_the_units_addresses_named_after_known_people():
    found = resolve_recipients(rule("unit_contacts"), event(), DIRECTORY)

    assert emails(found) == ["dinkes@batangkab.go.id", "kadinkes@x.id"]
    assert [r.name for r in found] == ["Dinas Kesehatan", "Kepala Dinkes"]
    assert found[1].person_id == "p5"


def test_region_admins_are_that_regions_active_admins_and_admin_addresses():
    found = resolve_recipients(rule("region_admins"), event(), DIRECTORY)

    assert emails(found) == ["admin@batangkab.go.id", "diskominfo@batangkab.go.id"]


def test_assessors_include_those_for_every_region():
    found = resolve_recipients(rule("assessors"), event(), DIRECTORY)

    assert sorted(emails(found)) == ["asesor@batangkab.go.id", "asesor@kominfo.go.id"]


def test_explicit_addresses_and_deduplication_across_audiences():
    explicit = rule("explicit", "unit_contacts", explicit=["Dinkes@BatangKab.go.id", "x@y.id"])
    found = resolve_recipients(explicit, event(), DIRECTORY)

    assert emails(found) == ["dinkes@batangkab.go.id", "x@y.id", "kadinkes@x.id"]
    assert found[0].audience is Audience.EXPLICIT


def test_an_inactive_or_unknown_unit_gets_nothing():
    assert resolve_recipients(rule("unit_contacts"), event(unit="kab-batang:old"), DIRECTORY) == []
    assert resolve_recipients(rule("unit_contacts"), event(unit="nope"), DIRECTORY) == []


def test_patterns_and_conditions_decide_whether_a_rule_matches():
    high = rule("unit_contacts", conditions=[{"path": "data.level", "in": ["high", "extreme"]}])

    assert high.matches(event("smartcity.submission.returned", level="extreme"))
    assert not high.matches(event("smartcity.submission.returned", level="medium"))
    assert not high.matches(event("smartcity.scorecard.published", level="high"))


def test_every_default_rule_is_valid_and_has_a_template():
    rules = default_rules()

    assert len(rules) == len(DEFAULT_RULES)
    assert {r.template for r in rules} <= template_names()
    assert len({r.id for r in rules}) == len(rules)


def test_default_rules_cover_the_promised_event_types():
    enabled = {r.event_type for r in default_rules() if r.enabled}

    assert {
        "smartcity.reminder.submission.due",
        "smartcity.reminder.submission.overdue",
        "smartcity.submission.returned",
        "smartcity.submission.verified",
        "smartcity.submission.finalized",
        "smartcity.scorecard.published",
        "smartcity.recommendation.issued",
        "smartcity.reminder.recommendation.due",
        "smartcity.reminder.recommendation.overdue",
        "smartcity.quota.shortfall_detected",
        "smartcity.reminder.milestone.due",
        "smartcity.reminder.milestone.overdue",
        "smartcity.risk.raised",
    } <= enabled


def test_deadline_and_overdue_rules_are_urgent():
    for r in default_rules():
        if r.category in (Category.DEADLINE, Category.OVERDUE):
            assert r.urgent, r.id


def test_rules_round_trip_through_documents_without_dotted_keys():
    for r in default_rules():
        document = rule_to_dict(r)
        assert rule_from_dict(document) == r
        assert not any("." in key or key.startswith("$") for key in document)


def test_invalid_rules_list_every_broken_field():
    with pytest.raises(ValidationProblem) as caught:
        rule_from_dict(
            {
                "id": "Bad Id",
                "event_type": "",
                "audiences": ["unit_contacts", "everyone"],
                "template": "nope",
                "category": "gossip",
                "urgent": "yes",
                "explicit": ["not-an-address"],
                "conditions": [{"path": "$where", "in": []}],
                "extra": 1,
            },
            known_templates=template_names(),
        )

    assert set(caught.value.errors) == {
        "id",
        "event_type",
        "audiences.1",
        "template",
        "category",
        "urgent",
        "explicit.0",
        "conditions.0.path",
        "extra",
    }


def test_the_explicit_audience_needs_addresses():
    with pytest.raises(ValidationProblem) as caught:
        rule("explicit")
    assert "explicit" in caught.value.errors


def test_high_risks_notify_the_unit_and_admins_and_medium_risks_nobody():
    raised = event("smartcity.risk.raised", rating="high", title="t")
    notices = notices_for_event(raised, default_rules(), DIRECTORY)

    assert {n.recipient.email for n in notices} == {
        "dinkes@batangkab.go.id",
        "kadinkes@x.id",
        "admin@batangkab.go.id",
        "diskominfo@batangkab.go.id",
    }
    assert {(n.template, n.category, n.urgent) for n in notices} == {
        ("risk_raised", Category.RISK, True)
    }
    assert (
        notices_for_event(
            event("smartcity.risk.raised", rating="medium"), default_rules(), DIRECTORY
        )
        == []
    )


def test_one_notice_per_recipient_and_template_even_when_rules_overlap():
    twice = (rule("unit_contacts"), rule("unit_contacts", "region_admins", id="r2"))
    notices = notices_for_event(event(), twice, DIRECTORY)

    assert len(notices) == 4
    assert {n.rule_id for n in notices if n.recipient.email == "kadinkes@x.id"} == {"r"}
    assert len({n.delivery_key for n in notices}) == 4


def test_an_event_without_id_or_type_makes_no_notice():
    assert (
        notices_for_event({"type": "smartcity.submission.returned"}, default_rules(), DIRECTORY)
        == []
    )


def test_notice_context_names_region_and_unit_and_keeps_the_data():
    [notice, *_] = notices_for_event(event(cycle_name="Evaluasi 2020"), default_rules(), DIRECTORY)
    context = notice_context(notice, DIRECTORY)

    assert context["region"] == {"id": REGION, "name": "Kabupaten Batang"}
    assert context["unit"] == {"id": DINKES, "code": "dinkes", "name": "Dinas Kesehatan"}
    assert context["data"]["cycle_name"] == "Evaluasi 2020"
    assert context["timezone"] == "Asia/Jakarta"


def test_directory_entries_build_from_directory_event_data():
    unit = unit_from_data(
        {"unit_id": DINKES, "region": REGION, "code": "dinkes", "name": "Dinas Kesehatan",
         "contact_emails": ["a@b.id"], "active": True}
    )  # fmt: skip
    person = person_from_data(
        {"person_id": "p9", "region": REGION, "unit": "", "name": "N", "email": "n@b.id",
         "role": "admin", "language": "en", "active": False}
    )  # fmt: skip

    assert unit == Unit(DINKES, REGION, "Dinas Kesehatan", ("a@b.id",))
    assert person.unit is None and person.language == "en" and not person.active


def test_a_unit_contact_that_is_another_regions_person_gets_no_mail_of_this_region():
    typed = InMemoryDirectory.of(
        regions=[Region(REGION, "Kabupaten Batang", admin_emails=("asesor@kominfo.go.id",))],
        units=[Unit(DINKES, REGION, "Dinkes", ("admin@pekalongan.go.id", "own@batangkab.go.id"))],
        people=[
            Person("p2", "Admin Pekalongan", "admin@pekalongan.go.id", "admin", "kab-pekalongan"),
            Person("p3", "Asesor Nasional", "asesor@kominfo.go.id", "assessor", "*"),
        ],
    )
    found = resolve_recipients(rule("unit_contacts", "region_admins"), event(), typed)
    assert emails(found) == ["own@batangkab.go.id"]
