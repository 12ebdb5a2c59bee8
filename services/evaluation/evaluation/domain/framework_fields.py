"""Framework-level fields of a framework document: version, unanswered rule, bands, lenses.

Helpers of `evaluation.domain.framework.parse_framework`; each records problems (dotted paths
from the document root) instead of raising.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from .model import Band, Lenses, Unanswered
from .parsing import (
    KEY_PATTERN,
    KEY_RULE,
    Problems,
    check_fields,
    is_unsafe_key,
    join,
    read_key,
    read_list,
    read_number,
    read_object,
    read_text,
)


def read_version(obj: Mapping[str, Any], problems: Problems) -> int:
    version = obj.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.add("version", "must be an integer >= 1")
        return 1
    return version


def read_threshold(
    obj: Mapping[str, Any], scale_max: Fraction | None, problems: Problems
) -> Fraction | None:
    """`recommendation_threshold`: below it (reported scale) an indicator of a finalized
    submission gets a recommendation; absent means the service's default share of scale_max."""
    if obj.get("recommendation_threshold") is None:
        return None
    value = read_number(obj, "recommendation_threshold", "", problems)
    if value is not None and scale_max is not None and not 0 <= value <= scale_max:
        problems.add("recommendation_threshold", "must be within [0, scale_max]")
        return None
    return value


def read_unanswered(obj: Mapping[str, Any], problems: Problems) -> Unanswered | None:
    raw = obj.get("unanswered", Unanswered.ZERO.value)
    if isinstance(raw, str) and raw in Unanswered._value2member_map_:
        return Unanswered(raw)
    problems.add("unanswered", "must be one of: zero, skip")
    return None


def read_bands(
    obj: Mapping[str, Any], scale_max: Fraction | None, problems: Problems
) -> tuple[Band, ...]:
    bands: list[Band] = []
    for index, raw in enumerate(read_list(obj, "bands", "", problems, required=False)):
        where = join("bands", index)
        item = read_object(raw, where, problems)
        if item is None:
            continue
        check_fields(item, frozenset({"label", "min"}), where, problems)
        label = read_text(item, "label", where, problems, required=True)
        low = read_number(item, "min", where, problems)
        if low is None:
            continue
        if low < 0 or (scale_max is not None and low > scale_max):
            problems.add(join(where, "min"), "must be within [0, scale_max]")
        if bands and low <= bands[-1].min:
            problems.add(join(where, "min"), "bands must have strictly ascending min")
        if any(band.label == label for band in bands):
            problems.add(join(where, "label"), f"duplicate band label {label!r}")
        bands.append(Band(label=label, min=low))
    return tuple(bands)


def read_lenses(obj: Mapping[str, Any], problems: Problems) -> Lenses | None:
    if obj.get("lenses") is None:
        return None
    item = read_object(obj["lenses"], "lenses", problems)
    if item is None:
        return None
    check_fields(item, frozenset({"tag", "weights"}), "lenses", problems)
    tag = read_key(item, "tag", "lenses", problems)
    raw_weights = read_object(item.get("weights"), "lenses.weights", problems) or {}
    if not raw_weights:
        problems.add("lenses.weights", "must name at least one lens")
    weights: dict[str, Fraction] = {}
    for lens in raw_weights:
        if is_unsafe_key(lens):
            continue  # already reported by check_safe_keys
        if KEY_PATTERN.match(lens):
            weight = read_number(raw_weights, lens, "lenses.weights", problems, positive=True)
            weights[lens] = weight or Fraction(1)
        else:
            problems.add("lenses.weights", f"lens {lens!r} {KEY_RULE}")
    if tag is None:
        return None
    return Lenses(tag=tag, weights=MappingProxyType(weights))


def check_lens_tags(obj: Mapping[str, Any], lenses: Lenses | None, problems: Problems) -> None:
    """With lenses, every indicator must carry the lens tag with a weighted value."""
    if lenses is None:
        return
    known = ", ".join(lenses.weights)
    dimensions = obj.get("dimensions")
    for d, dimension in enumerate(dimensions if isinstance(dimensions, list) else ()):
        indicators = dimension.get("indicators") if isinstance(dimension, Mapping) else None
        for i, indicator in enumerate(indicators if isinstance(indicators, list) else ()):
            tags = indicator.get("tags") if isinstance(indicator, Mapping) else None
            value = tags.get(lenses.tag) if isinstance(tags, Mapping) else None
            if not isinstance(value, str) or value not in lenses.weights:
                where = f"dimensions.{d}.indicators.{i}.tags.{lenses.tag}"
                problems.add(where, f"must be one of the lenses: {known}")
