"""The framework documents shipped with the service (`evaluation/frameworks/*.json`).

Read-only package data; loading them into the store (a command, `make up`) is the caller's job.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from .framework import parse_framework
from .model import Framework


def shipped_documents() -> dict[str, dict[str, Any]]:
    """`{framework key: document}` for every shipped JSON file (reads package data)."""
    documents: dict[str, dict[str, Any]] = {}
    folder = resources.files("evaluation").joinpath("frameworks")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            document = json.loads(entry.read_text(encoding="utf-8"))
            documents[document["key"]] = document
    return documents


def shipped_frameworks() -> dict[str, Framework]:
    """Every shipped document parsed (ValidationProblem if one is broken, which tests forbid)."""
    return {key: parse_framework(doc) for key, doc in shipped_documents().items()}
