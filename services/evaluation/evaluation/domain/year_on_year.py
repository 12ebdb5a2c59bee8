"""This year against the previous one, per dimension and per tag, by stable key.

A scorecard (a participant's or a cycle's aggregate) is reduced to a `Breakdown`: its final
scores plus the structure of its framework version (dimension keys, tag values). Comparing two
breakdowns gives one `KeyedDelta` per key of either year: `kept` keys (in both versions) carry
current, previous and their change (None when one side dropped out of the average), `new`
keys have no previous and `dropped` keys no current, so a changed form never breaks a
comparison. Scores stay exact; `deltas_to_dict` reports them on the current year's scale.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Any

from .comparison import Delta
from .model import Framework
from .reporting import as_json_number, report, reported_change


class KeyStatus(StrEnum):
    KEPT = "kept"  # in both framework versions
    NEW = "new"  # only in this year's version: no previous score
    DROPPED = "dropped"  # only in the previous year's version: no current score


@dataclass(frozen=True)
class Breakdown:
    """One year's final scores by stable key, with its framework version's structure.

    Plain dicts and tuples only, so a breakdown can be deep-copied into a cache."""

    overall: Fraction | None
    dimensions: dict[str, Fraction]
    tags: dict[str, dict[str, Fraction]]
    dimension_keys: tuple[str, ...]
    tag_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)


def tag_keys(framework: Framework) -> dict[str, tuple[str, ...]]:
    """`{tag name: values}` the framework's indicators carry, in document order."""
    found: dict[str, dict[str, None]] = {}
    for _, indicator in framework.indicators():
        for name, value in indicator.tags.items():
            found.setdefault(name, {})[value] = None
    return {name: tuple(values) for name, values in found.items()}


def breakdown(
    framework: Framework,
    overall: Fraction | None,
    dimensions: Mapping[str, Fraction],
    tags: Mapping[str, Mapping[str, Fraction]],
) -> Breakdown:
    return Breakdown(
        overall=overall,
        dimensions=dict(dimensions),
        tags={name: dict(values) for name, values in tags.items()},
        dimension_keys=framework.dimension_keys,
        tag_keys=tag_keys(framework),
    )


@dataclass(frozen=True)
class KeyedDelta(Delta):
    """A delta of one stable key, with whether the key is kept, new or dropped."""

    status: KeyStatus


@dataclass(frozen=True)
class BreakdownDeltas:
    overall: KeyedDelta
    dimensions: dict[str, KeyedDelta]
    tags: dict[str, dict[str, KeyedDelta]]


def compare_breakdowns(current: Breakdown, previous: Breakdown) -> BreakdownDeltas:
    """Deltas per dimension and per tag value: this year's keys first (document order), then
    the dropped ones. A key is new or dropped by the framework structure, not by whether it
    happened to score this year."""
    names = _ordered(current.tag_keys, previous.tag_keys, current.tags, previous.tags)
    return BreakdownDeltas(
        overall=KeyedDelta(current.overall, previous.overall, KeyStatus.KEPT),
        dimensions=_keyed(
            current.dimensions, previous.dimensions, current.dimension_keys, previous.dimension_keys
        ),
        tags={
            name: _keyed(
                current.tags.get(name, {}),
                previous.tags.get(name, {}),
                current.tag_keys.get(name, ()),
                previous.tag_keys.get(name, ()),
            )
            for name in names
        },
    )


def _ordered(*sources: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(key for source in sources for key in source))


def _keyed(
    current: Mapping[str, Fraction],
    previous: Mapping[str, Fraction],
    current_keys: Iterable[str],
    previous_keys: Iterable[str],
) -> dict[str, KeyedDelta]:
    now, before = tuple(current_keys), tuple(previous_keys)
    found: dict[str, KeyedDelta] = {}
    for key in _ordered(now, current, before, previous):
        in_now = key in now or (key in current and key not in before)
        in_before = key in before or (key in previous and key not in now)
        status = KeyStatus.KEPT
        if not in_before:
            status = KeyStatus.NEW
        elif not in_now:
            status = KeyStatus.DROPPED
        found[key] = KeyedDelta(current.get(key), previous.get(key), status)
    return found


def deltas_to_dict(deltas: BreakdownDeltas, scale_max: Fraction) -> dict[str, Any]:
    """The reported form: every number on `scale_max` (this year's), 2 decimals half up."""
    return {
        "overall": _delta_dict(deltas.overall, scale_max, with_status=False),
        "dimensions": {k: _delta_dict(d, scale_max) for k, d in deltas.dimensions.items()},
        "tags": {
            name: {value: _delta_dict(d, scale_max) for value, d in values.items()}
            for name, values in deltas.tags.items()
        },
    }


def _delta_dict(delta: KeyedDelta, scale_max: Fraction, with_status: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "current": as_json_number(report(delta.current, scale_max)),
        "previous": as_json_number(report(delta.previous, scale_max)),
        "delta": as_json_number(reported_change(delta.current, delta.previous, scale_max)),
    }
    if with_status:
        body["status"] = delta.status.value
    return body


def presence(structures: Sequence[tuple[int, Sequence[str]]]) -> dict[str, str]:
    """Which keys came and went over the years: `{key: note}` for every key of any year's
    structure (first-seen order), the note empty for keys in every year, else e.g.
    `new 2020` or `dropped 2020, new 2022` (a key first seen after the first year is new)."""
    years = sorted(structures, key=lambda item: item[0])
    keys = _ordered(*(keys for _, keys in years))
    notes: dict[str, str] = {}
    for key in keys:
        changes: list[str] = []
        before: bool | None = None
        for year, present in ((y, key in ks) for y, ks in years):
            if before is not None and present != before:
                changes.append(f"{'new' if present else 'dropped'} {year}")
            before = present
        notes[key] = ", ".join(changes)
    return notes
