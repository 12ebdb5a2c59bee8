"""`Framework` -> the JSON document `parse_framework` accepts (store it, serve it, re-parse it).

`parse_framework(framework_to_dict(f)) == f` for every parsed framework: the store can keep the
document and rebuild the model on read. Exact numbers come out as ints when whole, else floats
(a Fraction such as 1/3 that no float holds exactly is only produced by code, never by parsing).
"""

from __future__ import annotations

from typing import Any

from .model import Dimension, Framework, Indicator, Question
from .parsing import number_out


def framework_to_dict(framework: Framework) -> dict[str, Any]:
    """The document form of `framework` (optional fields left out when at their default)."""
    doc: dict[str, Any] = {
        "key": framework.key,
        "name": framework.name,
        "version": framework.version,
        "description": framework.description,
        "scale_max": number_out(framework.scale_max),
        "unanswered": framework.unanswered.value,
        "bands": [{"label": b.label, "min": number_out(b.min)} for b in framework.bands],
        "dimensions": [_dimension(d) for d in framework.dimensions],
    }
    if framework.recommendation_threshold is not None:
        doc["recommendation_threshold"] = number_out(framework.recommendation_threshold)
    if framework.lenses is not None:
        doc["lenses"] = {
            "tag": framework.lenses.tag,
            "weights": {k: number_out(w) for k, w in framework.lenses.weights.items()},
        }
    return doc


def _dimension(dimension: Dimension) -> dict[str, Any]:
    return {
        "key": dimension.key,
        "name": dimension.name,
        "weight": number_out(dimension.weight),
        "description": dimension.description,
        "indicators": [_indicator(i) for i in dimension.indicators],
    }


def _indicator(indicator: Indicator) -> dict[str, Any]:
    return {
        "key": indicator.key,
        "name": indicator.name,
        "weight": number_out(indicator.weight),
        "tags": dict(indicator.tags),
        "guidance": indicator.guidance,
        "description": indicator.description,
        "questions": [question_to_dict(q) for q in indicator.questions],
    }


def question_to_dict(question: Question) -> dict[str, Any]:
    """The document form of one question (as shown on an OPD's form)."""
    doc: dict[str, Any] = {
        "key": question.key,
        "type": question.type.value,
        "text": question.text,
        "weight": number_out(question.weight),
        "required": question.required,
    }
    if question.help:
        doc["help"] = question.help
    if question.assessor_scored:
        doc["assessor_scored"] = True
    if question.evidence is not None:
        rule = question.evidence
        doc["evidence"] = (
            {"required_from_level": rule.required_from_level}
            if rule.required_from_level is not None
            else {"required": True}
        )
    if question.visible_if is not None:
        doc["visible_if"] = question.visible_if.to_dict()
    doc.update(_type_fields(question))
    return doc


def _type_fields(question: Question) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    if question.levels:
        doc["levels"] = [{"label": lv.label, "criteria": lv.criteria} for lv in question.levels]
    if question.options:
        doc["options"] = [
            {"value": o.value, "label": o.label, "score": number_out(o.score)}
            for o in question.options
        ]
    if question.target is not None:
        doc["target"] = number_out(question.target)
        if question.bands:
            doc["bands"] = [[number_out(b.ratio), number_out(b.s)] for b in question.bands]
        if question.unit:
            doc["unit"] = question.unit
    return doc
