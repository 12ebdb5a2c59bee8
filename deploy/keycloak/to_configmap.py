#!/usr/bin/env python3
"""Write deploy/k8s/base/keycloak-realm.yaml from deploy/keycloak/smartcity-realm.json (stdlib)."""

from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE.parent / "k8s" / "base" / "keycloak-realm.yaml"


def main() -> None:
    realm = (HERE / "smartcity-realm.json").read_text().rstrip("\n").split("\n")
    head = TARGET.read_text().split("\ndata:\n", 1)[0]
    body = "\n".join("    " + line if line else "" for line in realm)
    TARGET.write_text(f"{head}\ndata:\n  smartcity-realm.json: |\n{body}\n")


if __name__ == "__main__":
    main()
