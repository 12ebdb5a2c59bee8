"""AccountProvider on Keycloak's admin REST API, as the `accounts` client's service account."""

from __future__ import annotations

import time
from typing import Any

import requests

from smartcity_shared.errors import PermanentError, TransientError

from .config import AccountsConfig
from .domain import Account


class KeycloakAccounts:
    def __init__(self, config: AccountsConfig, session: requests.Session | None = None) -> None:
        self.config = config
        self.http = session or requests.Session()
        self._token = ("", 0.0)

    def _bearer(self) -> str:
        token, until = self._token
        if token and time.monotonic() < until:
            return token
        answer = self._send(
            "POST",
            self.config.token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": self.config.client_id,
                "client_secret": self.config.client_secret,
            },
        )
        body = answer.json()
        self._token = (body["access_token"], time.monotonic() + body["expires_in"] - 30)
        return str(body["access_token"])

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """One request; an unreachable provider or a 5xx is transient (the event is retried)."""
        try:
            answer = self.http.request(method, url, timeout=self.config.timeout_s, **kwargs)
        except requests.RequestException as exc:
            raise TransientError(f"OIDC provider unreachable: {exc}") from exc
        if answer.status_code >= 500 or answer.status_code == 429:
            raise TransientError(f"OIDC provider {method} {url}: {answer.status_code}")
        if answer.status_code >= 400 and answer.status_code not in (404, 409):
            raise PermanentError(
                f"OIDC provider refused {method} {url}: {answer.status_code} {answer.text[:300]}"
            )
        return answer

    def _admin(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {self._bearer()}"}
        return self._send(method, self.config.admin_url + path, headers=headers, **kwargs)

    def _account(self, user: dict[str, Any]) -> Account:
        credentials = self._admin("GET", f"/users/{user['id']}/credentials").json()
        return Account(
            id=str(user["id"]),
            username=str(user["username"]),
            email=str(user.get("email") or ""),
            name=str(user.get("firstName") or ""),
            enabled=bool(user.get("enabled")),
            attributes={k: list(v) for k, v in (user.get("attributes") or {}).items()},
            has_password=any(c.get("type") == "password" for c in credentials),
        )

    def find(self, person_id: str, email: str) -> Account | None:
        by_id = self._admin(
            "GET", "/users", params={"q": f"person_id:{person_id}", "briefRepresentation": "false"}
        ).json()
        for user in by_id:
            if person_id in (user.get("attributes") or {}).get("person_id", []):
                return self._account(user)
        by_email = self._admin(
            "GET",
            "/users",
            params={"email": email, "exact": "true", "briefRepresentation": "false"},
        ).json()
        return self._account(by_email[0]) if by_email else None

    def _representation(self, account: Account) -> dict[str, Any]:
        return {
            "username": account.username,
            "email": account.email,
            "emailVerified": True,
            "firstName": account.name,
            "enabled": account.enabled,
            "attributes": account.attributes,
        }

    def create(self, account: Account, required_actions: list[str]) -> str:
        body = {**self._representation(account), "requiredActions": required_actions}
        answer = self._admin("POST", "/users", json=body)
        if answer.status_code == 409:  # made by an earlier, interrupted attempt
            found = self.find(account.attribute("person_id"), account.email)
            if found is None:
                raise PermanentError(f"account {account.username} conflicts: {answer.text[:300]}")
            return found.id
        return answer.headers["Location"].rstrip("/").rsplit("/", 1)[1]

    def update(self, account: Account) -> None:
        answer = self._admin("PUT", f"/users/{account.id}", json=self._representation(account))
        if answer.status_code in (404, 409):
            raise PermanentError(f"cannot update account {account.id}: {answer.text[:300]}")

    def send_actions_email(self, account_id: str, actions: list[str]) -> None:
        params = {
            "client_id": self.config.portal_client_id,
            "redirect_uri": self.config.portal_base_url.rstrip("/") + "/",
            "lifespan": str(self.config.invite_lifespan_s),
        }
        self._admin(
            "PUT", f"/users/{account_id}/execute-actions-email", params=params, json=actions
        )

    def end_sessions(self, account_id: str) -> None:
        self._admin("POST", f"/users/{account_id}/logout")
