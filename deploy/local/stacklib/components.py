"""The components: how each is prepared, started, recognised and found ready."""

from __future__ import annotations

import shutil
from pathlib import Path
from string import Template

from .config import (
    FERRETDB_BIN,
    KAFKA_LIBS,
    KEYCLOAK_ZIP,
    LOCAL_DIR,
    ROOT,
    SERVICES,
    VENV,
    VENV_PY,
    WORKER_ONLY,
    Settings,
)
from .install import run_step
from .keycloak import (
    database,
    initialized_mark,
    issuer_ready_url,
    keycloak_argv,
    keycloak_env,
    prepare_home,
)
from .readiness import (
    KAFKA_PROBE,
    STORE_PROBE,
    Proc,
    stays_alive,
    wait_http_ok,
    wait_port,
    wait_probe,
)


class Component:
    """Base: subclasses give the command, the ports and the readiness check."""

    name = ""
    tier = 0  # 0 infra, 1 API, 2 worker: `down` stops higher tiers first
    port_var = ""

    def ports(self, s: Settings) -> list[int]:
        return []

    def markers(self, s: Settings) -> list[str]:
        return []

    def missing(self, s: Settings) -> str | None:
        """Why this component cannot start in this checkout yet, or None."""
        return None

    def external(self, s: Settings) -> bool:
        return False

    def prepare(self, s: Settings) -> None:
        pass

    def argv(self, s: Settings) -> list[str]:
        raise NotImplementedError

    def env(self, s: Settings) -> dict[str, str]:
        return {}

    def ready(self, s: Settings, proc: Proc, since: float) -> None:
        """Return once ready (`since`: launch time); NotReadyError if it dies or times out."""
        raise NotImplementedError


class Kafka(Component):
    name, port_var = "kafka", "KAFKA_BOOTSTRAP_SERVERS"

    def ports(self, s: Settings) -> list[int]:
        return [s.kafka_port, s.controller_port]

    def props(self, s: Settings) -> Path:
        return s.state_dir / "kafka" / "server.properties"

    def markers(self, s: Settings) -> list[str]:
        return ["kafka.Kafka", str(self.props(s))]

    def missing(self, s: Settings) -> str | None:
        return (
            None
            if any(KAFKA_LIBS.glob("kafka_*.jar"))
            else "Kafka jars missing: run `make install`"
        )

    def external(self, s: Settings) -> bool:
        return s.external("kafka")

    def _java(self) -> list[str]:
        log4j = LOCAL_DIR / "kafka" / "log4j2.properties"
        return ["java", f"-Dlog4j2.configurationFile={log4j}", "-cp", f"{KAFKA_LIBS}/*"]

    def prepare(self, s: Settings) -> None:
        data = s.state_dir / "kafka" / "data"
        data.mkdir(parents=True, exist_ok=True)
        tmpl = Template((LOCAL_DIR / "kafka" / "server.properties.tmpl").read_text())
        self.props(s).write_text(
            tmpl.substitute(
                KAFKA_PORT=s.kafka_port, CONTROLLER_PORT=s.controller_port, LOG_DIRS=data
            )
        )
        if (data / "meta.properties").exists():
            return
        hint = "see the output above; delete the state dir (`up --fresh`) if it is corrupt"
        uuid = run_step(
            "kafka format", [*self._java(), "kafka.tools.StorageTool", "random-uuid"], hint
        )
        run_step(
            "kafka format",
            [
                *self._java(),
                "kafka.tools.StorageTool",
                "format",
                "-t",
                uuid.strip().splitlines()[-1],
                "-c",
                str(self.props(s)),
                "--standalone",
            ],
            hint,
        )

    def argv(self, s: Settings) -> list[str]:
        java = self._java()
        return [
            java[0],
            "-Xmx512m",
            "-Xms512m",
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-Djava.awt.headless=true",
            *java[1:],
            "kafka.Kafka",
            str(self.props(s)),
        ]

    def ready(self, s: Settings, proc: Proc, since: float) -> None:
        wait_port(proc, 60, s.kafka_port)
        wait_probe(proc, 60, KAFKA_PROBE, s.bootstrap, "a metadata round trip (list topics)")


class KafkaNode(Kafka):
    """Broker and controller `index` (0-based) of the cluster profile's three-node KRaft
    quorum; every node is formatted with the one cluster id kept in the state dir."""

    def __init__(self, index: int) -> None:
        self.index, self.name = index, f"kafka-{index + 1}"

    def ports(self, s: Settings) -> list[int]:
        return list(s.broker_ports(self.index))

    def props(self, s: Settings) -> Path:
        return s.state_dir / self.name / "server.properties"

    def _cluster_id(self, s: Settings) -> str:
        path = s.state_dir / "kafka-cluster.id"
        if not path.is_file():
            hint = "see the output above"
            out = run_step(
                "kafka format", [*self._java(), "kafka.tools.StorageTool", "random-uuid"], hint
            )
            path.write_text(out.strip().splitlines()[-1])
        return path.read_text().strip()

    def prepare(self, s: Settings) -> None:
        data = s.state_dir / self.name / "data"
        data.mkdir(parents=True, exist_ok=True)
        voters = ",".join(f"{n + 1}@127.0.0.1:{s.broker_ports(n)[1]}" for n in range(s.brokers))
        listener, controller = s.broker_ports(self.index)
        tmpl = Template((LOCAL_DIR / "kafka" / "server-cluster.properties.tmpl").read_text())
        self.props(s).write_text(
            tmpl.substitute(
                NODE_ID=self.index + 1,
                VOTERS=voters,
                KAFKA_PORT=listener,
                CONTROLLER_PORT=controller,
                LOG_DIRS=data,
            )
        )
        if (data / "meta.properties").exists():
            return
        run_step(
            "kafka format",
            [
                *self._java(),
                "kafka.tools.StorageTool",
                "format",
                "-t",
                self._cluster_id(s),
                "-c",
                str(self.props(s)),
            ],
            "see the output above; delete the state dir (`up --fresh`) if it is corrupt",
        )

    def argv(self, s: Settings) -> list[str]:
        argv = super().argv(s)
        return [a.replace("-Xmx512m", "-Xmx384m").replace("-Xms512m", "-Xms384m") for a in argv]

    def ready(self, s: Settings, proc: Proc, since: float) -> None:
        # The quorum forms once a majority of nodes runs: all are launched before any waits.
        wait_port(proc, 90, s.broker_ports(self.index)[0])
        wait_probe(proc, 90, KAFKA_PROBE, s.bootstrap, "a metadata round trip (list topics)")


class Store(Component):
    name, port_var = "store", "MONGO_URI"

    def ports(self, s: Settings) -> list[int]:
        return [s.store_port]

    def markers(self, s: Settings) -> list[str]:
        return ["ferretdb-local", str(s.state_dir / "store")]

    def missing(self, s: Settings) -> str | None:
        return None if FERRETDB_BIN.is_file() else "FerretDB binary missing: run `make install`"

    def external(self, s: Settings) -> bool:
        return s.external("store")

    def argv(self, s: Settings) -> list[str]:
        return [
            str(FERRETDB_BIN),
            "-listen",
            f"127.0.0.1:{s.store_port}",
            "-dir",
            str(s.state_dir / "store"),
        ]

    def ready(self, s: Settings, proc: Proc, since: float) -> None:
        wait_port(proc, 20, s.store_port)
        wait_probe(proc, 20, STORE_PROBE, s.mongo_uri, "a mongo ping")


class Mail(Component):
    name, port_var = "mail", "SMTP_PORT / MAILSINK_HTTP_PORT"

    def ports(self, s: Settings) -> list[int]:
        return [s.smtp_port, s.mail_http_port]

    def markers(self, s: Settings) -> list[str]:
        return ["mailsink.py", str(s.mail_dir)]

    def external(self, s: Settings) -> bool:
        return s.external("mail")

    def argv(self, s: Settings) -> list[str]:
        return [
            str(VENV_PY),
            str(LOCAL_DIR / "mailsink.py"),
            "--smtp-port",
            str(s.smtp_port),
            "--http-port",
            str(s.mail_http_port),
            "--dir",
            str(s.mail_dir),
        ]

    def ready(self, s: Settings, proc: Proc, since: float) -> None:
        for port in self.ports(s):
            wait_port(proc, 15, port)


class Keycloak(Component):
    """The OIDC provider (dev mode, H2 database in the state dir), realm imported."""

    name, port_var = "keycloak", "KEYCLOAK_PORT"

    def ports(self, s: Settings) -> list[int]:
        return [s.keycloak_port]

    def markers(self, s: Settings) -> list[str]:
        return ["keycloak", str(database(s))]

    def missing(self, s: Settings) -> str | None:
        return None if KEYCLOAK_ZIP.is_file() else "Keycloak missing: run `make install`"

    def external(self, s: Settings) -> bool:
        """OIDC_ISSUER pointing at another provider: the stack does not run one."""
        return not s.oidc["OIDC_ISSUER"].startswith(f"http://127.0.0.1:{s.keycloak_port}/")

    def prepare(self, s: Settings) -> None:
        prepare_home(s)

    def argv(self, s: Settings) -> list[str]:
        return keycloak_argv(s)

    def env(self, s: Settings) -> dict[str, str]:
        return keycloak_env(s)

    def ready(self, s: Settings, proc: Proc, since: float) -> None:
        # ~16 s on an idle machine; a first start under load has taken several minutes.
        wait_http_ok(proc, 600, issuer_ready_url(s))
        initialized_mark(s).touch()


def module_exists(package_root: Path, package: str, module: str) -> bool:
    """Whether `package.module` is in `package_root` (flat or src/ layout, module or package)."""
    for base in (package_root / package, package_root / "src" / package):
        if (base / f"{module}.py").is_file() or (base / module / "__init__.py").is_file():
            return True
    return False


class Api(Component):
    tier = 1

    def __init__(self, svc: str) -> None:
        self.svc, self.name, self.port_var = svc, f"{svc}-api", f"{svc.upper()}_PORT"

    def ports(self, s: Settings) -> list[int]:
        return [s.api_ports[self.svc]]

    def markers(self, s: Settings) -> list[str]:
        return [f"{self.svc}.wsgi:app"]

    def missing(self, s: Settings) -> str | None:
        found = module_exists(ROOT / "services" / self.svc, self.svc, "wsgi")
        return None if found else f"services/{self.svc}/{self.svc}/wsgi.py does not exist yet"

    def metrics_dir(self, s: Settings) -> Path:
        return s.state_dir / "metrics" / self.svc

    def prepare(self, s: Settings) -> None:
        # prometheus-client's multiprocess files must not outlive the gunicorn that wrote them.
        shutil.rmtree(self.metrics_dir(s), ignore_errors=True)
        self.metrics_dir(s).mkdir(parents=True)

    def env(self, s: Settings) -> dict[str, str]:
        return {"PROMETHEUS_MULTIPROC_DIR": str(self.metrics_dir(s))}

    def argv(self, s: Settings) -> list[str]:
        gunicorn = str(VENV / "bin" / "gunicorn")
        conf = ROOT / "services" / self.svc / "gunicorn.conf.py"
        if conf.is_file():  # it binds to 127.0.0.1:<SVC>_PORT from the environment
            return [gunicorn, "-c", str(conf), f"{self.svc}.wsgi:app"]
        return [gunicorn, "--bind", f"127.0.0.1:{s.api_ports[self.svc]}", f"{self.svc}.wsgi:app"]

    def ready(self, s: Settings, proc: Proc, since: float) -> None:
        wait_http_ok(proc, 60, f"http://127.0.0.1:{s.api_ports[self.svc]}/readyz")


class Worker(Component):
    tier = 2

    def __init__(self, svc: str) -> None:
        self.svc, self.name = svc, f"{svc}-worker"

    def markers(self, s: Settings) -> list[str]:
        return [f"{self.svc}.worker"]

    def missing(self, s: Settings) -> str | None:
        found = module_exists(ROOT / "services" / self.svc, self.svc, "worker")
        return None if found else f"services/{self.svc}/{self.svc}/worker.py does not exist yet"

    def argv(self, s: Settings) -> list[str]:
        return [str(VENV_PY), "-m", f"{self.svc}.worker"]

    def ready(self, s: Settings, proc: Proc, since: float) -> None:
        stays_alive(proc, since, 2)


class Portal(Component):
    """The web UI (gunicorn like the APIs), calling the APIs with the signed-in user's token."""

    tier = 1
    name, port_var = "portal", "PORTAL_PORT"

    def ports(self, s: Settings) -> list[int]:
        return [s.portal_port]

    def markers(self, s: Settings) -> list[str]:
        return ["portal.wsgi:app"]

    def missing(self, s: Settings) -> str | None:
        found = module_exists(ROOT / "services" / "portal", "portal", "wsgi")
        return None if found else "services/portal/portal/wsgi.py does not exist yet"

    def argv(self, s: Settings) -> list[str]:
        conf = ROOT / "services" / "portal" / "gunicorn.conf.py"
        return [str(VENV / "bin" / "gunicorn"), "-c", str(conf), "portal.wsgi:app"]

    def ready(self, s: Settings, proc: Proc, since: float) -> None:
        wait_http_ok(proc, 60, f"http://127.0.0.1:{s.portal_port}/healthz")


# Store and mail first: they start while Kafka formats its storage, and are ready first.
INFRA: list[Component] = [Store(), Mail(), Kafka()]
APIS: list[Component] = [Api(svc) for svc in SERVICES]
WORKERS: list[Component] = [Worker(svc) for svc in (*SERVICES, *WORKER_ONLY)]
# Keycloak (~16 s, ~0.5 GB) starts with the full `up`, not with `up --infra-only`; tests that
# need it start it on their own (`stack.py start keycloak`).
IDENTITY: list[Component] = [Keycloak()]
# The portal starts after the APIs it calls (and the provider it signs people in with).
UI: list[Component] = [Portal()]
KAFKA_NODES: list[Component] = [KafkaNode(n) for n in range(3)]
ALL: dict[str, Component] = {
    c.name: c for c in INFRA + KAFKA_NODES + IDENTITY + APIS + UI + WORKERS
}


def infra(s: Settings) -> list[Component]:
    """Store, mail and Kafka: one broker, or the cluster profile's nodes."""
    if s.brokers == 1:
        return INFRA
    return [c for c in INFRA if c.name != "kafka"] + KAFKA_NODES[: s.brokers]


def identity(s: Settings) -> list[Component]:
    """The sign-in provider and the portal, except in the cluster profile (event-path tests)."""
    return [] if s.brokers > 1 else IDENTITY


def ui(s: Settings) -> list[Component]:
    return [] if s.brokers > 1 else UI


def workers(s: Settings) -> list[Component]:
    """The workers; the accounts worker needs the provider, so not in the cluster profile."""
    return [w for w in WORKERS if s.brokers == 1 or w.name != "accounts-worker"]
