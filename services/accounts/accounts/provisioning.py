"""The use case: make the provider's account match one directory person."""

from __future__ import annotations

import logging
from dataclasses import replace

from .domain import (
    SET_PASSWORD,
    Account,
    Person,
    attributes_for,
    belongs_elsewhere,
    needs_invitation,
)
from .provider import AccountProvider

log = logging.getLogger(__name__)


def provision(person: Person, provider: AccountProvider) -> Account | None:
    """Create, update, disable or re-enable the person's account; idempotent.

    A new active person gets an account with a "set your password" action and its e-mail; a
    deactivated person's account is disabled and signed out. An active account of another
    region's person is left as it is (`belongs_elsewhere`). Returns the account (None when an
    inactive person never had one)."""
    existing = provider.find(person.person_id, person.email)
    if existing is None and not person.active:
        return None
    if belongs_elsewhere(person, existing):
        log.warning(
            "account of %s left alone: it belongs to region %s, not %s",
            person.person_id,
            existing.attribute("region") if existing else "",
            person.region,
        )
        return existing
    desired = Account(
        id=existing.id if existing else "",
        username=existing.username if existing else person.email,
        email=person.email,
        name=person.name,
        enabled=person.active,
        attributes=attributes_for(person, existing),
        has_password=existing.has_password if existing else False,
    )
    if existing is None:
        desired.id = provider.create(desired, [SET_PASSWORD])
        log.info("account created for person %s", person.person_id)
    elif desired != existing:
        provider.update(desired)
    if not person.active and existing is not None and existing.enabled:
        provider.end_sessions(desired.id)
        log.info("account of person %s disabled", person.person_id)
    if needs_invitation(person, desired):
        provider.send_actions_email(desired.id, [SET_PASSWORD])
        desired = replace(desired, attributes={**desired.attributes, "invited": ["true"]})
        provider.update(desired)
    return desired
