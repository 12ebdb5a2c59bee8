"""The innovation domain stays pure, and the service's modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import innovation

FORBIDDEN = {"flask", "flask_smorest", "pymongo", "bson", "kafka", "werkzeug", "requests"}
PACKAGE = Path(innovation.__file__).parent


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_domain_and_document_mapping_import_no_framework_store_or_broker() -> None:
    paths = [*(PACKAGE / "domain").glob("*.py"), *(PACKAGE / "documents").glob("*.py")]
    offenders = {p.name: sorted(imported_roots(p) & FORBIDDEN) for p in paths}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_service_modules_stay_small() -> None:
    long_files = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if p.name != "demo_data.py" and (n := len(p.read_text().splitlines())) > 300
    }
    assert long_files == {}
