"""The port to the OIDC provider's user administration (Keycloak's admin REST API here)."""

from __future__ import annotations

from typing import Protocol

from .domain import Account


class AccountProvider(Protocol):
    def find(self, person_id: str, email: str) -> Account | None:
        """The account holding this person id, else the one with this e-mail, else None."""

    def create(self, account: Account, required_actions: list[str]) -> str:
        """Create the account; returns its id."""

    def update(self, account: Account) -> None: ...

    def send_actions_email(self, account_id: str, actions: list[str]) -> None:
        """E-mail the person a link to perform `actions` (e.g. set a password)."""

    def end_sessions(self, account_id: str) -> None: ...
