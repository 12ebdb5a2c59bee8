"""Readers for untrusted input (dicts decoded from JSON) that collect problems instead of raising.

A parse function makes one `Problems`, reads every field through a `Reader`, and calls
`Problems.raise_if_any()` at the end, so the caller gets ALL problems of a body in one
`ValidationProblem({"dotted.field.path": [messages]})`. Keys that start with `$` or contain `.`
are reported and dropped at every level (CONTRACT.md: they never reach the store), and so are
keys a parse function does not know.

Readers accept the JSON form of a value and also its native form (a `date` for a date, an enum
member for a choice), so a stored object can be re-validated from its own fields.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, TypeVar

from smartcity_shared.errors import ValidationProblem

CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
"""Codes of regions, units, programmes and other ids: letters, digits, `_` and `-`."""

_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
MISSING = "Missing data for required field."
NULL = "Field may not be null."
BLANK = "May not be blank."

E = TypeVar("E", bound=StrEnum)


class Problems:
    """Collects messages per dotted field path; `raise_if_any` raises them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path or "_schema", []).append(message)

    def count(self) -> int:
        return sum(len(messages) for messages in self.errors.values())

    def raise_if_any(self) -> None:
        """Raises ValidationProblem(errors) when any problem was recorded."""
        if self.errors:
            raise ValidationProblem(self.errors)


def join(prefix: str, key: str | int) -> str:
    """Dotted path of `key` under `prefix` (`evidence` + 0 -> `evidence.0`)."""
    return f"{prefix}.{key}" if prefix else str(key)


def is_code(value: object) -> bool:
    return isinstance(value, str) and CODE_PATTERN.fullmatch(value) is not None


def _is_finite_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def round_half_up(value: float, places: int = 2) -> float:
    """Round half up (3.485 -> 3.49), as reported scores are rounded (CONTRACT.md)."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def body(data: object, problems: Problems, allowed: Collection[str]) -> dict[str, Any]:
    """The allowed keys of a request body (see as_mapping).

    Raises ValidationProblem at once when the body is not an object: nothing else is worth
    reporting then.
    """
    fields = as_mapping(data, problems, "", allowed)
    if fields is None:
        problems.raise_if_any()
    return fields or {}


def as_mapping(
    data: object, problems: Problems, path: str, allowed: Collection[str]
) -> dict[str, Any] | None:
    """The allowed keys of `data`, or None when it is not an object (reported).

    Reports and drops keys that start with `$` or contain `.`, and keys not in `allowed`.
    """
    if not isinstance(data, Mapping):
        problems.add(path, "Must be an object.")
        return None
    result: dict[str, Any] = {}
    for key, value in data.items():
        if not isinstance(key, str):
            problems.add(path, "Keys must be strings.")
        elif key.startswith("$") or "." in key:
            problems.add(join(path, key), "Key may not start with '$' or contain '.'.")
        elif key not in allowed:
            problems.add(join(path, key), "Unknown field.")
        else:
            result[key] = value
    return result


class Reader:
    """Reads typed fields from one mapping, reporting problems under `prefix`.

    Optional fields that are absent or null yield the given default; required ones report
    `MISSING` or `NULL`. No reader raises.
    """

    def __init__(self, data: Mapping[str, Any], problems: Problems, prefix: str = "") -> None:
        self.data = data
        self.problems = problems
        self.prefix = prefix

    def path(self, key: str) -> str:
        return join(self.prefix, key)

    def has(self, key: str) -> bool:
        return key in self.data

    def _raw(self, key: str, required: bool) -> Any:
        if key not in self.data:
            if required:
                self.problems.add(self.path(key), MISSING)
            return None
        value = self.data[key]
        if value is None and required:
            self.problems.add(self.path(key), NULL)
        return value

    def text(self, key: str, *, required: bool = False, max_len: int = 200) -> str:
        """A stripped string ("" when absent); required means present and not blank."""
        value = self._raw(key, required)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problems.add(self.path(key), "Must be a string.")
            return ""
        stripped = str(value).strip()
        if required and not stripped:
            self.problems.add(self.path(key), BLANK)
        if len(stripped) > max_len:
            self.problems.add(self.path(key), f"Longer than maximum length {max_len}.")
        return stripped

    def code(self, key: str, *, required: bool = False) -> str | None:
        """A code (see CODE_PATTERN) or None."""
        value = self._raw(key, required)
        if value is None:
            return None
        if not is_code(value):
            self.problems.add(self.path(key), "Must be a code of letters, digits, '_' or '-'.")
            return None
        return str(value)

    def codes(self, key: str, *, max_items: int = 50) -> tuple[str, ...]:
        """A list of distinct codes, in the given order (() when absent)."""
        value = self._raw(key, False)
        if value is None:
            return ()
        if not isinstance(value, list | tuple | set | frozenset):
            self.problems.add(self.path(key), "Must be a list.")
            return ()
        items = sorted(value) if isinstance(value, set | frozenset) else list(value)
        if len(items) > max_items:
            self.problems.add(self.path(key), f"At most {max_items} items.")
        result: list[str] = []
        for index, item in enumerate(items):
            if not is_code(item):
                self.problems.add(
                    join(self.path(key), index), "Must be a code of letters, digits, '_' or '-'."
                )
            elif item in result:
                self.problems.add(join(self.path(key), index), "Duplicate.")
            else:
                result.append(item)
        return tuple(result)

    def choice(self, key: str, enum: type[E], *, required: bool = False) -> E | None:
        """A member of `enum` given by its value, or None."""
        value = self._raw(key, required)
        if value is None:
            return None
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            self.problems.add(self.path(key), f"Must be one of: {allowed}.")
            return None

    def integer(
        self,
        key: str,
        *,
        required: bool = False,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        """An int (booleans and floats are refused) within [minimum, maximum], or None."""
        value = self._raw(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problems.add(self.path(key), "Must be an integer.")
            return None
        return int(value) if self._within(key, value, minimum, maximum) else None

    def number(
        self, key: str, *, required: bool = False, minimum: float | None = None
    ) -> int | float | None:
        """A finite int or float (booleans are refused) not below `minimum`, or None."""
        value = self._raw(key, required)
        if value is None:
            return None
        if not _is_finite_number(value):
            self.problems.add(self.path(key), "Must be a finite number.")
            return None
        number: int | float = value
        return number if self._within(key, number, minimum, None) else None

    def _within(self, key: str, value: float, minimum: float | None, maximum: float | None) -> bool:
        if minimum is not None and value < minimum:
            self.problems.add(self.path(key), f"Must be at least {minimum}.")
            return False
        if maximum is not None and value > maximum:
            self.problems.add(self.path(key), f"Must be at most {maximum}.")
            return False
        return True

    def day(self, key: str, *, required: bool = False) -> date | None:
        """A calendar date from "YYYY-MM-DD" (or a `date`, not a datetime), or None."""
        value = self._raw(key, required)
        if value is None:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str) and _DATE_PATTERN.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.problems.add(self.path(key), "Not a valid date (YYYY-MM-DD).")
        return None

    def items(self, key: str, *, max_items: int = 50) -> list[tuple[str, Any]]:
        """The elements of a list field with their paths ([] when absent)."""
        value = self._raw(key, False)
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            self.problems.add(self.path(key), "Must be a list.")
            return []
        if len(value) > max_items:
            self.problems.add(self.path(key), f"At most {max_items} items.")
            return []
        return [(join(self.path(key), index), item) for index, item in enumerate(value)]
