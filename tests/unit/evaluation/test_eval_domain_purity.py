"""The evaluation domain stays pure: no web framework, store or broker imports."""

from __future__ import annotations

import ast
from pathlib import Path

import evaluation.domain

FORBIDDEN = {"flask", "flask_smorest", "pymongo", "bson", "kafka", "werkzeug", "openpyxl"}


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_domain_modules_import_no_framework_store_or_broker() -> None:
    folder = Path(evaluation.domain.__file__).parent
    offenders = {
        path.name: sorted(imported_roots(path) & FORBIDDEN)
        for path in sorted(folder.glob("*.py"))
        if imported_roots(path) & FORBIDDEN
    }
    assert offenders == {}


def test_domain_modules_stay_small() -> None:
    folder = Path(evaluation.domain.__file__).parent
    long_files = {
        p.name: n for p in folder.glob("*.py") if (n := len(p.read_text().splitlines())) > 300
    }
    assert long_files == {}
