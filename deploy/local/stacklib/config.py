"""Profiles, ports, paths and the environment handed to every process of the stack."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[3]
CACHE = ROOT / ".cache"
VENV = ROOT / ".venv"
VENV_PY = VENV / "bin" / "python"
KAFKA_LIBS = CACHE / "kafka" / "libs"
FERRETDB_BIN = CACHE / "bin" / "ferretdb-local"
KEYCLOAK_VERSION = "26.4.7"
KEYCLOAK_ZIP = CACHE / "keycloak" / f"keycloak-quarkus-dist-{KEYCLOAK_VERSION}.zip"
OIDC_REALM = "smartcity"
# Local-stack secrets of the realm's confidential clients (dev/test only; set them elsewhere).
DEV_PORTAL_SECRET = "dev-only-portal-secret-change-me"
DEV_ACCOUNTS_SECRET = "dev-only-accounts-secret-change-me"
LOCAL_DIR = ROOT / "deploy" / "local"
SERVICES = ("evaluation", "innovation", "notification")
WORKER_ONLY = ("accounts",)  # services with a worker and no API
LOCAL_HOSTS = {"", "127.0.0.1", "localhost", "::1"}

PROFILES: dict[str, dict[str, int]] = {
    "dev": {
        "kafka": 9092,
        "controller": 9093,
        "store": 27017,
        "smtp": 1025,
        "mail_http": 8025,
        "evaluation": 8001,
        "innovation": 8002,
        "notification": 8003,
        "keycloak": 8180,
        "portal": 8000,
    },
    "test": {
        "kafka": 19092,
        "controller": 19093,
        "store": 27117,
        "smtp": 1125,
        "mail_http": 18025,
        "evaluation": 18001,
        "innovation": 18002,
        "notification": 18003,
        "keycloak": 18180,
        "portal": 18000,
    },
    # Three Kafka brokers (node i listens on kafka + 100*i, its controller on controller +
    # 100*i), topics with three replicas; no sign-in provider or portal (tests/cluster).
    "cluster": {
        "kafka": 28092,
        "controller": 28093,
        "store": 28117,
        "smtp": 28025,
        "mail_http": 28026,
        "evaluation": 28001,
        "innovation": 28002,
        "notification": 28003,
        "keycloak": 28180,
        "portal": 28000,
    },
}
BROKERS = {"cluster": 3}  # Kafka brokers per profile (1 when not named)
BROKER_STEP = 100  # port distance between the brokers of one profile


def _host_port(netloc: str, default_port: int) -> tuple[str, int]:
    """First host of a `host:port[,host:port]` list (credentials dropped)."""
    first = netloc.rsplit("@", 1)[-1].split(",")[0].strip()
    if first.startswith("["):  # [::1]:9092
        host, _, rest = first[1:].partition("]")
        return host, int(rest.lstrip(":") or default_port)
    host, _, port = first.partition(":")
    return host, int(port or default_port)


@dataclass(frozen=True)
class Settings:
    """Everything one profile of the stack needs; built once by `load`."""

    profile: str
    state_dir: Path
    kafka_host: str
    kafka_port: int
    controller_port: int
    bootstrap: str
    mongo_uri: str
    store_host: str
    store_port: int
    smtp_host: str
    smtp_port: int
    mail_http_port: int
    api_ports: dict[str, int]
    jwt_secret: str
    mail_from: str
    keycloak_port: int
    portal_port: int
    portal_base_url: str
    oidc: dict[str, str]
    brokers: int = 1

    def broker_ports(self, node: int) -> tuple[int, int]:
        """(listener, controller) ports of broker `node` (0-based)."""
        step = BROKER_STEP * node
        return self.kafka_port + step, self.controller_port + step

    @property
    def mail_dir(self) -> Path:
        return self.state_dir / "mail"

    def external(self, infra: str) -> bool:
        """True when the settings point `kafka`, `store` or `mail` at a non-local host."""
        host = {"kafka": self.kafka_host, "store": self.store_host, "mail": self.smtp_host}[infra]
        return host not in LOCAL_HOSTS

    def child_env(self) -> dict[str, str]:
        """The environment for every process the stack starts (and for `stack.py env`)."""
        env = {
            "STACK_PROFILE": self.profile,
            "STACK_DIR": str(self.state_dir),
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
            "MONGO_URI": self.mongo_uri,
            "SMTP_HOST": self.smtp_host,
            "SMTP_PORT": str(self.smtp_port),
            "MAILSINK_HTTP_PORT": str(self.mail_http_port),
            "MAILSINK_DIR": str(self.mail_dir),
            "JWT_SECRET": self.jwt_secret,
            "MAIL_FROM": self.mail_from,
            "KEYCLOAK_PORT": str(self.keycloak_port),
            "PORTAL_PORT": str(self.portal_port),
            "PORTAL_BASE_URL": self.portal_base_url,
            **self.oidc,
            "ASSETS_DIR": str(CACHE / "assets"),  # deploy/assets.txt, unpacked by install
        }
        for svc, port in self.api_ports.items():
            env[f"{svc.upper()}_PORT"] = str(port)
        if self.brokers > 1:  # topics replicated on three brokers, min.insync.replicas 2
            env["KAFKA_TOPIC_REPLICATION"] = str(self.brokers)
        return env


def load(profile: str, environ: dict[str, str] | None = None) -> Settings:
    """Build the settings of `profile`, letting environment variables override them."""
    env = dict(os.environ if environ is None else environ)
    ports = PROFILES[profile]
    state_dir = Path(env.get("STACK_DIR") or CACHE / "run" / profile)
    if not state_dir.is_absolute():
        state_dir = ROOT / state_dir

    brokers = BROKERS.get(profile, 1)
    listeners = [f"127.0.0.1:{ports['kafka'] + BROKER_STEP * n}" for n in range(brokers)]
    bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS") or ",".join(listeners)
    kafka_host, kafka_port = _host_port(bootstrap, 9092)
    controller = ports["controller"] if kafka_port == ports["kafka"] else kafka_port + 1

    keycloak_port = int(env.get("KEYCLOAK_PORT") or ports["keycloak"])
    portal_port = int(env.get("PORTAL_PORT") or ports["portal"])
    mongo_uri = env.get("MONGO_URI") or f"mongodb://127.0.0.1:{ports['store']}"
    store_host, store_port = _host_port(urlsplit(mongo_uri).netloc, 27017)

    return Settings(
        profile=profile,
        state_dir=state_dir,
        kafka_host=kafka_host,
        kafka_port=kafka_port,
        controller_port=controller,
        bootstrap=bootstrap,
        mongo_uri=mongo_uri,
        store_host=store_host,
        store_port=store_port,
        smtp_host=env.get("SMTP_HOST") or "127.0.0.1",
        smtp_port=int(env.get("SMTP_PORT") or ports["smtp"]),
        mail_http_port=int(env.get("MAILSINK_HTTP_PORT") or ports["mail_http"]),
        api_ports={s: int(env.get(f"{s.upper()}_PORT") or ports[s]) for s in SERVICES},
        jwt_secret=env.get("JWT_SECRET") or "dev-only-secret-change-me-in-production-0123456789",
        mail_from=env.get("MAIL_FROM") or "smartcity@batangkab.go.id",
        keycloak_port=keycloak_port,
        portal_port=portal_port,
        portal_base_url=env.get("PORTAL_BASE_URL") or f"http://127.0.0.1:{portal_port}",
        oidc=_oidc(env, keycloak_port),
        brokers=brokers,
    )


def _oidc(env: dict[str, str], keycloak_port: int) -> dict[str, str]:
    """The OIDC settings of the stack's Keycloak (each overridable from the environment)."""
    issuer = f"http://127.0.0.1:{keycloak_port}/realms/{OIDC_REALM}"
    defaults = {
        "OIDC_ISSUER": issuer,
        "OIDC_AUDIENCE": "smartcity-api",
        "OIDC_CLIENT_ID": "portal",
        "OIDC_CLIENT_SECRET": DEV_PORTAL_SECRET,
        "ACCOUNTS_CLIENT_ID": "accounts",
        "ACCOUNTS_CLIENT_SECRET": DEV_ACCOUNTS_SECRET,
    }
    return {key: env.get(key) or value for key, value in defaults.items()}
