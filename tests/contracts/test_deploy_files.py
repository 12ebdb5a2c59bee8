"""The deployment files, checked by structure: Dockerfile, docker-compose.yml, deploy/k8s/.

Neither Docker nor Kubernetes runs on our machines, so these tests read the files and pin what
the platform relies on: health checks, the contract's settings, scalable workers and APIs, one
image for every process, probes, resources, autoscalers, and commands that name real modules
of this repo. No network: `kubernetes-validate` (installed by `make install`) ships the
Kubernetes JSON schemas every manifest is checked against; a `kustomize build` runs only when
the binary is installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from smartcity_shared.events.registry import TOPICS
from smartcity_shared.kafka_io import PARTITIONS

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
K8S = ROOT / "deploy" / "k8s"
SERVICES = {"evaluation": 8001, "innovation": 8002, "notification": 8003}
APIS = [f"{svc}-api" for svc in SERVICES]
WORKERS = [f"{svc}-worker" for svc in SERVICES]
ONE_SHOT = {"topics", "demo"}
INFRA = {"mongo", "kafka", "mailpit", "keycloak"}
CONTRACT_ENV = {
    "OIDC_ISSUER",
    "OIDC_AUDIENCE",
    "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET",
    "KAFKA_BOOTSTRAP_SERVERS",
    "MONGO_URI",
    "JWT_SECRET",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
    "SMTP_STARTTLS",
    "MAIL_FROM",
}
SECRET_ENV = {
    "JWT_SECRET",
    "KAFKA_SASL_PASSWORD",
    "MONGO_URI",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
    "OIDC_CLIENT_SECRET",
    "ACCOUNTS_CLIENT_SECRET",
    "PORTAL_SECRET_KEY",
}
# The platform's settings (envFrom of every pod); Keycloak has its own Secret and realm too.
SETTINGS_CONFIGMAP, SETTINGS_SECRET = "smartcity-config", "smartcity-secrets"
NAMESPACED = {
    "Deployment",
    "Service",
    "HorizontalPodAutoscaler",
    "ConfigMap",
    "Secret",
    "Job",
    "CronJob",
    "ScaledObject",
    "PodDisruptionBudget",
    "NetworkPolicy",
    "PersistentVolumeClaim",
    "Ingress",
    "PodMonitor",
    "PrometheusRule",
}
CRDS = {"ScaledObject", "PodMonitor", "PrometheusRule"}  # no schema shipped for these


# --- loading ---------------------------------------------------------------------------------
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def env_of(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def k8s_docs(folder: Path = K8S) -> list[dict[str, Any]]:
    docs = []
    for path in sorted(folder.rglob("*.yaml")):
        if path.name != "kustomization.yaml":
            docs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return docs


def kinds(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in k8s_docs() if d["kind"] == kind}


def pod_spec(doc: dict[str, Any]) -> dict[str, Any]:
    """The pod template's spec of a Deployment, Job or CronJob ({} for other kinds)."""
    spec = doc.get("spec", {})
    if doc["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec.get("template", {}).get("spec", {})  # type: ignore[no-any-return]


def container(deployment: dict[str, Any]) -> dict[str, Any]:
    (only,) = pod_spec(deployment)["containers"]
    return only


# --- commands name real files ----------------------------------------------------------------
def module_file(module: str) -> tuple[str, Path]:
    """The repo file that `python -m module` runs, and the package (service) it belongs to."""
    top, *rest = module.split(".")
    base = ROOT / "shared" / top if top == "smartcity_shared" else ROOT / "services" / top / top
    path = base.joinpath(*rest)
    for candidate in (path.with_suffix(".py"), path / "__main__.py", path / "__init__.py"):
        if candidate.is_file():
            return top, candidate
    return top, path.with_suffix(".py")


def needed_files(argv: list[str]) -> tuple[str, list[Path]]:
    if argv[:2] == ["python", "-m"]:
        top, path = module_file(argv[2])
        return top, [path]
    assert argv[0] == "gunicorn" and argv[1] == "-c", f"unexpected command {argv}"
    app_module = argv[3].split(":")[0]
    top, path = module_file(app_module)
    return top, [ROOT / argv[2], path]


def all_commands() -> list[tuple[str, list[str]]]:
    found = [
        (f"compose:{name}", svc["command"])
        for name, svc in compose().items()
        if name not in INFRA | {"gateway", "demo"}
    ]
    for doc in k8s_docs():
        pod = pod_spec(doc)
        found += [
            (f"k8s:{doc['metadata']['name']}", c["command"])
            for c in pod.get("containers", [])
            if "command" in c
        ]
    return found


@pytest.mark.parametrize(("where", "argv"), all_commands(), ids=lambda v: str(v)[:60])
def test_every_command_names_a_real_module_or_file(where: str, argv: list[str]) -> None:
    owner, files = needed_files(argv)
    missing = [str(p.relative_to(ROOT)) for p in files if not p.is_file()]
    if missing and owner in SERVICES:
        pytest.skip(f"{where}: the {owner} service has no {', '.join(missing)} yet")
    assert not missing, f"{where}: {argv} needs {missing}"


# --- Dockerfile ------------------------------------------------------------------------------
def test_one_slim_non_root_image_installs_shared_and_every_service_pinned() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.M)
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert "COPY requirements/constraints.txt" in text
    assert (ROOT / "requirements" / "constraints.txt").is_file()
    install = re.search(r"pip install --no-cache-dir -c requirements/constraints.txt([^&]*)", text)
    assert install, "pip install must be pinned by the constraints file"
    for package in ["./shared", *(f"./services/{svc}" for svc in SERVICES)]:
        assert package in install.group(1).split()


def test_dockerignore_keeps_local_state_out_of_the_build_context() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".venv", ".cache", ".git", "tests", "bench"} <= ignored


# --- docker-compose.yml ----------------------------------------------------------------------
def test_compose_runs_the_infrastructure_and_every_api_and_worker() -> None:
    services = compose()
    assert INFRA | ONE_SHOT | set(APIS) | set(WORKERS) <= set(services)
    assert services["mongo"]["image"] == "mongo:7"
    assert services["kafka"]["image"] == "apache/kafka:4.1.1"
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    assert services["demo"]["profiles"] == ["demo"]


def test_every_long_running_service_has_a_healthcheck() -> None:
    for name, service in compose().items():
        if name in ONE_SHOT:
            assert service.get("restart") == "no", f"{name} is a one-shot job"
            continue
        check = service.get("healthcheck") or {}
        assert check.get("test") and not check.get("disable"), f"{name} has no healthcheck"


def test_infra_healthchecks_use_the_tools_each_image_ships() -> None:
    services = compose()
    assert "mongosh" in services["mongo"]["healthcheck"]["test"]
    kafka_check = services["kafka"]["healthcheck"]["test"]
    assert "/opt/kafka/bin/kafka-topics.sh" in kafka_check and "--list" in kafka_check


@pytest.mark.parametrize("api", APIS)
def test_api_healthcheck_asks_readyz_on_its_own_port(api: str) -> None:
    port = SERVICES[api.removesuffix("-api")]
    test = " ".join(compose()[api]["healthcheck"]["test"])
    assert f"127.0.0.1:{port}/readyz" in test and "urllib" in test  # slim image: no curl


@pytest.mark.parametrize("name", [*APIS, *WORKERS, "topics", "demo"])
def test_every_platform_process_gets_the_contract_settings_from_the_environment(
    name: str,
) -> None:
    env = env_of(compose()[name])
    assert set(env) >= CONTRACT_ENV, f"{name} lacks {CONTRACT_ENV - set(env)}"
    for var in CONTRACT_ENV:
        assert env[var].startswith("${" + var), f"{name}: {var} must come from the environment"
    assert ":-" not in env["JWT_SECRET"], "JWT_SECRET must have no default"
    assert env["BIND_HOST"] == "0.0.0.0"


@pytest.mark.parametrize("name", [*APIS, *WORKERS])
def test_apis_and_workers_publish_no_host_port_so_they_scale(name: str) -> None:
    assert "ports" not in compose()[name], f"{name}: a fixed host port blocks --scale"


def test_the_store_and_the_mail_ui_are_reachable_from_this_host_only() -> None:
    services = compose()
    assert "ports" not in services["mongo"] or all(
        str(p).startswith("127.0.0.1:") for p in services["mongo"]["ports"]
    )
    assert all(str(p).startswith("127.0.0.1:") for p in services["mailpit"]["ports"])


def test_the_gateway_publishes_8001_to_8003_and_forwards_to_each_api() -> None:
    doc = yaml.safe_load(COMPOSE.read_text())
    gateway = doc["services"]["gateway"]
    targets = {int(str(p).rsplit(":", 1)[1]) for p in gateway["ports"]}
    assert targets == set(SERVICES.values())
    conf = doc["configs"][gateway["configs"][0]["source"]]["content"]
    assert "resolver 127.0.0.11" in conf  # re-resolve, so scaled replicas are found
    for svc, port in SERVICES.items():
        assert f"listen {port};" in conf and f"{svc}-api:{port};" in conf


def test_apis_workers_and_jobs_run_one_image_built_from_the_dockerfile() -> None:
    services = compose()
    apps = [*APIS, *WORKERS, *ONE_SHOT]
    builds = {yaml.safe_dump(services[n].get("build"), sort_keys=True) for n in apps}
    images = {services[n].get("image") for n in apps}
    assert len(builds) == 1 and len(images) == 1, (builds, images)
    build = services[APIS[0]]["build"]
    assert (ROOT / build["context"] / build.get("dockerfile", "Dockerfile")).is_file()


@pytest.mark.parametrize("name", [*APIS, *WORKERS])
def test_apis_and_workers_wait_for_healthy_infra_and_created_topics(name: str) -> None:
    depends = compose()[name]["depends_on"]
    for infra in ("mongo", "kafka"):
        assert depends[infra]["condition"] == "service_healthy"
    assert depends["topics"]["condition"] == "service_completed_successfully"


def test_every_dependency_waits_for_the_right_condition() -> None:
    services = compose()
    for name, service in services.items():
        for target, rule in (service.get("depends_on") or {}).items():
            wanted = "service_completed_successfully" if target in ONE_SHOT else "service_healthy"
            assert rule["condition"] == wanted, f"{name} -> {target}"


def test_compose_and_kubernetes_pass_the_same_settings() -> None:
    compose_keys = set(env_of(compose()[APIS[0]]))
    config = kinds("ConfigMap")[SETTINGS_CONFIGMAP]
    secret = kinds("Secret")[SETTINGS_SECRET]
    assert compose_keys == set(config["data"]) | set(secret["stringData"])


# --- deploy/k8s ------------------------------------------------------------------------------
def test_every_manifest_is_named_and_namespaced() -> None:
    for doc in k8s_docs():
        assert doc.get("apiVersion") and doc.get("kind") and doc["metadata"].get("name"), doc
        if doc["kind"] in NAMESPACED:
            assert doc["metadata"].get("namespace") == "smartcity", doc["metadata"]["name"]
    assert "smartcity" in kinds("Namespace")


def test_every_workload_selector_matches_its_pod_labels() -> None:
    for doc in kinds("Deployment").values():
        selector = doc["spec"]["selector"]["matchLabels"]
        labels = doc["spec"]["template"]["metadata"]["labels"]
        assert selector.items() <= labels.items(), doc["metadata"]["name"]


def test_every_pod_has_limits_and_settings_from_the_configmap_and_secret() -> None:
    config, secret = SETTINGS_CONFIGMAP, SETTINGS_SECRET
    workloads = [*kinds("Deployment").values(), *kinds("Job").values()]
    for doc in [*workloads, *kinds("CronJob").values()]:
        spec = container(doc)
        for part in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(spec["resources"][part]), doc["metadata"]["name"]
        refs = {(k, v["name"]) for ref in spec["envFrom"] for k, v in ref.items()}
        assert {("configMapRef", config), ("secretRef", secret)} <= refs


def test_the_secret_holds_the_credentials_as_marked_placeholders() -> None:
    config = kinds("ConfigMap")[SETTINGS_CONFIGMAP]
    secret = kinds("Secret")[SETTINGS_SECRET]
    assert set(secret["stringData"]) == SECRET_ENV
    for doc in kinds("Secret").values():
        assert all("change-me" in value for value in doc["stringData"].values())
    assert not SECRET_ENV & set(config["data"]), "no secret in the ConfigMap"
    assert set(config["data"]) | SECRET_ENV >= CONTRACT_ENV


def port_number(spec: dict[str, Any], port: int | str) -> int:
    by_name = {p["name"]: p["containerPort"] for p in spec.get("ports", []) if "name" in p}
    return by_name[port] if isinstance(port, str) else port


@pytest.mark.parametrize("api", APIS)
def test_api_deployment_probes_healthz_and_readyz_on_its_port(api: str) -> None:
    spec = container(kinds("Deployment")[api])
    port = SERVICES[api.removesuffix("-api")]
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz?only=store")):
        get = spec[probe]["httpGet"]
        assert get["path"] == path and port_number(spec, get["port"]) == port, probe


@pytest.mark.parametrize("api", APIS)
def test_api_has_a_service_and_a_cpu_autoscaler_targeting_it(api: str) -> None:
    deployment = kinds("Deployment")[api]
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    service = kinds("Service")[api]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    (port,) = service["spec"]["ports"]
    assert port_number(container(deployment), port["targetPort"]) == SERVICES[api[:-4]]
    assert_cpu_hpa(kinds("HorizontalPodAutoscaler")[api], api)


@pytest.mark.parametrize("worker", WORKERS)
def test_worker_is_alive_checked_and_scales_at_most_to_the_partition_count(worker: str) -> None:
    spec = container(kinds("Deployment")[worker])
    assert spec["livenessProbe"]["httpGet"]["path"] in {"/metrics", "/healthz"}
    assert "ports" not in spec or all("hostPort" not in p for p in spec["ports"])
    hpa = kinds("HorizontalPodAutoscaler")[worker]
    assert_cpu_hpa(hpa, worker)
    assert hpa["spec"]["maxReplicas"] <= PARTITIONS


def assert_cpu_hpa(hpa: dict[str, Any], deployment: str) -> None:
    assert hpa["apiVersion"] == "autoscaling/v2"
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment)
    assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    metrics = {m["resource"]["name"] for m in hpa["spec"]["metrics"] if m["type"] == "Resource"}
    assert "cpu" in metrics


def test_a_job_creates_the_topics() -> None:
    commands = [container(job)["command"] for job in kinds("Job").values()]
    assert ["python", "-m", "smartcity_shared.topics"] in commands


def test_keda_scaledobjects_scale_the_workers_on_their_consumer_group() -> None:
    objects = kinds("ScaledObject")
    deployments = kinds("Deployment")
    for name, obj in objects.items():
        assert obj["spec"]["scaleTargetRef"]["name"] in deployments
        assert obj["spec"]["maxReplicaCount"] <= PARTITIONS
        kafka = [t for t in obj["spec"]["triggers"] if t["type"] == "kafka"]
        assert kafka and kafka[0]["metadata"]["consumerGroup"] == name.removesuffix("-worker")
    assert set(objects) == set(WORKERS)


def test_every_kustomization_lists_every_manifest_of_its_folder() -> None:
    for kustomization in K8S.rglob("kustomization.yaml"):
        folder = kustomization.parent
        listed = yaml.safe_load(kustomization.read_text()).get("resources", [])
        files = {p.name for p in folder.glob("*.yaml")} - {"kustomization.yaml"}
        assert {r for r in listed if (folder / r).is_file()} == files, folder
        assert all((folder / r).exists() for r in listed), folder


def test_the_keda_component_deletes_exactly_the_worker_hpas() -> None:
    component = yaml.safe_load((K8S / "components" / "keda" / "kustomization.yaml").read_text())
    assert component["kind"] == "Component"
    deleted = {yaml.safe_load(p["patch"])["metadata"]["name"] for p in component["patches"]}
    assert deleted == set(WORKERS)


def test_manifests_validate_against_the_kubernetes_schemas() -> None:
    import kubernetes_validate as kv  # a dev tool of `make install`: missing is a failure

    for doc in k8s_docs():
        if doc["kind"] not in CRDS:
            kv.validate(doc, "1.30.0", strict=True)


def test_kustomize_renders_the_base_the_overlays_and_the_keda_component(tmp_path: Path) -> None:
    binary = kustomize()
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    overlay.joinpath("kustomization.yaml").write_text(
        yaml.safe_dump(
            {  # paths must be relative
                "resources": [os.path.relpath(K8S / "base", overlay)],
                "components": [os.path.relpath(K8S / "components" / "keda", overlay)],
            }
        )
    )
    base = rendered(binary, K8S / "base")
    assert len(base) == len(k8s_docs(K8S / "base"))
    with_keda = rendered(binary, overlay)
    hpas = {d["metadata"]["name"] for d in with_keda if d["kind"] == "HorizontalPodAutoscaler"}
    assert hpas == {*APIS, "portal"}
    for name in ("dev", "production"):
        docs = rendered(binary, K8S / "overlays" / name)
        assert {d["kind"] for d in base} <= {d["kind"] for d in docs}, name


def kustomize() -> Path:
    """The pinned kustomize `make install` builds (a missing binary is a failed install)."""
    binary = ROOT / ".cache" / "bin" / "kustomize"
    found = shutil.which("kustomize")
    assert binary.is_file() or found, "kustomize missing: run `make install`"
    return binary if binary.is_file() else Path(str(found))


def rendered(binary: str | Path, folder: Path) -> list[dict[str, Any]]:
    out = subprocess.run(
        [str(binary), "build", str(folder)], capture_output=True, text=True, check=True, timeout=60
    )
    return [d for d in yaml.safe_load_all(out.stdout) if d]


# --- docs/OPERATIONS.md ----------------------------------------------------------------------
def test_operations_guide_names_every_topic_and_its_dead_letter_topic() -> None:
    text = (ROOT / "docs" / "OPERATIONS.md").read_text()
    for topic in TOPICS:
        assert f"`{topic}`" in text and f"`{topic}.dlq`" in text, topic


# --- the portal -----------------------------------------------------------------------------
def test_the_portal_runs_in_compose_and_kubernetes_from_the_same_image_with_its_assets() -> None:
    portal = compose()["portal"]
    assert portal["command"][-1] == "portal.wsgi:app"
    assert "8000" in portal["ports"][0] and "/healthz" in portal["healthcheck"]["test"][-1]
    assert portal["environment"]["EVALUATION_API_URL"] == "http://evaluation-api:8001"
    deployment = kinds("Deployment")["portal"]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["command"][-1] == "portal.wsgi:app"
    assert container["ports"][0]["containerPort"] == 8000
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "./services/portal" in dockerfile and "ENV ASSETS_DIR=/app/assets" in dockerfile
    pinned = (ROOT / "deploy" / "assets.txt").read_text()
    assert re.search(r"^htmx\.org \d+\.\d+\.\d+", pinned, re.M), "htmx pinned to an exact version"
