"""Settings: one frozen dataclass built once from the environment and passed in.

Every value has a working local default (CONTRACT.md), so `Settings.from_env("evaluation")`
runs against the local stack, and the same code runs against a managed MongoDB or Kafka cluster.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace

DEFAULT_PORTS = {"evaluation": 8001, "innovation": 8002, "notification": 8003}
DEV_JWT_SECRET = "dev-only-secret-change-me-in-production-0123456789"
#: Profiles of the local stack (deploy/local/stack.py sets STACK_PROFILE); only these may run
#: with the built-in development secret. Anything else (unset included) is a deployment.
DEV_PROFILES = ("dev", "test", "cluster")
MIN_SECRET_BYTES = 32
PLACEHOLDER_MARKS = ("change-me", "changeme", "change_me", "dev-only", "placeholder", "replace-me")


def _dev(env: Mapping[str, str]) -> bool:
    return env.get("STACK_PROFILE", "").strip() in DEV_PROFILES


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    service: str
    port: int = 8000
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    mongo_uri: str = "mongodb://127.0.0.1:27017"
    mongo_db: str = ""
    topic_prefix: str = ""
    jwt_secret: str = DEV_JWT_SECRET
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "smartcity@batangkab.go.id"
    portal_base_url: str = "http://127.0.0.1:8000"
    max_body_bytes: int = 1_000_000
    store_timeout_ms: int = 2000
    log_level: str = "INFO"
    relay_interval_s: float = 0.2
    topic_replication: int = 1
    # Kafka transport: PLAINTEXT (local), SSL, SASL_PLAINTEXT or SASL_SSL; SASL with
    # SCRAM-SHA-256/512 or PLAIN; the CA bundle that signed the brokers' certificates.
    kafka_security_protocol: str = "PLAINTEXT"
    kafka_sasl_mechanism: str = ""
    kafka_sasl_username: str = ""
    kafka_sasl_password: str = ""
    kafka_ssl_cafile: str = ""
    # STACK_PROFILE: dev | test | production (from_env: unset means production). HS256
    # development tokens and the built-in JWT_SECRET only in dev and test.
    profile: str = "dev"
    oidc_issuer: str = "http://127.0.0.1:8180/realms/smartcity"
    oidc_audience: str = "smartcity-api"
    # Where the services reach the issuer when its public URL is not reachable from inside
    # (compose: http://keycloak:8080/realms/smartcity); default: the issuer itself.
    oidc_backchannel_url: str = ""

    @property
    def database(self) -> str:
        """The service's own database name (`MONGO_DB` overrides `smartcity_<service>`)."""
        return self.mongo_db or f"smartcity_{self.service}"

    def topic(self, name: str) -> str:
        """The physical topic name: tests isolate themselves with a prefix."""
        return f"{self.topic_prefix}{name}"

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, service: str, env: Mapping[str, str] | None = None) -> Settings:
        e = os.environ if env is None else env
        port_var = f"{service.upper()}_PORT"
        return cls(
            service=service,
            port=int(e.get(port_var, DEFAULT_PORTS.get(service, 8000))),
            kafka_bootstrap_servers=e.get("KAFKA_BOOTSTRAP_SERVERS", cls.kafka_bootstrap_servers),
            mongo_uri=e.get("MONGO_URI", cls.mongo_uri),
            mongo_db=e.get("MONGO_DB", ""),
            topic_prefix=e.get("TOPIC_PREFIX", ""),
            jwt_secret=e.get("JWT_SECRET", cls.jwt_secret if _dev(e) else ""),
            smtp_host=e.get("SMTP_HOST", cls.smtp_host),
            smtp_port=int(e.get("SMTP_PORT", cls.smtp_port)),
            smtp_username=e.get("SMTP_USERNAME", ""),
            smtp_password=e.get("SMTP_PASSWORD", ""),
            smtp_starttls=_bool(e.get("SMTP_STARTTLS", "false")),
            mail_from=e.get("MAIL_FROM", cls.mail_from),
            portal_base_url=e.get("PORTAL_BASE_URL", cls.portal_base_url),
            max_body_bytes=int(e.get("MAX_BODY_BYTES", cls.max_body_bytes)),
            store_timeout_ms=int(e.get("STORE_TIMEOUT_MS", cls.store_timeout_ms)),
            log_level=e.get("LOG_LEVEL", cls.log_level),
            relay_interval_s=float(e.get("RELAY_INTERVAL_S", cls.relay_interval_s)),
            topic_replication=int(e.get("KAFKA_TOPIC_REPLICATION", cls.topic_replication)),
            kafka_security_protocol=e.get("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT").upper(),
            kafka_sasl_mechanism=e.get("KAFKA_SASL_MECHANISM", "").upper(),
            kafka_sasl_username=e.get("KAFKA_SASL_USERNAME", ""),
            kafka_sasl_password=e.get("KAFKA_SASL_PASSWORD", ""),
            kafka_ssl_cafile=e.get("KAFKA_SSL_CAFILE", ""),
            profile=e.get("STACK_PROFILE", "").strip() or "production",
            oidc_issuer=e.get("OIDC_ISSUER", cls.oidc_issuer),
            oidc_audience=e.get("OIDC_AUDIENCE", cls.oidc_audience),
            oidc_backchannel_url=e.get("OIDC_BACKCHANNEL_URL", ""),
        )


class UnsafeSettings(RuntimeError):
    """Settings a deployment must not start with (raised before serving anything)."""


def secret_weakness(secret: str, *known: str) -> str:
    """Why `secret` must not sign anything in a deployment ("is missing", "is shorter than 32
    bytes", "is a known placeholder": one of `known` or a placeholder mark), or "" when fine."""
    if not secret.strip():
        return "is missing"
    if len(secret.encode()) < MIN_SECRET_BYTES:
        return f"is shorter than {MIN_SECRET_BYTES} bytes"
    lowered = secret.strip().lower()
    if secret in known or any(mark in lowered for mark in PLACEHOLDER_MARKS):
        return "is a known placeholder"
    return ""


def refuse_unsafe_secret(settings: Settings) -> None:
    """Outside the dev/test profiles, refuse a `JWT_SECRET` that is missing, shorter than
    32 bytes or a known placeholder (the development default, `change-me`, ...): anyone who
    knows it could mint an admin token. Raises UnsafeSettings naming the fix."""
    if settings.profile in DEV_PROFILES:
        return
    reason = secret_weakness(settings.jwt_secret, DEV_JWT_SECRET)
    if reason:
        raise UnsafeSettings(
            f"{settings.service}: JWT_SECRET {reason}; refusing to start in profile "
            f"{settings.profile!r}. Set JWT_SECRET to {MIN_SECRET_BYTES}+ random bytes "
            "(e.g. `openssl rand -hex 32`), or STACK_PROFILE=dev|test on a development machine."
        )
