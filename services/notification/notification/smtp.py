"""SMTP sending with failures turned into the shared transient/permanent errors.

`SmtpSender` keeps one connection open across `send` calls (reconnecting when the server
dropped it) and is not thread-safe: use one per worker thread. `send` blocks up to `timeout`
seconds per SMTP step. Re-exported by `notification.mail`.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import getaddresses, parseaddr
from typing import Any, NoReturn

from notification.domain.delivery import FailureClass, SmtpFailure
from smartcity_shared.errors import PermanentError, TransientError


class _FailureMixin:
    failure: SmtpFailure

    @property
    def code(self) -> int | None:
        return self.failure.code

    @property
    def smtp_message(self) -> str:
        return self.failure.message


class SmtpTransientError(_FailureMixin, TransientError):
    """Worth retrying later (4xx, connection refused, timeout, server or settings trouble)."""

    def __init__(self, failure: SmtpFailure) -> None:
        super().__init__(failure.describe())
        self.failure = failure


class SmtpPermanentError(_FailureMixin, PermanentError):
    """Will never succeed as it is (5xx for this message, bad address): mark failed."""

    def __init__(self, failure: SmtpFailure) -> None:
        super().__init__(failure.describe())
        self.failure = failure


@dataclass(frozen=True)
class SmtpResponse:
    """The server's reply to the message data, e.g. `250 2.0.0 Ok: queued as 4F2A`."""

    code: int
    message: str


def smtp_failure(exc: BaseException, phase: str = "message") -> SmtpFailure:
    """Plain values (code, text, exception class name) from an smtplib or socket error."""
    kind = type(exc).__name__
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        refused_code, reply = next(iter(exc.recipients.values()))
        return SmtpFailure(refused_code, _text(reply), kind, phase)
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code if exc.smtp_code >= 0 else None
        return SmtpFailure(code, _text(exc.smtp_error), kind, phase)
    return SmtpFailure(None, str(exc) or kind, kind, phase)


def raise_for(failure: SmtpFailure) -> NoReturn:
    """Raise the shared error class that `failure` classifies as."""
    if failure.failure_class is FailureClass.PERMANENT:
        raise SmtpPermanentError(failure)
    raise SmtpTransientError(failure)


class _StaleConnectionError(Exception):
    """The server closed the connection before MAIL FROM was accepted: nothing was sent."""


def _envelope(message: EmailMessage) -> tuple[str, list[str], bytes]:
    sender = parseaddr(message.get("From", ""))[1]
    fields = [*message.get_all("To", []), *message.get_all("Cc", []), *message.get_all("Bcc", [])]
    recipients = [address for _, address in getaddresses(fields) if address]
    del message["Bcc"]
    return sender, recipients, message.as_bytes(policy=SMTP_POLICY)


def _text(reply: Any) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


class SmtpSender:
    """Sends messages through one SMTP server with optional STARTTLS and login."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 1025,
        username: str = "",
        password: str = "",
        starttls: bool = False,
        timeout: float = 10.0,
        *,
        connection_factory: Callable[..., smtplib.SMTP] = smtplib.SMTP,
    ) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.username, self.password, self.starttls = username, password, starttls
        self._factory = connection_factory
        self._conn: smtplib.SMTP | None = None

    @classmethod
    def from_settings(cls, settings: Any) -> SmtpSender:
        """From the shared `Settings` (`smtp_host`, `smtp_port`, `smtp_username`, ...)."""
        return cls(
            host=settings.smtp_host,
            port=int(settings.smtp_port),
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=bool(settings.smtp_starttls),
            timeout=float(getattr(settings, "smtp_timeout", 10.0)),
        )

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Quit the open connection, if any; never raises."""
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.quit()
            except (smtplib.SMTPException, OSError):
                conn.close()

    def send(self, message: EmailMessage) -> SmtpResponse:
        """Send `message` to its To/Cc/Bcc addresses (Bcc is not transmitted).

        Returns the server's reply to the data. Raises `SmtpTransientError` or
        `SmtpPermanentError`; after any failure the connection is dropped. A kept connection
        the server closed while idle is replaced once, before anything was sent.
        """
        try:
            sender, recipients, payload = _envelope(message)
        except (UnicodeError, ValueError) as exc:
            raise_for(smtp_failure(exc))
        for attempt in (1, 2):
            reused = self._conn is not None
            try:
                return self._transmit(sender, recipients, payload)
            except _StaleConnectionError:
                self._drop()
                if reused and attempt == 1:
                    continue
                raise_for(
                    SmtpFailure(None, "server closed the connection", "SMTPServerDisconnected")
                )
            except (SmtpTransientError, SmtpPermanentError):
                self._drop()
                raise
            except (smtplib.SMTPException, OSError, UnicodeError) as exc:
                self._drop()
                raise_for(smtp_failure(exc))
        raise AssertionError("unreachable")

    def _transmit(self, sender: str, recipients: list[str], payload: bytes) -> SmtpResponse:
        conn = self._connection()
        options = []
        if not all(a.isascii() for a in (sender, *recipients)):
            if not conn.has_extn("smtputf8"):
                raise smtplib.SMTPNotSupportedError("server does not accept SMTPUTF8 addresses")
            options = ["SMTPUTF8", "BODY=8BITMIME"]
        try:
            code, reply = conn.mail(sender, options)
        except smtplib.SMTPServerDisconnected:
            raise _StaleConnectionError from None
        if code != 250:
            conn.rset()
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        for recipient in recipients:
            code, reply = conn.rcpt(recipient)
            if code not in (250, 251):
                conn.rset()
                raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
        code, reply = conn.data(payload)
        if code != 250:
            conn.rset()
            raise smtplib.SMTPDataError(code, reply)
        return SmtpResponse(code, _text(reply))

    def _connection(self) -> smtplib.SMTP:
        if self._conn is not None:
            return self._conn
        conn: smtplib.SMTP | None = None
        try:
            conn = self._factory(self.host, self.port, timeout=self.timeout)
            conn.ehlo()
            if self.starttls:
                if not conn.has_extn("starttls"):
                    raise smtplib.SMTPNotSupportedError("server does not offer STARTTLS")
                conn.starttls(context=ssl.create_default_context())
                conn.ehlo()
            if self.username:
                conn.login(self.username, self.password)
        except (smtplib.SMTPException, OSError) as exc:
            if conn is not None:
                conn.close()
            raise SmtpTransientError(smtp_failure(exc, phase="connect")) from exc
        self._conn = conn
        return conn

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.close()
