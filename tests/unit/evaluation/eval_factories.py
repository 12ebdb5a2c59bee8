"""Builders of framework documents for the evaluation unit tests (valid unless told otherwise)."""

from __future__ import annotations

import copy
from typing import Any

from evaluation.domain import Framework, parse_framework

LEVEL_NAMES = ["Rintisan", "Terkelola", "Terdefinisi", "Terpadu dan Terukur", "Optimum"]


def levels(count: int = 5) -> list[dict[str, str]]:
    return [{"label": f"L{n}", "criteria": f"criteria of level {n}"} for n in range(1, count + 1)]


def level_q(key: str, count: int = 5, **extra: Any) -> dict[str, Any]:
    return {"key": key, "type": "level", "text": f"{key}?", "levels": levels(count), **extra}


def choice_q(
    key: str, scores: dict[str, float], *, multi: bool = False, **extra: Any
) -> dict[str, Any]:
    options = [{"value": v, "label": v.title(), "score": s} for v, s in scores.items()]
    kind = "multi_choice" if multi else "choice"
    return {"key": key, "type": kind, "text": f"{key}?", "options": options, **extra}


def bool_q(key: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "type": "boolean", "text": f"{key}?", **extra}


def number_q(key: str, target: float, **extra: Any) -> dict[str, Any]:
    return {"key": key, "type": "number", "text": f"{key}?", "target": target, **extra}


def text_q(key: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "type": "text", "text": f"{key}?", **extra}


def file_q(key: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "type": "file", "text": f"{key}?", **extra}


def indicator(key: str, *questions: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"key": key, "name": key.title(), "questions": list(questions), **extra}


def dimension(key: str, *indicators: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"key": key, "name": key.title(), "indicators": list(indicators), **extra}


def document(*dimensions: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "key": "test-fw",
        "name": "Test framework",
        "scale_max": 5,
        "dimensions": list(dimensions),
        **extra,
    }


def one_question(question: dict[str, Any], **extra: Any) -> Framework:
    """A framework with a single dimension, indicator and question."""
    return parse_framework(document(dimension("d", indicator("i", question)), **extra))


def build(*dimensions: dict[str, Any], **extra: Any) -> Framework:
    return parse_framework(document(*dimensions, **extra))


def valid_document() -> dict[str, Any]:
    """A document using every feature, for validation tests to break one thing at a time."""
    return copy.deepcopy(
        document(
            dimension(
                "gov",
                indicator(
                    "service",
                    level_q("q-level", evidence={"required_from_level": 3}, required=True),
                    bool_q("q-bool", weight=2),
                    text_q("q-text", visible_if={"question": "q-bool", "op": "eq", "value": True}),
                    tags={"pillar": "governance", "lens": "outcome"},
                    guidance="Do better.",
                ),
                indicator(
                    "policy",
                    choice_q("q-choice", {"a": 0, "b": 0.5, "c": 1}),
                    choice_q("q-multi", {"x": 0.5, "y": 0.75}, multi=True),
                    tags={"pillar": "governance", "lens": "output"},
                ),
            ),
            dimension(
                "eco",
                indicator(
                    "budget",
                    number_q("q-number", 100, bands=[[0, 0.25], [0.5, 0.75]], unit="%"),
                    file_q("q-file", assessor_scored=True),
                    tags={"pillar": "economy", "lens": "outcome"},
                ),
                weight=2,
            ),
            bands=[{"label": "Low", "min": 0}, {"label": "High", "min": 2.5}],
            lenses={"tag": "lens", "weights": {"outcome": 3, "output": 1}},
        )
    )
