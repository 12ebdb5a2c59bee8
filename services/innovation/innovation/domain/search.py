"""Search and filter of innovations: validated query arguments and the matching rule.

The store translates an InnovationFilter into its own query; `matches` is the reference
semantics (fake repositories use it, and tests pin the store against it):
- `unit` matches the owner unit or a partner unit;
- `year`, `stage`, `type`, `pillar`, `programme_id` match exactly;
- `q` matches case-insensitively as a substring of name, description, objective, benefits or
  results;
- absent criteria match everything; all given criteria must hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .innovation import Innovation
from .parsing import Problems, Reader, body
from .vocab import InnovationType, Pillar, Stage

FILTER_FIELDS = ("unit", "year", "stage", "type", "pillar", "programme_id", "q")
TEXT_FIELDS = ("name", "description", "objective", "benefits", "results")


@dataclass(frozen=True)
class InnovationFilter:
    unit: str | None = None
    year: int | None = None
    stage: Stage | None = None
    type: InnovationType | None = None
    pillar: Pillar | None = None
    programme_id: str | None = None
    q: str = ""


def parse_innovation_filter(args: Mapping[str, Any]) -> InnovationFilter:
    """A filter from query arguments (strings, as in a URL query; empty means absent).

    Unknown arguments are refused. Raises ValidationProblem with every problem.
    """
    problems = Problems()
    given = {k: v for k, v in body(args, problems, FILTER_FIELDS).items() if v != ""}
    year = given.get("year")
    if isinstance(year, str):
        given["year"] = int(year) if year.isascii() and year.isdigit() else year
    reader = Reader(given, problems)
    result = InnovationFilter(
        unit=reader.code("unit"),
        year=reader.integer("year", minimum=2000, maximum=2100),
        stage=reader.choice("stage", Stage),
        type=reader.choice("type", InnovationType),
        pillar=reader.choice("pillar", Pillar),
        programme_id=reader.code("programme_id"),
        q=reader.text("q", max_len=200),
    )
    problems.raise_if_any()
    return result


def matches(innovation: Innovation, criteria: InnovationFilter) -> bool:
    """True when the innovation meets every given criterion (rules in the module docstring)."""
    exact = (
        (criteria.year, innovation.year),
        (criteria.stage, innovation.stage),
        (criteria.type, innovation.type),
        (criteria.pillar, innovation.pillar),
        (criteria.programme_id, innovation.programme_id),
    )
    if any(wanted is not None and wanted != actual for wanted, actual in exact):
        return False
    if criteria.unit is not None and criteria.unit not in innovation.units:
        return False
    needle = criteria.q.casefold()
    return not needle or any(needle in getattr(innovation, f).casefold() for f in TEXT_FIELDS)
