"""The local stack's cluster profile: three brokers on their own ports, a quorum of three,
topics replicated three times; the dev and test profiles keep one broker."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "deploy" / "local"))

from stacklib import components, config  # noqa: E402


def test_the_cluster_profile_runs_three_brokers_with_replicated_topics() -> None:
    s = config.load("cluster", {})
    assert s.bootstrap == "127.0.0.1:28092,127.0.0.1:28192,127.0.0.1:28292"
    assert [s.broker_ports(n) for n in range(3)] == [(28092, 28093), (28192, 28193), (28292, 28293)]
    assert s.child_env()["KAFKA_TOPIC_REPLICATION"] == "3"
    names = [c.name for c in components.infra(s)]
    assert names == ["store", "mail", "kafka-1", "kafka-2", "kafka-3"]
    assert components.identity(s) == [] and components.ui(s) == []
    assert "accounts-worker" not in [w.name for w in components.workers(s)]


def test_every_cluster_node_knows_all_three_voters(tmp_path: Path) -> None:
    s = config.load("cluster", {"STACK_DIR": str(tmp_path)})
    node = components.KafkaNode(1)
    (tmp_path / "kafka-cluster.id").write_text("test-cluster-id")
    (tmp_path / "kafka-2" / "data").mkdir(parents=True)
    (tmp_path / "kafka-2" / "data" / "meta.properties").write_text("formatted")
    node.prepare(s)
    props = dict(
        line.split("=", 1)
        for line in node.props(s).read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert props["node.id"] == "2"
    voters = "1@127.0.0.1:28093,2@127.0.0.1:28193,3@127.0.0.1:28293"
    assert props["controller.quorum.voters"] == voters
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:28192,CONTROLLER://127.0.0.1:28193"
    assert props["min.insync.replicas"] == "2" and props["default.replication.factor"] == "3"


def test_dev_and_test_keep_one_broker_and_the_provider() -> None:
    for profile in ("dev", "test"):
        s = config.load(profile, {})
        assert s.brokers == 1 and "," not in s.bootstrap
        assert "KAFKA_TOPIC_REPLICATION" not in s.child_env()
        assert [c.name for c in components.infra(s)] == ["store", "mail", "kafka"]
        assert components.identity(s) and components.ui(s)
