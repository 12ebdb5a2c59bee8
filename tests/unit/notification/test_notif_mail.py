"""Rendering in both languages, message building and SMTP error handling (no network)."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest

from notification.domain.delivery import FailureClass
from notification.examples import example_context, example_event
from notification.mail import (
    MailRenderer,
    RenderedMail,
    RenderError,
    SmtpPermanentError,
    SmtpSender,
    SmtpTransientError,
    build_message,
    render,
    stable_message_id,
    template_names,
)
from notification.smtp import smtp_failure
from smartcity_shared.errors import NotFound, PermanentError, TransientError, ValidationProblem

ALL = sorted(template_names())


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("name", ALL)
def test_every_template_renders_its_example_in_both_languages(name, language):
    mail = render(name, language, example_context(name, language))

    assert mail.subject and "\n" not in mail.subject
    assert "http://127.0.0.1:8000/" in mail.text
    assert mail.html.startswith("<!DOCTYPE html>")
    assert f'<html lang="{language}">' in mail.html


def test_every_default_template_has_an_example_event():
    for name in set(ALL) - {"digest"}:
        assert example_event(name)["type"].startswith("smartcity.")


def test_indonesian_and_english_differ_and_format_dates_their_way():
    context = example_context("submission_deadline")
    indonesian = render("submission_deadline", "id", context)
    english = render("submission_deadline", "en", context)

    assert indonesian.subject.startswith("Pengingat: ")
    assert english.subject.startswith("Reminder: ")
    assert "7 Juli 2020" in indonesian.text and "dalam 3 hari" in indonesian.text
    assert "7 July 2020" in english.text and "in 3 days" in english.text
    assert indonesian.text.startswith("Yth. Dinas Kesehatan,")


def test_indonesian_numbers_use_a_decimal_comma():
    context = example_context("scorecard_published")

    assert "3,48 (Baik)" in render("scorecard_published", "id", context).text
    assert "+0,25" in render("scorecard_published", "id", context).text
    assert "3.48 (Baik)" in render("scorecard_published", "en", context).text


@pytest.mark.parametrize("language", ["id", "en"])
def test_html_is_autoescaped_and_text_is_not(language):
    context = example_context("submission_returned", language)
    context["unit"]["name"] = "Dinas <script>alert(1)</script>"
    context["data"]["reason"] = 'Lihat "bukti" & <b>foto</b>'

    mail = render("submission_returned", language, context)

    assert "<script>" not in mail.html
    assert "Dinas &lt;script&gt;alert(1)&lt;/script&gt;" in mail.html
    assert "&lt;b&gt;foto&lt;/b&gt;" in mail.html and "&amp;" in mail.html
    assert "Dinas <script>alert(1)</script>" in mail.text
    assert "Dinas <script>alert(1)</script>" in mail.subject


def test_link_segments_are_encoded_and_use_the_portal_base_url():
    context = example_context("submission_returned")
    context["data"]["cycle_id"] = "../admin?x=1"

    mail = MailRenderer("https://portal.batangkab.go.id/").render(
        "submission_returned", "en", context
    )

    link = "https://portal.batangkab.go.id/evaluation/cycles/..%2Fadmin%3Fx%3D1/submissions/dinkes"
    assert link in mail.text


#: What each template links to: the service, then the path its API serves (units by code).
LINKS = {
    "submission_deadline": "/evaluation/cycles/cycle-2020/submissions/dinkes",
    "submission_overdue": "/evaluation/cycles/cycle-2020/submissions/dinkes",
    "submission_returned": "/evaluation/cycles/kab-batang%3A2020%3Asmart-city-6-pillars"
    "/submissions/dinkes",
    "scorecard_published": "/evaluation/cycles/kab-batang%3A2020%3Asmart-city-6-pillars/scorecard",
    "recommendation_due": "/evaluation/regions/kab-batang/recommendations/rec-17",
    "risk_raised": "/evaluation/regions/kab-batang/risks/risk-5",
    "milestone_due": "/innovation/regions/kab-batang/innovations/inv-9",
    "quota_deadline": "/innovation/regions/kab-batang/quota/2020/compliance",
}


@pytest.mark.parametrize(("name", "path"), sorted(LINKS.items()))
def test_links_follow_the_api_paths_with_the_unit_code_not_its_id(name: str, path: str) -> None:
    for language in ("id", "en"):
        mail = render(name, language, example_context(name, language))

        assert f"http://127.0.0.1:8000{path}" in mail.text
        assert f'href="http://127.0.0.1:8000{path}"' in mail.html
        assert "kab-batang%3Adinkes" not in mail.text + mail.html
        assert "/notification/preferences/" in mail.text  # + the recipient's address


def test_a_subject_never_spans_lines():
    context = example_context("submission_returned")
    context["unit"]["name"] = "Dinas\r\nBcc: victim@example.com"

    assert "\n" not in render("submission_returned", "id", context).subject


def test_missing_context_is_a_render_error_both_422_and_permanent():
    context = example_context("submission_returned")
    del context["data"]["cycle_id"]

    with pytest.raises(RenderError) as caught:
        render("submission_returned", "id", context)
    assert isinstance(caught.value, ValidationProblem)
    assert isinstance(caught.value, PermanentError)


def test_unknown_template_or_language():
    with pytest.raises(NotFound):
        render("nope", "id", {})
    with pytest.raises(NotFound):
        render("../id/_base", "id", {})
    with pytest.raises(ValidationProblem):
        render("digest", "fr", example_context("digest"))


def test_digest_lists_each_notice_by_its_subject():
    mail = render("digest", "id", example_context("digest", "id"))

    assert mail.subject == "Ringkasan notifikasi Smart City 2 Juli 2020: 3 pemberitahuan"
    assert "- Isian Dinas Kesehatan telah diverifikasi: Evaluasi Smart City 2020" in mail.text
    assert "Kuota inovasi" in mail.html


RENDERED = RenderedMail("Pengingat: isian", "Teks biasa\n", "<p>HTML</p>")


def test_build_message_is_multipart_alternative_with_ids():
    message = build_message(
        RENDERED,
        "Smart City Batang <noreply@batangkab.go.id>",
        "dinkes@batangkab.go.id",
        event_id="evt-1",
        headers={"X-SmartCity-Template": "submission_deadline"},
        date=datetime(2020, 7, 1, tzinfo=UTC),
    )

    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    assert message["X-SmartCity-Event-Id"] == "evt-1"
    assert message["X-SmartCity-Template"] == "submission_deadline"
    assert message["Message-ID"].endswith("@batangkab.go.id>")
    assert message["Subject"] == "Pengingat: isian"
    assert message["Date"] == "Wed, 01 Jul 2020 00:00:00 +0000"


def test_stable_message_ids_follow_the_delivery_key():
    first = stable_message_id("evt-1", "A@b.id", "digest", "batangkab.go.id")

    assert first == stable_message_id("evt-1", "a@b.id", "digest", "batangkab.go.id")
    assert first != stable_message_id("evt-2", "a@b.id", "digest", "batangkab.go.id")
    message = build_message(RENDERED, "a@b.id", "c@d.id", event_id="evt-1", message_id=first)
    assert message["Message-ID"] == first


def test_a_bad_recipient_address_is_permanent():
    with pytest.raises(SmtpPermanentError) as caught:
        build_message(RENDERED, "a@b.id", "not an address", event_id="e")
    assert caught.value.failure.kind == "InvalidAddress"


def test_header_injection_is_refused():
    with pytest.raises(ValueError):
        build_message(RENDERED, "a@b.id", "c@d.id", event_id="e", headers={"X-A": "1\r\nBcc: x"})


@pytest.mark.parametrize(
    ("error", "code", "failure_class"),
    [
        (smtplib.SMTPRecipientsRefused({"x@y.id": (550, b"5.1.1 No such user")}), 550, "permanent"),
        (smtplib.SMTPRecipientsRefused({"x@y.id": (450, b"Mailbox busy")}), 450, "transient"),
        (smtplib.SMTPSenderRefused(553, b"Sender rejected", "a@b.id"), 553, "permanent"),
        (smtplib.SMTPDataError(451, b"Local error"), 451, "transient"),
        (smtplib.SMTPDataError(554, b"Rejected as spam"), 554, "permanent"),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), None, "transient"),
        (ConnectionRefusedError(111, "Connection refused"), None, "transient"),
        (TimeoutError("timed out"), None, "transient"),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), 535, "transient"),
    ],
)
def test_smtplib_errors_become_plain_failures(error, code, failure_class):
    failure = smtp_failure(error)

    assert failure.code == code
    assert failure.kind == type(error).__name__
    assert failure.failure_class is FailureClass(failure_class)


class FakeSMTP:
    """Stands in for smtplib.SMTP: records calls, replies from a script, never connects."""

    instances: list[FakeSMTP] = []

    def __init__(self, host, port, timeout, *, refuse=False, replies=None):
        if refuse:
            raise ConnectionRefusedError(111, "Connection refused")
        self.calls: list[tuple] = []
        self.replies = replies or {}
        self.extensions = {"starttls", "smtputf8"}
        FakeSMTP.instances.append(self)

    def _reply(self, name, default):
        reply = self.replies.get(name, default)
        if isinstance(reply, Exception):
            raise reply
        return reply

    def ehlo(self):
        self.calls.append(("ehlo",))

    def has_extn(self, name):
        return name in self.extensions

    def starttls(self, context=None):
        self.calls.append(("starttls",))

    def login(self, user, password):
        self.calls.append(("login", user))
        self._reply("login", None)

    def mail(self, sender, options=()):
        self.calls.append(("mail", sender))
        return self._reply("mail", (250, b"OK"))

    def rcpt(self, recipient):
        self.calls.append(("rcpt", recipient))
        return self._reply("rcpt", (250, b"OK"))

    def data(self, payload):
        self.calls.append(("data", len(payload)))
        return self._reply("data", (250, b"2.0.0 Ok: queued as 4F2A"))

    def rset(self):
        self.calls.append(("rset",))

    def quit(self):
        self.calls.append(("quit",))

    def close(self):
        self.calls.append(("close",))


def sender(**fake_options) -> SmtpSender:
    FakeSMTP.instances = []

    def factory(host, port, timeout):
        return FakeSMTP(host, port, timeout, **fake_options)

    return SmtpSender("smtp.test", 587, "user", "pw", starttls=True, connection_factory=factory)


def message() -> EmailMessage:
    return build_message(
        RENDERED, "noreply@batangkab.go.id", "dinkes@batangkab.go.id", event_id="e"
    )


def test_send_returns_the_servers_reply_and_keeps_the_connection():
    with sender() as smtp:
        first = smtp.send(message())
        smtp.send(message())

    assert (first.code, first.message) == (250, "2.0.0 Ok: queued as 4F2A")
    [conn] = FakeSMTP.instances
    assert [c[0] for c in conn.calls[:3]] == ["ehlo", "starttls", "ehlo"]
    assert ("login", "user") in conn.calls
    assert [c[0] for c in conn.calls].count("data") == 2
    assert conn.calls[-1] == ("quit",)


def test_connection_refused_is_transient():
    with pytest.raises(SmtpTransientError) as caught:
        sender(refuse=True).send(message())

    assert isinstance(caught.value, TransientError)
    assert caught.value.failure.kind == "ConnectionRefusedError"


def test_a_refused_recipient_is_permanent_with_the_smtp_reply():
    smtp = sender(replies={"rcpt": (550, b"5.1.1 No such user")})

    with pytest.raises(SmtpPermanentError) as caught:
        smtp.send(message())

    assert isinstance(caught.value, PermanentError)
    assert (caught.value.code, caught.value.smtp_message) == (550, "5.1.1 No such user")


def test_a_4xx_on_data_is_transient_and_drops_the_connection():
    smtp = sender(replies={"data": (451, b"4.3.0 Try again later")})

    with pytest.raises(SmtpTransientError) as caught:
        smtp.send(message())

    assert caught.value.code == 451
    assert ("close",) in FakeSMTP.instances[0].calls


def test_bad_credentials_are_transient():
    smtp = sender(replies={"login": smtplib.SMTPAuthenticationError(535, b"bad")})

    with pytest.raises(SmtpTransientError):
        smtp.send(message())


def test_a_kept_connection_closed_by_the_server_is_replaced_once():
    smtp = sender()
    smtp.send(message())
    FakeSMTP.instances[0].replies["mail"] = smtplib.SMTPServerDisconnected("closed")

    response = smtp.send(message())

    assert response.code == 250
    assert len(FakeSMTP.instances) == 2
