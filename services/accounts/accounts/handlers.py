"""Event handlers: {event type: function}. Only the directory's people matter here."""

from __future__ import annotations

from collections.abc import Mapping

from smartcity_shared.consumer import Event, Handler

from .domain import Person
from .provider import AccountProvider
from .provisioning import provision

PERSON_UPSERTED = "smartcity.directory.person.upserted"


def handlers(provider: AccountProvider) -> Mapping[str, Handler]:
    def on_person(event: Event) -> None:
        provision(Person.from_event(event.data), provider)

    return {PERSON_UPSERTED: on_person}
