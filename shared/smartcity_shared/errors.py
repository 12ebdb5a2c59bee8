"""Framework-free errors that domain code raises and the HTTP layer turns into problem+json.

Nothing here imports Flask, pymongo or Kafka, so domain modules may raise these directly.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error with a defined HTTP meaning."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title


class ValidationProblem(DomainError):
    """Input that breaks a rule; `errors` maps a field path (dotted) to messages. 422."""

    status = 422
    title = "Unprocessable content"

    def __init__(self, errors: dict[str, list[str]], detail: str = "") -> None:
        super().__init__(detail or "The input breaks one or more rules; see errors.")
        self.errors = errors


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class Unauthorized(DomainError):
    status = 401
    title = "Unauthorized"


class Conflict(DomainError):
    """A state change that is not allowed from the current state (or a duplicate). 409."""

    status = 409
    title = "Conflict"


class PreconditionFailed(DomainError):
    """A stale write: the If-Match revision is not the stored one. 412."""

    status = 412
    title = "Precondition failed"


class PreconditionRequired(DomainError):
    status = 428
    title = "Precondition required"


class Unavailable(DomainError):
    """A dependency (store, broker) is down; the request may be retried. 503."""

    status = 503
    title = "Service unavailable"


class PermanentError(Exception):
    """Raised by an event handler for a message that can never succeed (goes to the DLQ)."""


class TransientError(Exception):
    """Raised by an event handler for a failure worth retrying (store down, SMTP 4xx)."""
