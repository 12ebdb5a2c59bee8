"""Mail: render a template in a language, build the MIME message, send it over SMTP.

- `render(template_name, language, context)` → `RenderedMail(subject, text, html)`: Jinja2
  templates under `templates/<language>/<name>.txt` (blocks `subject` and `body`, no escaping)
  and `<name>.html` (autoescaped). Unknown variables fail loudly (`RenderError`). Besides the
  caller's context (see `notification.examples`), templates see `language`, `timezone`
  (default Asia/Jakarta), `subject` (HTML only), `t` (the language's `_labels.txt` macros),
  `portal_url(*segments)` and the filters of `notification.formatting`. Links are
  `<PORTAL_BASE_URL>/<service>/<the path that service's API serves>`, e.g.
  `/evaluation/cycles/<cycle id>/submissions/<unit code>` (units by code, as the APIs name
  them, never by their `<region>:<code>` id).
- `build_message(...)` → `email.message.EmailMessage`, multipart/alternative.
- `SmtpSender.send(message)` → `SmtpResponse`; raises `SmtpTransientError` /
  `SmtpPermanentError` (subclasses of the shared `TransientError` / `PermanentError`) carrying
  the `SmtpFailure` (code, message, exception kind) that `domain.delivery` classifies.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, select_autoescape

from notification.domain.delivery import SmtpFailure
from notification.domain.digest import Digest
from notification.domain.notices import Notice
from notification.domain.reminders import zone
from notification.domain.rules import is_email
from notification.formatting import DEFAULT_TIMEZONE, FILTERS
from notification.smtp import SmtpPermanentError, SmtpResponse, SmtpSender, SmtpTransientError
from smartcity_shared.errors import NotFound, PermanentError, ValidationProblem

__all__ = [
    "DEFAULT_PORTAL_BASE_URL",
    "LANGUAGES",
    "MailRenderer",
    "RenderError",
    "RenderedMail",
    "SmtpPermanentError",
    "SmtpResponse",
    "SmtpSender",
    "SmtpTransientError",
    "build_message",
    "digest_context",
    "render",
    "stable_message_id",
    "template_names",
]

DEFAULT_PORTAL_BASE_URL = "http://127.0.0.1:8000"  # the portal
TEMPLATE_DIR = Path(__file__).parent / "templates"
LANGUAGES = ("id", "en")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class RenderError(ValidationProblem, PermanentError):
    """A template could not be rendered with this context (a missing variable, a bad value).

    A `ValidationProblem` (422 for a preview request) and a `PermanentError` (the worker
    dead-letters the notice with this reason instead of retrying)."""


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


@lru_cache(maxsize=1)
def template_names() -> frozenset[str]:
    """Every template name that exists in all languages, as text and as HTML."""
    per_language = [
        {p.stem for p in (TEMPLATE_DIR / lang).glob("*.txt") if not p.stem.startswith("_")}
        & {p.stem for p in (TEMPLATE_DIR / lang).glob("*.html") if not p.stem.startswith("_")}
        for lang in LANGUAGES
    ]
    return frozenset(set.intersection(*per_language))


class MailRenderer:
    """Renders templates with portal links under `portal_base_url`. Thread-safe once built."""

    def __init__(self, portal_base_url: str = DEFAULT_PORTAL_BASE_URL) -> None:
        self.portal_base_url = portal_base_url.rstrip("/")
        self.env = Environment(
            loader=FileSystemLoader(str(TEMPLATE_DIR)),
            autoescape=select_autoescape(
                enabled_extensions=("html",), default_for_string=False, default=False
            ),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(FILTERS)
        self.env.globals["portal_url"] = self.portal_url

    def portal_url(self, *segments: Any, **query: Any) -> str:
        """`<base>/<segment>/...?<query>`, each segment percent-encoded (ids cannot add paths)."""
        path = "/".join(quote(str(segment), safe="") for segment in segments)
        url = f"{self.portal_base_url}/{path}" if path else f"{self.portal_base_url}/"
        return f"{url}?{urlencode(query)}" if query else url

    def render(self, template_name: str, language: str, context: Mapping[str, Any]) -> RenderedMail:
        """Subject (one line), text and HTML of `template_name` in `language`.

        Raises `NotFound` for an unknown template, `ValidationProblem` for an unsupported
        language and `RenderError` when the context lacks something the template needs.
        """
        if not _NAME.match(template_name) or template_name not in template_names():
            raise NotFound(f"There is no mail template {template_name!r}.")
        if language not in LANGUAGES:
            raise ValidationProblem({"language": [f"Must be one of: {', '.join(LANGUAGES)}."]})
        try:
            labels = self.env.get_template(f"{language}/_labels.txt").module
            values = {"timezone": DEFAULT_TIMEZONE, **context, "language": language, "t": labels}
            text_template = self.env.get_template(f"{language}/{template_name}.txt")
            subject_block = text_template.blocks["subject"]
            subject = " ".join("".join(subject_block(text_template.new_context(values))).split())
            text = text_template.render(values)
            values["subject"] = subject
            html = self.env.get_template(f"{language}/{template_name}.html").render(values)
        except TemplateError as exc:
            raise RenderError(
                {"context": [str(exc)]}, f"Template {language}/{template_name}: {exc}"
            ) from exc
        return RenderedMail(subject, text.strip() + "\n", html)


@lru_cache(maxsize=8)
def _renderer(portal_base_url: str) -> MailRenderer:
    return MailRenderer(portal_base_url)


def render(
    template_name: str,
    language: str,
    context: Mapping[str, Any],
    portal_base_url: str = DEFAULT_PORTAL_BASE_URL,
) -> RenderedMail:
    """`MailRenderer(portal_base_url).render(...)` with the renderer cached per base URL."""
    return _renderer(portal_base_url).render(template_name, language, context)


def digest_context(
    digest: Digest,
    contexts: Sequence[Mapping[str, Any]],
    language: str,
    portal_base_url: str = DEFAULT_PORTAL_BASE_URL,
) -> dict[str, Any]:
    """The `digest` template's context: each held notice listed by its own subject.

    `contexts[i]` is the template context of `digest.notices[i]` (`notice_context`). A notice
    whose subject cannot be rendered is listed by its event type rather than losing the digest.
    """
    if len(contexts) != len(digest.notices):
        raise ValueError("one context per digest notice is needed")
    by_key = {n.delivery_key: c for n, c in zip(digest.notices, contexts, strict=True)}
    groups = [
        {
            "category": category.value,
            "items": [_digest_item(n, by_key, language, portal_base_url) for n in notices],
        }
        for category, notices in digest.groups
    ]
    first = contexts[0] if contexts else {}
    timezone = str(first.get("timezone", DEFAULT_TIMEZONE))
    return {
        "recipient": first.get("recipient", {"name": digest.email, "email": digest.email}),
        "region": first.get("region", {"id": None, "name": None}),
        "unit": first.get("unit", {"id": None, "name": None}),
        "event": {"id": digest.id, "type": "digest", "subject": None, "time": digest.scheduled_at},
        "timezone": timezone,
        "data": {
            "date": digest.scheduled_at.astimezone(zone(timezone)).date().isoformat(),
            "count": len(digest.notices),
            "groups": groups,
        },
    }


def _digest_item(
    notice: Notice, contexts: Mapping[Any, Mapping[str, Any]], language: str, portal: str
) -> dict[str, Any]:
    try:
        subject = render(notice.template, language, contexts[notice.delivery_key], portal).subject
    except RenderError:
        subject = notice.event_type
    return {"subject": subject, "time": notice.occurred_at, "event_id": notice.event_id}


def stable_message_id(event_id: str, recipient: str, template: str, domain: str) -> str:
    """A Message-ID derived from the delivery key: a mail sent again after a crash between
    SMTP acceptance and the log update carries the same id, which mail clients de-duplicate."""
    digest = hashlib.sha256(f"{event_id}|{recipient.lower()}|{template}".encode()).hexdigest()
    return f"<{digest[:40]}@{domain}>"


def build_message(
    rendered: RenderedMail,
    mail_from: str,
    to: str,
    *,
    event_id: str,
    headers: Mapping[str, str] | None = None,
    message_id: str | None = None,
    date: datetime | None = None,
) -> EmailMessage:
    """A multipart/alternative message (text, then HTML) with Message-ID, Date and
    `X-SmartCity-Event-Id`. Extra `headers` are added as given.

    Raises `SmtpPermanentError` (kind `InvalidAddress`) when `to` is not one plain address,
    and `ValueError` for a header value with a line break (header injection).
    """
    if not is_email(to):
        failure = SmtpFailure(None, f"not a valid recipient address: {to!r}", "InvalidAddress")
        raise SmtpPermanentError(failure)
    msg = EmailMessage()
    msg["Subject"] = rendered.subject
    msg["From"] = mail_from
    msg["To"] = to
    msg["Date"] = format_datetime(date or datetime.now(UTC))
    msg["Message-ID"] = message_id or make_msgid(domain=_domain(mail_from))
    msg["X-SmartCity-Event-Id"] = event_id
    for name, value in (headers or {}).items():
        if "\n" in value or "\r" in value:
            raise ValueError(f"header {name} contains a line break")
        msg[name] = value
    msg.set_content(rendered.text)
    msg.add_alternative(rendered.html, subtype="html")
    return msg


def _domain(address: str) -> str:
    _, _, domain = address.rpartition("@")
    return domain.strip(" >") or "localhost"
