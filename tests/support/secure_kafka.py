"""A one-node Kafka broker that accepts clients only over TLS with SASL/SCRAM-SHA-512 (the same
jars as the stack's broker): a self-signed certificate made with the JDK's keytool, SCRAM
users written at format time. For tests of the platform's secured Kafka settings."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.stack import ROOT, port_open

LIBS = ROOT / ".cache" / "kafka" / "libs"
LOG4J = ROOT / "deploy" / "local" / "kafka" / "log4j2.properties"
STOREPASS = "local-keystore-pass"
ADMIN = ("broker-admin", "broker-admin-secret")
USER = ("smartcity", "smartcity-scram-secret")


@dataclass(frozen=True)
class SecureBroker:
    bootstrap: str
    cafile: Path
    user: tuple[str, str] = USER


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _java(*args: str) -> list[str]:
    return ["java", "-Xmx256m", f"-Dlog4j2.configurationFile={LOG4J}", "-cp", f"{LIBS}/*", *args]


def _certificate(folder: Path) -> tuple[Path, Path]:
    keystore, cafile = folder / "broker.p12", folder / "ca.pem"
    common = ["-keystore", str(keystore), "-storetype", "PKCS12", "-storepass", STOREPASS]
    subprocess.run(
        [
            "keytool",
            "-genkeypair",
            "-alias",
            "broker",
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-dname",
            "CN=localhost",
            "-ext",
            "SAN=ip:127.0.0.1,dns:localhost",
            "-validity",
            "2",
            *common,
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    subprocess.run(
        ["keytool", "-exportcert", "-rfc", "-alias", "broker", "-file", str(cafile), *common],
        check=True,
        capture_output=True,
        timeout=60,
    )
    trust = ["-keystore", str(folder / "trust.p12"), "-storetype", "PKCS12"]
    subprocess.run(
        [
            "keytool",
            "-importcert",
            "-noprompt",
            "-alias",
            "ca",
            "-file",
            str(cafile),
            *trust,
            "-storepass",
            STOREPASS,
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # the broker talks to itself over SASL_SSL too
    return keystore, cafile


def _properties(folder: Path, port: int, controller: int, keystore: Path) -> Path:
    jaas = (
        "org.apache.kafka.common.security.scram.ScramLoginModule required "
        f'username="{ADMIN[0]}" password="{ADMIN[1]}";'
    )
    props = folder / "server.properties"
    props.write_text(
        "\n".join(
            [
                "process.roles=broker,controller",
                "node.id=1",
                f"controller.quorum.bootstrap.servers=127.0.0.1:{controller}",
                f"listeners=SASL_SSL://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller}",
                f"advertised.listeners=SASL_SSL://127.0.0.1:{port}",
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=SASL_SSL",
                "listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT",
                "sasl.enabled.mechanisms=SCRAM-SHA-512",
                "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
                f"listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config={jaas}",
                f"ssl.keystore.location={keystore}",
                "ssl.keystore.type=PKCS12",
                f"ssl.keystore.password={STOREPASS}",
                f"ssl.truststore.location={keystore.with_name('trust.p12')}",
                "ssl.truststore.type=PKCS12",
                f"ssl.truststore.password={STOREPASS}",
                f"log.dirs={folder / 'data'}",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "auto.create.topics.enable=false",
                "group.initial.rebalance.delay.ms=0",
                "num.network.threads=2",
                "num.io.threads=2",
            ]
        )
        + "\n"
    )
    return props


@contextmanager
def secure_broker(folder: Path, patience: float = 180) -> Iterator[SecureBroker]:
    """Start the broker in `folder`; stopped (SIGTERM, then SIGKILL) when the block ends."""
    port, controller = free_port(), free_port()
    keystore, cafile = _certificate(folder)
    props = _properties(folder, port, controller, keystore)
    cluster_id = subprocess.run(
        _java("kafka.tools.StorageTool", "random-uuid"),
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.split()[-1]
    users = [f"SCRAM-SHA-512=[name={n},password={p}]" for n, p in (ADMIN, USER)]
    scram = [arg for user in users for arg in ("--add-scram", user)]
    subprocess.run(
        _java(
            "kafka.tools.StorageTool",
            "format",
            "-t",
            cluster_id,
            "-c",
            str(props),
            "--standalone",
            *scram,
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )
    with open(folder / "broker.log", "wb") as log:
        proc = subprocess.Popen(
            _java("kafka.Kafka", str(props)), stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + patience
        while not port_open("127.0.0.1", port):
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = (folder / "broker.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"the secured broker did not start:\n{tail}")
            time.sleep(0.5)
        yield SecureBroker(f"127.0.0.1:{port}", cafile)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
