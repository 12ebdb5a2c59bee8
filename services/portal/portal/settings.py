"""The portal's settings: one frozen dataclass built once from the environment.

Every value has a working local default. The profile is `STACK_PROFILE` (set by the local
stack and the tests); without it the portal runs as `production`. `PORTAL_SECRET_KEY` signs
the session cookie; a placeholder (or a short key) is refused outside the dev and test
profiles, as JWT_SECRET is for the APIs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace

from smartcity_shared.settings import DEV_PROFILES, secret_weakness

DEV_SECRET = "dev-only-portal-secret-change-me-in-production-0123456789"
API_PORTS = {"evaluation": 8001, "innovation": 8002, "notification": 8003}


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class PortalSettings:
    port: int = 8000
    profile: str = "dev"
    secret_key: str = DEV_SECRET
    base_url: str = "http://127.0.0.1:8000"
    evaluation_url: str = "http://127.0.0.1:8001"
    innovation_url: str = "http://127.0.0.1:8002"
    notification_url: str = "http://127.0.0.1:8003"
    oidc_issuer: str = "http://127.0.0.1:8180/realms/smartcity"
    oidc_backchannel_url: str = ""  # where this server reaches the issuer (containers)
    oidc_client_id: str = "portal"
    oidc_client_secret: str = ""
    assets_dir: str = ""
    timezone: str = "Asia/Jakarta"
    default_locale: str = "id"
    api_timeout_s: float = 15.0

    def api_url(self, service: str) -> str:
        return str(getattr(self, f"{service}_url")).rstrip("/")

    @property
    def oidc_metadata_url(self) -> str:
        """The discovery document, read over the backchannel when one is set."""
        return f"{self.oidc_backchannel_url or self.oidc_issuer}/.well-known/openid-configuration"

    def with_(self, **changes: object) -> PortalSettings:
        return replace(self, **changes)  # type: ignore[arg-type]

    def check(self) -> PortalSettings:
        """Refuse a placeholder or short secret outside dev/test."""
        if self.profile not in DEV_PROFILES:
            reason = secret_weakness(self.secret_key, DEV_SECRET)
            if reason:
                raise SettingsError(f"PORTAL_SECRET_KEY {reason}: set 32+ random bytes")
        return self

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> PortalSettings:
        e = os.environ if env is None else env
        port = int(e.get("PORTAL_PORT", cls.port))

        def api(service: str) -> str:
            explicit = e.get(f"{service.upper()}_API_URL")
            own_port = e.get(f"{service.upper()}_PORT", str(API_PORTS[service]))
            return explicit or f"http://127.0.0.1:{own_port}"

        return cls(
            port=port,
            profile=e.get("STACK_PROFILE") or "production",
            secret_key=e.get("PORTAL_SECRET_KEY", cls.secret_key),
            base_url=e.get("PORTAL_BASE_URL", f"http://127.0.0.1:{port}").rstrip("/"),
            evaluation_url=api("evaluation"),
            innovation_url=api("innovation"),
            notification_url=api("notification"),
            oidc_issuer=e.get("OIDC_ISSUER", cls.oidc_issuer).rstrip("/"),
            oidc_backchannel_url=e.get("OIDC_BACKCHANNEL_URL", "").rstrip("/"),
            oidc_client_id=e.get("OIDC_CLIENT_ID", cls.oidc_client_id),
            oidc_client_secret=e.get("OIDC_CLIENT_SECRET", cls.oidc_client_secret),
            assets_dir=e.get("ASSETS_DIR", cls.assets_dir),
            timezone=e.get("PORTAL_TIMEZONE", cls.timezone),
            default_locale=e.get("PORTAL_DEFAULT_LOCALE", cls.default_locale),
            api_timeout_s=float(e.get("PORTAL_API_TIMEOUT_S", cls.api_timeout_s)),
        ).check()
