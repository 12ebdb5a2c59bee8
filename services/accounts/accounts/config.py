"""The accounts worker's settings (environment variables with local defaults)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from smartcity_shared.settings import Settings


@dataclass(frozen=True)
class AccountsConfig:
    issuer: str  # OIDC_BACKCHANNEL_URL or OIDC_ISSUER: https://<host>/realms/<realm>
    client_id: str  # ACCOUNTS_CLIENT_ID: a client with a service account (manage-users)
    client_secret: str  # ACCOUNTS_CLIENT_SECRET
    portal_client_id: str  # OIDC_CLIENT_ID: the set-password link ends on the portal
    portal_base_url: str  # PORTAL_BASE_URL
    invite_lifespan_s: int = 3 * 24 * 3600  # ACCOUNTS_INVITE_LIFESPAN_S
    timeout_s: float = 10.0

    @property
    def admin_url(self) -> str:
        """Keycloak's admin API of the issuer's realm."""
        base, _, realm = self.issuer.rstrip("/").rpartition("/realms/")
        return f"{base}/admin/realms/{realm}"

    @property
    def token_url(self) -> str:
        return f"{self.issuer.rstrip('/')}/protocol/openid-connect/token"

    @classmethod
    def from_env(cls, settings: Settings, env: Mapping[str, str] | None = None) -> AccountsConfig:
        e = os.environ if env is None else env
        return cls(
            issuer=settings.oidc_backchannel_url or settings.oidc_issuer,
            client_id=e.get("ACCOUNTS_CLIENT_ID", "accounts"),
            client_secret=e.get("ACCOUNTS_CLIENT_SECRET", "dev-only-accounts-secret-change-me"),
            portal_client_id=e.get("OIDC_CLIENT_ID", "portal"),
            portal_base_url=e.get("PORTAL_BASE_URL", "http://127.0.0.1:8000"),
            invite_lifespan_s=int(e.get("ACCOUNTS_INVITE_LIFESPAN_S", cls.invite_lifespan_s)),
        )
