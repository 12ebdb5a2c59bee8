"""Parsing one question of a framework document (its `visible_if` is parsed by the caller).

A question document:
`{"key", "type", "text", "help"?, "weight"? (>0, default 1), "required"?, "assessor_scored"?
(text/file only), "evidence"? ({"required": true} or {"required_from_level": n}, level only),
"visible_if"?, ...}` plus, by type: `levels` `[{label, criteria}]` (level); `options`
`[{value, label, score 0..1}]` (choice, multi_choice); `target` (>0), `bands` `[[ratio, s], ...]`
with strictly ascending ratios, `unit` (number).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Any

from .model import UNSCORED_TYPES, EvidenceRule, Level, NumberBand, Option, Question, QuestionType
from .parsing import (
    Problems,
    check_fields,
    join,
    read_bool,
    read_key,
    read_list,
    read_number,
    read_object,
    read_text,
    to_fraction,
)

COMMON_FIELDS = frozenset(
    {
        "key",
        "type",
        "text",
        "help",
        "weight",
        "required",
        "assessor_scored",
        "evidence",
        "visible_if",
    }
)
TYPE_FIELDS: Mapping[QuestionType, frozenset[str]] = {
    QuestionType.LEVEL: frozenset({"levels"}),
    QuestionType.CHOICE: frozenset({"options"}),
    QuestionType.MULTI_CHOICE: frozenset({"options"}),
    QuestionType.NUMBER: frozenset({"target", "bands", "unit"}),
}
_ALL_TYPE_FIELDS = frozenset().union(*TYPE_FIELDS.values())


def parse_question(raw: object, path: str, problems: Problems) -> Question | None:
    """A Question without its condition (set later), or None when too broken to use."""
    obj = read_object(raw, path, problems)
    if obj is None:
        return None
    kind = _read_type(obj, path, problems)
    allowed = COMMON_FIELDS | (TYPE_FIELDS.get(kind, frozenset()) if kind else _ALL_TYPE_FIELDS)
    for field in obj:
        if field in _ALL_TYPE_FIELDS and field not in allowed:
            problems.add(join(path, field), f"not allowed for type {kind}")
    check_fields(obj, allowed | _ALL_TYPE_FIELDS, path, problems)
    key = read_key(obj, "key", path, problems)
    text = read_text(obj, "text", path, problems, required=True)
    weight = read_number(obj, "weight", path, problems, default=Fraction(1), positive=True)
    required = read_bool(obj, "required", path, problems)
    assessor_scored = read_bool(obj, "assessor_scored", path, problems)
    if assessor_scored and kind is not None and kind not in UNSCORED_TYPES:
        problems.add(
            join(path, "assessor_scored"), "only text and file questions are assessor-scored"
        )
    if key is None or kind is None:
        return None
    question = Question(
        key=key,
        type=kind,
        text=text,
        help=read_text(obj, "help", path, problems),
        weight=weight or Fraction(1),  # a bad weight is already a recorded problem
        required=required,
        assessor_scored=assessor_scored,
    )
    question = _with_type_fields(question, obj, path, problems)
    evidence = _read_evidence(obj, question, path, problems)
    return replace(question, evidence=evidence)


def _read_type(obj: Mapping[str, Any], path: str, problems: Problems) -> QuestionType | None:
    raw = obj.get("type")
    if isinstance(raw, str) and raw in QuestionType._value2member_map_:
        return QuestionType(raw)
    problems.add(join(path, "type"), f"must be one of: {', '.join(QuestionType)}")
    return None


def _with_type_fields(
    question: Question, obj: Mapping[str, Any], path: str, problems: Problems
) -> Question:
    kind = question.type
    if kind is QuestionType.LEVEL:
        return replace(question, levels=_read_levels(obj, path, problems))
    if kind in (QuestionType.CHOICE, QuestionType.MULTI_CHOICE):
        return replace(question, options=_read_options(obj, path, problems))
    if kind is QuestionType.NUMBER:
        target = read_number(obj, "target", path, problems, positive=True)
        return replace(
            question,
            target=target,
            bands=_read_number_bands(obj, path, problems),
            unit=read_text(obj, "unit", path, problems),
        )
    return question


def _read_levels(obj: Mapping[str, Any], path: str, problems: Problems) -> tuple[Level, ...]:
    levels = []
    for index, raw in enumerate(read_list(obj, "levels", path, problems)):
        where = join(join(path, "levels"), index)
        item = read_object(raw, where, problems)
        if item is None:
            continue
        check_fields(item, frozenset({"label", "criteria"}), where, problems)
        levels.append(
            Level(
                label=read_text(item, "label", where, problems, required=True),
                criteria=read_text(item, "criteria", where, problems, required=True),
            )
        )
    return tuple(levels)


def _read_options(obj: Mapping[str, Any], path: str, problems: Problems) -> tuple[Option, ...]:
    options: list[Option] = []
    for index, raw in enumerate(read_list(obj, "options", path, problems)):
        where = join(join(path, "options"), index)
        item = read_object(raw, where, problems)
        if item is None:
            continue
        check_fields(item, frozenset({"value", "label", "score"}), where, problems)
        value = item.get("value")
        if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
            problems.add(join(where, "value"), "must be a non-empty string or an integer")
            continue
        if any(type(o.value) is type(value) and o.value == value for o in options):
            problems.add(join(where, "value"), f"duplicate option value {value!r}")
        score = read_number(item, "score", where, problems)
        if score is not None and not 0 <= score <= 1:
            problems.add(join(where, "score"), "must be between 0 and 1")
        label = read_text(item, "label", where, problems, required=True)
        options.append(Option(value=value, label=label, score=score or Fraction(0)))
    return tuple(options)


def _read_number_bands(
    obj: Mapping[str, Any], path: str, problems: Problems
) -> tuple[NumberBand, ...]:
    bands: list[NumberBand] = []
    for index, raw in enumerate(read_list(obj, "bands", path, problems, required=False)):
        where = join(join(path, "bands"), index)
        pair = raw if isinstance(raw, list | tuple) and len(raw) == 2 else None
        ratio, s = (to_fraction(pair[0]), to_fraction(pair[1])) if pair else (None, None)
        if ratio is None or s is None:
            problems.add(where, "must be a pair [ratio, s] of numbers")
            continue
        if ratio < 0:
            problems.add(join(where, 0), "must be >= 0")
        if not 0 <= s <= 1:
            problems.add(join(where, 1), "must be between 0 and 1")
        if bands and ratio <= bands[-1].ratio:
            problems.add(join(where, 0), "ratios must be strictly ascending")
        bands.append(NumberBand(ratio=ratio, s=s))
    return tuple(bands)


def _read_evidence(
    obj: Mapping[str, Any], question: Question, path: str, problems: Problems
) -> EvidenceRule | None:
    if obj.get("evidence") is None:
        return None
    where = join(path, "evidence")
    item = read_object(obj["evidence"], where, problems)
    if item is None:
        return None
    check_fields(item, frozenset({"required", "required_from_level"}), where, problems)
    required = read_bool(item, "required", where, problems)
    level = item.get("required_from_level")
    if level is None:
        return EvidenceRule(required=True) if required else None
    if question.type is not QuestionType.LEVEL:
        problems.add(join(where, "required_from_level"), "only level questions have levels")
    elif (
        isinstance(level, bool)
        or not isinstance(level, int)
        or not 1 <= level <= len(question.levels)
    ):
        problems.add(
            join(where, "required_from_level"), f"must be a level from 1 to {len(question.levels)}"
        )
    elif required:
        problems.add(where, "give either 'required' or 'required_from_level', not both")
    else:
        return EvidenceRule(required_from_level=level)
    return None
