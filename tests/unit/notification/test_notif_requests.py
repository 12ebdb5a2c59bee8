"""Direct requests on `smartcity.notification` (in-memory fakes; the consumer's pure `process`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from notification.domain.directory import Person
from notification.domain.preferences import Preference
from notification.handlers import envelope_of, on_request
from notification.requesting import REQUEST_TYPE, notify_request
from smartcity_shared.consumer import Event, Outcome, process
from smartcity_shared.errors import PermanentError, ValidationProblem
from smartcity_shared.events import encode, new_event, validate
from tests.unit.notification.notif_fakes import BAPPEDA, DINKES, REGION, fake_context

NOW = datetime(2020, 7, 1, 2, 0, tzinfo=UTC)


def request(**data: Any) -> dict[str, Any]:
    body = {"request_id": "req-1", "region": REGION, "category": "review", **data}
    body.setdefault("recipients", {"units": [DINKES]})
    if "template" not in data:
        body.setdefault("subject", "Jadwal kunjungan lapangan")
        body.setdefault("text", "Asesor datang 14 Juli.\n\nSiapkan bukti asli.")
    return new_event(REQUEST_TYPE, "evaluation", "req-1", body, region=REGION)


def loaded(envelope: dict[str, Any]) -> Event:
    data, id, at = validate(envelope), envelope["id"], envelope["time"]
    return Event(id, REQUEST_TYPE, "req-1", REGION, data, "", at, envelope)


def send(ctx: Any, envelope: dict[str, Any], now: datetime = NOW) -> Any:
    return notify_request(ctx, envelope_of(loaded(envelope)), now)


def recipients(ctx: Any) -> set[str]:
    return {key[1] for key in ctx.deliveries.docs}


def test_a_plain_request_mails_the_unit_contacts_once_even_when_redelivered() -> None:
    ctx, envelope = fake_context(), request()

    first = send(ctx, envelope)
    again = send(ctx, envelope)

    assert (first.notices, first.created, again.created) == (1, 1, 0)
    [(key, doc)] = ctx.deliveries.docs.items()
    assert key == (envelope["id"], "dinkes@batangkab.go.id", "direct_message")
    assert (doc["category"], doc["unit"], doc["event_type"]) == ("review", DINKES, REQUEST_TYPE)
    mail = ctx.deliveries.mails[key]
    assert mail["subject"] == "Jadwal kunjungan lapangan"
    assert mail["text"].startswith("Yth. Dinas Kesehatan,\n\nAsesor datang 14 Juli.")
    assert "<p>Asesor datang 14 Juli.</p>" in mail["html"]
    assert "<p>Siapkan bukti asli.</p>" in mail["html"]


def test_people_units_and_roles_of_the_region_only_each_address_once() -> None:
    ctx = fake_context()
    ctx.directory.put(Person("p2", "Asesor", "asesor@kemendagri.go.id", "assessor", "*"))
    ctx.directory.put(Person("p3", "Lain", "lain@kendalkab.go.id", "admin", "kab-kendal"))
    ctx.directory.put(Person("p4", "Kontak", "dinkes@batangkab.go.id", "opd", REGION, "dinkes"))
    named = {"people": ["p2", "p3", "p4", "nobody"], "units": ["dinkes", BAPPEDA],
             "roles": ["admin"]}  # fmt: skip

    result = send(ctx, request(recipients=named))

    assert recipients(ctx) == {
        "asesor@kemendagri.go.id", "dinkes@batangkab.go.id", "bappeda@batangkab.go.id",
        "admin@batangkab.go.id", "diskominfo@batangkab.go.id",
    }  # fmt: skip
    assert result.notices == 5


def test_a_named_template_renders_with_the_request_data() -> None:
    ctx = fake_context()
    data = {"cycle_id": "c-2020", "cycle_name": "Evaluasi 2020", "unit_name": "Dinas Kesehatan"}

    send(ctx, request(template="submission_verified", data=data, urgent=True))

    [(key, doc)] = ctx.deliveries.docs.items()
    assert key[2] == "submission_verified" and doc["urgent"] is True
    mail = ctx.deliveries.mails[key]
    assert mail["subject"] == "Isian Dinas Kesehatan telah diverifikasi: Evaluasi 2020"
    assert "/evaluation/cycles/c-2020/submissions/dinkes" in mail["text"]


def test_send_at_holds_the_delivery_until_then_and_the_digest_after_it() -> None:
    ctx = fake_context()
    later = NOW + timedelta(days=2)
    ctx.preferences.stored["bappeda@batangkab.go.id"] = Preference(
        "bappeda@batangkab.go.id", digest_hour=7
    )
    named = {"units": [DINKES, BAPPEDA]}

    send(ctx, request(recipients=named, send_at=later))

    [doc] = ctx.deliveries.docs.values()
    assert doc["next_attempt_at"] == later and doc["status"] == "pending"
    [held] = ctx.digests.held
    assert held["email"] == "bappeda@batangkab.go.id" and held["digest_at"] > later


def test_a_past_send_at_sends_now() -> None:
    ctx = fake_context()
    send(ctx, request(send_at=NOW - timedelta(hours=1)))
    [doc] = ctx.deliveries.docs.values()
    assert doc["next_attempt_at"] == NOW


class Processed:
    def __init__(self) -> None:
        self.ids: set[str] = set()

    def seen(self, event_id: str) -> bool:
        return event_id in self.ids

    def remember(self, event_id: str, type: str) -> None:
        self.ids.add(event_id)


def consume(ctx: Any, raw: bytes) -> Outcome:
    return process(raw, {REQUEST_TYPE: lambda e: on_request(ctx, e, NOW)}, Processed())


def raw_request(**data: Any) -> bytes:
    envelope = request()
    envelope["data"] = {**envelope["data"], **data}
    return json.dumps(envelope).encode()


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"recipients": {}}, "person, unit or role"),
        ({"recipients": {"roles": ["mayor"]}}, "roles"),
        ({"template": "submission_verified"}, "not both"),
        ({"subject": None}, "subject and a text"),
        ({"category": "gossip"}, "category"),
        ({"data": {"$where": 1}}, "key '$where' is not allowed"),
        ({"data": {"a": {"b.c": 1}}}, "data.a: key 'b.c' is not allowed"),
        ({"send_at": "2020-07-02T08:00:00"}, "send_at"),
    ],
)
def test_an_invalid_request_is_dead_lettered_and_stores_nothing(change, detail) -> None:  # type: ignore[no-untyped-def]
    ctx = fake_context()

    outcome = consume(ctx, raw_request(**change))

    assert outcome.status == "dead-letter" and detail in outcome.detail
    assert ctx.deliveries.docs == {}


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"template": "no_such_template", "subject": None, "text": None}, ValidationProblem),
        ({"template": "digest", "subject": None, "text": None}, ValidationProblem),
        ({"template": "submission_verified", "subject": None, "text": None}, PermanentError),
        ({"recipients": {"people": ["nobody"]}}, PermanentError),
    ],
)
def test_a_request_that_can_never_be_sent_is_rejected_whole(change, error) -> None:  # type: ignore[no-untyped-def]
    ctx = fake_context()
    envelope = request()
    envelope["data"] = {**envelope["data"], **change}

    with pytest.raises(error):
        send(ctx, envelope)
    assert ctx.deliveries.docs == {}
    assert consume(ctx, encode(envelope)).status == "dead-letter"
