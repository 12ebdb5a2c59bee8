"""One small client per API, as the signed-in user, turning problem+json into form errors."""

from .base import ApiClient, ApiProblem, FieldErrors, SignInAgain
from .services import Clients, EvaluationClient, InnovationClient, NotificationClient

__all__ = [
    "ApiClient",
    "ApiProblem",
    "Clients",
    "EvaluationClient",
    "FieldErrors",
    "InnovationClient",
    "NotificationClient",
    "SignInAgain",
]
