"""What the app holds for its lifetime: settings, API base URLs, one pooled HTTP session."""

from __future__ import annotations

from dataclasses import dataclass, field

import requests

from .public_token import PublicToken
from .settings import PortalSettings


@dataclass
class Portal:
    settings: PortalSettings
    http: requests.Session = field(default_factory=requests.Session)
    public_token: PublicToken = field(init=False)

    def __post_init__(self) -> None:
        s = self.settings
        self.public_token = PublicToken(
            s.oidc_metadata_url, s.oidc_client_id, s.oidc_client_secret, self.http
        )

    @property
    def api_urls(self) -> dict[str, str]:
        return {s: self.settings.api_url(s) for s in ("evaluation", "innovation", "notification")}

    @property
    def timeout_s(self) -> float:
        return self.settings.api_timeout_s

    @property
    def base_url(self) -> str:
        return self.settings.base_url

    @property
    def client_id(self) -> str:
        return self.settings.oidc_client_id
