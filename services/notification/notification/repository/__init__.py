"""pymongo behind small repositories: deliveries, reminders, rules, preferences, digests."""

from smartcity_shared.store import IndexSpec

from . import deliveries, digests, reminders, rules
from .deliveries import DeliveryRepository
from .digests import DigestRepository
from .preferences import PreferenceRepository
from .reminders import ReminderRepository
from .rules import RuleRepository

INDEXES: list[IndexSpec] = [
    *deliveries.INDEXES,
    *reminders.INDEXES,
    *rules.INDEXES,
    *digests.INDEXES,
]

__all__ = [
    "INDEXES",
    "DeliveryRepository",
    "DigestRepository",
    "PreferenceRepository",
    "ReminderRepository",
    "RuleRepository",
]
