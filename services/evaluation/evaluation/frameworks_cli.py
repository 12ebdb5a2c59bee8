"""`python -m evaluation.frameworks_cli load|list`: the shipped frameworks in the store.

`load` stores each shipped framework (`evaluation/frameworks/*.json`) as version 1 and
publishes it; a framework whose key exists is left alone (idempotent; a changed shipped file
becomes a new version only through the API's edit, so published results never change).
Writes go straight to the service's store (settings from the environment), as an admin would.
"""

from __future__ import annotations

import argparse
import sys

from smartcity_shared.errors import Conflict
from smartcity_shared.identity import Identity
from smartcity_shared.settings import Settings

from . import bootstrap, frameworks
from .domain import shipped_documents

SYSTEM = Identity(
    sub="frameworks-cli", role="admin", region="*", name="frameworks_cli", catalogue=True
)


def load(ctx: bootstrap.Context) -> list[str]:
    """Store and publish every shipped framework not in the store yet; returns what it did."""
    store = ctx.store("frameworks")
    done = []
    for key, document in shipped_documents().items():
        try:
            frameworks.create_framework(store, SYSTEM, document)
            done.append(f"{key}: stored version 1")
        except Conflict:
            done.append(f"{key}: present")
        for version in frameworks.versions_of(store, key):
            if version["status"] == frameworks.DRAFT and version["version"] == 1:
                frameworks.publish_framework(store, SYSTEM, key, 1, None)
                done.append(f"{key}: published version 1")
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["load", "list"])
    args = parser.parse_args(argv)
    ctx = bootstrap.build(Settings.from_env(bootstrap.SERVICE))
    bootstrap.ensure_indexes(ctx)
    if args.command == "load":
        for line in load(ctx):
            print(line)
    else:
        for item in frameworks.list_frameworks(ctx.store("frameworks"), SYSTEM):
            print(f"{item['key']}: latest v{item['latest_version']}, "
                  f"published v{item['published_version']} ({item['name']})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
