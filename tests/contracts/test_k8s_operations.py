"""What a cluster operator expects of deploy/k8s (issue 16): disruption budgets, network
policies, spread over zones and nodes, the scheduled backup, TLS ingress, monitoring objects
whose alerts and panels use metrics the code really exports, and the production store options.
Read from the files (and `kustomize build`); nothing here needs a cluster."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import yaml

from tests.contracts.test_deploy_files import ROOT, container, k8s_docs, kustomize, pod_spec

K8S = ROOT / "deploy" / "k8s"
MONITORING = K8S / "components" / "monitoring"
SERVING = {"api", "web", "identity"}
# Metrics that come from the cluster (kube-state-metrics, Prometheus itself), not from our code.
EXTERNAL_METRICS = {"kube_pod_status_ready", "up"}
PROMQL_WORDS = {
    "sum",
    "max",
    "min",
    "by",
    "rate",
    "increase",
    "histogram_quantile",
    "le",
    "without",
    "avg",
    "count",
    "on",
    "ignoring",
    "and",
    "or",
    "unless",
}


def base(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in k8s_docs(K8S / "base") if d["kind"] == kind}


def render(folder: Path) -> list[dict[str, Any]]:
    out = subprocess.run(
        [str(kustomize()), "build", str(folder)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return [d for d in yaml.safe_load_all(out.stdout) if d]


def selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    if not selector:
        return True
    if not selector.get("matchLabels", {}).items() <= labels.items():
        return False
    for rule in selector.get("matchExpressions", []):
        value = labels.get(rule["key"])
        if rule["operator"] == "In" and value not in rule["values"]:
            return False
    return True


def pod_labels(deployment: dict[str, Any]) -> dict[str, str]:
    return deployment["spec"]["template"]["metadata"]["labels"]  # type: ignore[no-any-return]


def test_every_deployment_has_a_disruption_budget_and_serving_ones_keep_a_pod() -> None:
    budgets = list(base("PodDisruptionBudget").values())
    autoscalers = base("HorizontalPodAutoscaler")
    for name, deployment in base("Deployment").items():
        mine = [b for b in budgets if selects(b["spec"]["selector"], pod_labels(deployment))]
        assert len(mine) == 1, name
        if (
            name in autoscalers
            and pod_labels(deployment)["app.kubernetes.io/component"] != "worker"
        ):
            assert mine[0]["spec"].get("minAvailable") == 1, name
            assert autoscalers[name]["spec"]["minReplicas"] >= 2, name


def test_ingress_is_denied_by_default_and_opened_per_component() -> None:
    policies = list(base("NetworkPolicy").values())
    (deny,) = [p for p in policies if p["spec"]["podSelector"] == {}]
    assert deny["spec"]["policyTypes"] == ["Ingress"] and "ingress" not in deny["spec"]
    for name, deployment in base("Deployment").items():
        labels = pod_labels(deployment)
        allowed = [
            p for p in policies if p is not deny and selects(p["spec"]["podSelector"], labels)
        ]
        ports = {
            port["port"]
            for p in allowed
            for rule in p["spec"]["ingress"]
            for port in rule.get("ports", [])
        }
        served = {c["containerPort"] for c in container(deployment).get("ports", [])}
        if labels["app.kubernetes.io/component"] in SERVING:
            assert served & ports, f"{name}: nothing may reach its ports {served}"


def test_only_the_services_reach_a_store_or_broker_in_the_namespace() -> None:
    (policy,) = [
        p
        for p in base("NetworkPolicy").values()
        if selects(p["spec"]["podSelector"], {"app.kubernetes.io/component": "store"})
        and p["spec"]["podSelector"] != {}
    ]
    (rule,) = policy["spec"]["ingress"]
    components = {"api", "worker", "init", "backup", "web", "identity"}
    reach = {
        c
        for c in components
        for peer in rule["from"]
        if selects(peer["podSelector"], {"app.kubernetes.io/component": c})
    }
    assert reach == {"api", "worker", "init", "backup"}


def test_every_deployment_spreads_over_zones_and_nodes_without_blocking() -> None:
    for name, deployment in base("Deployment").items():
        constraints = pod_spec(deployment)["topologySpreadConstraints"]
        keys = {c["topologyKey"] for c in constraints}
        assert keys == {"topology.kubernetes.io/zone", "kubernetes.io/hostname"}, name
        for c in constraints:
            assert c["whenUnsatisfiable"] == "ScheduleAnyway", name
            assert selects(c["labelSelector"], pod_labels(deployment)), name


def test_a_daily_backup_dumps_the_databases_onto_a_claimed_volume() -> None:
    (job,) = base("CronJob").values()
    spec = container(job)
    command = spec["command"]
    assert command[:4] == ["python", "-m", "smartcity_shared.backup", "dump"]
    out = command[command.index("--out") + 1]
    assert int(command[command.index("--keep") + 1]) >= 7
    mounts = {m["mountPath"]: m["name"] for m in spec["volumeMounts"]}
    volumes = {v["name"]: v for v in pod_spec(job)["volumes"]}
    claim = volumes[mounts[out]]["persistentVolumeClaim"]["claimName"]
    assert claim in base("PersistentVolumeClaim")
    assert job["spec"]["concurrencyPolicy"] == "Forbid"


def test_production_serves_the_portal_sso_and_apis_over_tls() -> None:
    docs = render(K8S / "overlays" / "production")
    (ingress,) = [d for d in docs if d["kind"] == "Ingress"]
    services = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Service"}
    tls_hosts = {h for t in ingress["spec"]["tls"] for h in t["hosts"]}
    backends = set()
    for rule in ingress["spec"]["rules"]:
        assert rule["host"] in tls_hosts
        for path in rule["http"]["paths"]:
            backend = path["backend"]["service"]
            ports = {p["port"] for p in services[backend["name"]]["spec"]["ports"]}
            assert backend["port"]["number"] in ports
            backends.add(backend["name"])
    assert backends == {
        "portal",
        "keycloak",
        "evaluation-api",
        "innovation-api",
        "notification-api",
    }
    config = next(
        d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "smartcity-config"
    )
    for setting in ("PORTAL_BASE_URL", "OIDC_ISSUER"):
        assert urlparse(config["data"][setting]).hostname in tls_hosts, setting
    kinds = {d["kind"] for d in docs}
    assert {"PodMonitor", "PrometheusRule"} <= kinds


def test_the_dev_overlay_runs_one_replica_of_everything() -> None:
    docs = render(K8S / "overlays" / "dev")
    for doc in docs:
        if doc["kind"] == "Deployment":
            assert doc["spec"]["replicas"] == 1, doc["metadata"]["name"]
        if doc["kind"] == "HorizontalPodAutoscaler":
            assert doc["spec"]["minReplicas"] == 1, doc["metadata"]["name"]
        if doc["kind"] == "PodDisruptionBudget":  # one replica: a drain must stay possible
            assert "minAvailable" not in doc["spec"], doc["metadata"]["name"]


def test_the_store_uri_asks_for_majority_writes_and_retries() -> None:
    (secret,) = [d for n, d in base("Secret").items() if n == "smartcity-secrets"]
    options = parse_qs(urlparse(secret["stringData"]["MONGO_URI"]).query)
    assert options["w"] == ["majority"] and options["retryWrites"] == ["true"]
    assert options["readConcernLevel"] == ["majority"] and options["tls"] == ["true"]


# --- monitoring ------------------------------------------------------------------------------
def exported_metrics() -> set[str]:
    """Names the code registers (Counter/Gauge/Histogram), with the series Prometheus adds."""
    names: set[str] = set()
    pattern = re.compile(r'\b(Counter|Gauge|Histogram)\(\s*"([a-z_]+)"', re.S)
    for path in [*ROOT.glob("shared/smartcity_shared/**/*.py"), *ROOT.glob("services/*/*/**/*.py")]:
        for kind, name in pattern.findall(path.read_text()):
            names.add(name)
            if kind == "Histogram":
                names |= {f"{name}_bucket", f"{name}_sum", f"{name}_count"}
    return names


def metrics_in(expr: str) -> set[str]:
    expr = re.sub(r"\{[^}]*\}", "", expr)  # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)  # ranges
    expr = re.sub(r"\bby\s*\([^)]*\)", "", expr)  # grouping labels
    words = set(re.findall(r"\b[a-z_][a-z0-9_]*\b", expr))
    return words - PROMQL_WORDS


def alerts() -> list[dict[str, Any]]:
    rules = yaml.safe_load((MONITORING / "prometheus-rules.yaml").read_text())
    return [r for group in rules["spec"]["groups"] for r in group["rules"]]


def test_every_alert_watches_metrics_the_platform_exports_and_is_documented() -> None:
    known = exported_metrics() | EXTERNAL_METRICS
    operations = (ROOT / "docs" / "OPERATIONS.md").read_text()
    for rule in alerts():
        assert metrics_in(rule["expr"]) <= known, rule["alert"]
        assert metrics_in(rule["expr"]) & known, rule["alert"]
        assert f"`{rule['alert']}`" in operations, f"docs/OPERATIONS.md misses {rule['alert']}"
    names = {r["alert"] for r in alerts()}
    assert {
        "ConsumerLagGrowing",
        "DeadLettersGrowing",
        "DeliveriesFailing",
        "OutboxBacklog",
        "PodNotReady",
    } <= names


def test_every_dashboard_panel_queries_exported_metrics() -> None:
    dashboard = json.loads((MONITORING / "smartcity-dashboard.json").read_text())
    known = exported_metrics()
    assert dashboard["panels"]
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            used = metrics_in(target["expr"])
            assert used and used <= known, (panel["title"], used - known)
