"""The sign-in provider's files agree with each other: one realm (deploy/keycloak/) imported
by the local stack, compose and Kubernetes, one pinned Keycloak version, every placeholder of
the realm given to Keycloak, and the clients and claims the portal and the APIs rely on."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
REALM_FILE = ROOT / "deploy" / "keycloak" / "smartcity-realm.json"
K8S = ROOT / "deploy" / "k8s" / "base"
sys.path.insert(0, str(ROOT / "deploy" / "local"))
from stacklib.config import KEYCLOAK_VERSION  # noqa: E402
from stacklib.keycloak import local_realm  # noqa: E402

IMAGE = f"quay.io/keycloak/keycloak:{KEYCLOAK_VERSION}"


def realm() -> dict[str, Any]:
    return json.loads(REALM_FILE.read_text())  # type: ignore[no-any-return]


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\$\{([A-Z_]+)\}", text))


def k8s(kind: str, name: str) -> dict[str, Any]:
    for path in K8S.glob("*.yaml"):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and doc["kind"] == kind and doc["metadata"]["name"] == name:
                return doc  # type: ignore[no-any-return]
    raise AssertionError(f"no {kind} {name} in deploy/k8s")


def client(rep: dict[str, Any], client_id: str) -> dict[str, Any]:
    return next(c for c in rep["clients"] if c["clientId"] == client_id)


def test_the_kubernetes_realm_configmap_is_the_repo_realm_verbatim() -> None:
    data = k8s("ConfigMap", "keycloak-realm")["data"]["smartcity-realm.json"]
    assert json.loads(data) == realm(), "run python3 deploy/keycloak/to_configmap.py"


def test_compose_and_kubernetes_run_the_pinned_keycloak_with_the_repo_realm() -> None:
    keycloak = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["keycloak"]
    assert keycloak["image"] == IMAGE
    assert any(
        v.startswith("./deploy/keycloak/smartcity-realm.json:/opt/keycloak/data/import/")
        for v in keycloak["volumes"]
    )
    pod = k8s("Deployment", "keycloak")["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["image"] == IMAGE and "--import-realm" in container["args"]


def test_every_placeholder_of_the_realm_reaches_keycloak() -> None:
    needed = placeholders(REALM_FILE.read_text())
    assert needed >= {"PORTAL_BASE_URL", "OIDC_CLIENT_SECRET", "ACCOUNTS_CLIENT_SECRET"}
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["keycloak"]
    assert needed <= set(compose["environment"])
    given = set(k8s("ConfigMap", "smartcity-config")["data"])
    given |= set(k8s("Secret", "smartcity-secrets")["stringData"])
    assert needed <= given


def test_the_portal_client_is_confidential_with_pkce_and_its_own_redirects() -> None:
    portal = client(realm(), "portal")
    assert portal["publicClient"] is False and portal["standardFlowEnabled"] is True
    assert portal["directAccessGrantsEnabled"] is False
    assert portal["attributes"]["pkce.code.challenge.method"] == "S256"
    assert portal["redirectUris"] == ["${PORTAL_BASE_URL}/*"]
    assert portal["attributes"]["post.logout.redirect.uris"] == "${PORTAL_BASE_URL}/*"


def test_tokens_carry_the_contract_claims_and_the_api_audience() -> None:
    mappers = {m["name"]: m for m in client(realm(), "portal")["protocolMappers"]}
    for claim in ("role", "region", "unit"):
        assert mappers[claim]["config"]["claim.name"] == claim
        assert mappers[claim]["config"]["access.token.claim"] == "true"
    audience = k8s("ConfigMap", "smartcity-config")["data"]["OIDC_AUDIENCE"]
    assert mappers["api-audience"]["config"]["included.custom.audience"] == audience


def test_only_the_local_stack_has_demo_people_and_the_password_grant() -> None:
    shared = realm()
    assert all("serviceAccountClientId" in u for u in shared["users"])
    assert not any(c.get("directAccessGrantsEnabled") for c in shared["clients"])
    local = local_realm()
    assert client(local, "smartcity-cli")["directAccessGrantsEnabled"] is True
    emails = {u.get("email") for u in local["users"]}
    assert {"admin.smartcity@batangkab.go.id", "dinkes@batangkab.go.id"} <= emails


def test_directory_attributes_are_editable_by_administrators_only() -> None:
    (profile,) = realm()["components"]["org.keycloak.userprofile.UserProfileProvider"]
    config = json.loads(profile["config"]["kc.user.profile.config"][0])
    edit = {a["name"]: a["permissions"]["edit"] for a in config["attributes"]}
    for name in ("role", "region", "unit", "catalogue", "person_id", "invited"):
        assert edit[name] == ["admin"], name


def test_kubernetes_accepts_only_provider_tokens() -> None:
    assert k8s("ConfigMap", "smartcity-config")["data"]["STACK_PROFILE"] == "production"
