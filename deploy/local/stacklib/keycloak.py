"""Keycloak for the local stack: its home per profile, the realm to import, how it runs."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

from .config import CACHE, KEYCLOAK_VERSION, KEYCLOAK_ZIP, ROOT, Settings

REALM_DIR = ROOT / "deploy" / "keycloak"
# The realm shared with compose and Kubernetes, and what only the local stack adds to it.
REALM_FILE = REALM_DIR / "smartcity-realm.json"
LOCAL_DEMO_FILE = REALM_DIR / "local-demo.json"
DEMO_PASSWORD = "batang-demo"  # docs/DEMO.md; dev/test profiles only


def home(s: Settings) -> Path:
    """Each profile runs its own unpacked copy, kept in .cache/ across `up --fresh`: the first
    start re-augments it (Quarkus build, ~10 s idle, minutes under load), later starts not."""
    return CACHE / "keycloak" / f"home-{s.profile}" / f"keycloak-{KEYCLOAK_VERSION}"


def database(s: Settings) -> Path:
    """The profile's H2 database: in the state dir, so `up --fresh` imports the realm again."""
    return s.state_dir / "keycloak" / "h2"


def local_realm() -> dict[str, Any]:
    """The shared realm plus the demo's people and the password-grant client."""
    realm: dict[str, Any] = json.loads(REALM_FILE.read_text())
    extra: dict[str, Any] = json.loads(LOCAL_DEMO_FILE.read_text())
    for key in ("clients", "users"):
        realm[key] = [*realm.get(key, []), *extra.get(key, [])]
    return realm


def initialized_mark(s: Settings) -> Path:
    """Written once Keycloak first answered: its database and the realm import are complete."""
    return s.state_dir / "keycloak" / "initialized"


def prepare_home(s: Settings) -> None:
    """Unpack the distribution once per profile (~1 s); write the realm to import.

    A database left behind by a first start that never became ready (killed while creating
    its schema) cannot be migrated; it is removed so the next start creates it again."""
    target = home(s)
    if not initialized_mark(s).exists():
        shutil.rmtree(database(s), ignore_errors=True)
    if not (target / "bin" / "kc.sh").is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(KEYCLOAK_ZIP) as archive:
            archive.extractall(target.parent)
        for script in (target / "bin").glob("*.sh"):
            script.chmod(0o755)
    imports = target / "data" / "import"
    imports.mkdir(parents=True, exist_ok=True)
    # Imported only when the realm does not exist yet (`up --fresh` imports it again).
    (imports / "smartcity-realm.json").write_text(json.dumps(local_realm(), indent=1))


def keycloak_argv(s: Settings) -> list[str]:
    base = f"http://127.0.0.1:{s.keycloak_port}"
    return [
        str(home(s) / "bin" / "kc.sh"),
        "start-dev",
        "--http-host",
        "127.0.0.1",
        "--http-port",
        str(s.keycloak_port),
        "--hostname",
        base,
        "--db",
        "dev-file",
        "--db-url",
        f"jdbc:h2:file:{database(s)}/keycloakdb;NON_KEYWORDS=VALUE",
        "--import-realm",
    ]


def keycloak_env(s: Settings) -> dict[str, str]:
    """The bootstrap admin (local only) and the values the realm file's placeholders take."""
    return {
        "KC_BOOTSTRAP_ADMIN_USERNAME": os.environ.get("KEYCLOAK_ADMIN", "admin"),
        "KC_BOOTSTRAP_ADMIN_PASSWORD": os.environ.get("KEYCLOAK_ADMIN_PASSWORD", "admin"),
        "JAVA_OPTS_KC_HEAP": "-Xms64m -Xmx512m",
        "DEMO_PASSWORD": os.environ.get("DEMO_PASSWORD", DEMO_PASSWORD),
    }


def issuer_ready_url(s: Settings) -> str:
    return f"{s.oidc['OIDC_ISSUER']}/.well-known/openid-configuration"
