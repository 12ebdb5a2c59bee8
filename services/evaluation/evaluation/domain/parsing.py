"""Reading untrusted JSON-like documents while collecting every problem at once.

The readers never raise on bad input: they record a message under a dotted field path in a
`Problems` collector and return `None` (or a default), so a caller can report every mistake of
a document in one `ValidationProblem`. Numbers become exact `Fraction`s: a JSON float is read
through its shortest decimal text (`0.1` -> 1/10), so weights and targets keep the value the
author wrote and scoring stays exact.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from smartcity_shared.errors import ValidationProblem

ROOT = "_schema"
KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
KEY_RULE = "must be 1-64 letters, digits, '_' or '-', starting with a letter or digit"
UNSAFE_KEY = "must not start with '$' or contain '.'"


class Problems:
    """Collects `{dotted path: [messages]}`; `raise_if_any()` raises them as ValidationProblem."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        messages = self.errors.setdefault(path or ROOT, [])
        if message not in messages:
            messages.append(message)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        """Raise `ValidationProblem(errors)` when anything was recorded; otherwise do nothing."""
        if self.errors:
            raise ValidationProblem(dict(self.errors))


def join(path: str, field: str | int) -> str:
    """`join("dimensions.0", "weight")` -> `"dimensions.0.weight"`."""
    return f"{path}.{field}" if path else str(field)


def is_unsafe_key(key: object) -> bool:
    """True for keys the store must never see: non-strings, `$...` and anything with a dot."""
    return not isinstance(key, str) or key.startswith("$") or "." in key


def check_safe_keys(value: object, path: str, problems: Problems) -> None:
    """Record every dict key, at any depth, that starts with `$` or contains `.`.

    The problem is reported at the path of the dict holding the key (a dotted key would make
    its own path ambiguous), naming the key.
    """
    if isinstance(value, Mapping):
        for key, item in value.items():
            if is_unsafe_key(key):
                problems.add(path, f"key {str(key)!r} {UNSAFE_KEY}")
            else:
                check_safe_keys(item, join(path, key), problems)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_safe_keys(item, join(path, index), problems)


def read_object(raw: object, path: str, problems: Problems) -> Mapping[str, Any] | None:
    if isinstance(raw, Mapping):
        return raw
    problems.add(path, "must be an object")
    return None


def check_fields(
    obj: Mapping[str, Any], allowed: frozenset[str], path: str, problems: Problems
) -> None:
    """Reject unknown fields (typos such as `wieght` would otherwise be silently ignored)."""
    for field in obj:
        if not is_unsafe_key(field) and field not in allowed:
            problems.add(join(path, field), "unknown field")


def read_key(obj: Mapping[str, Any], field: str, path: str, problems: Problems) -> str | None:
    """A required stable identifier (see KEY_PATTERN)."""
    value = obj.get(field)
    where = join(path, field)
    if value is None:
        problems.add(where, "required")
    elif not isinstance(value, str):
        problems.add(where, "must be a string")
    elif is_unsafe_key(value):
        problems.add(where, UNSAFE_KEY)
    elif not KEY_PATTERN.match(value):
        problems.add(where, KEY_RULE)
    else:
        return value
    return None


def read_text(
    obj: Mapping[str, Any], field: str, path: str, problems: Problems, *, required: bool = False
) -> str:
    """A string field; a required one must be non-blank. Returns "" when absent or invalid."""
    value = obj.get(field)
    where = join(path, field)
    if value is None:
        if required:
            problems.add(where, "required")
        return ""
    if not isinstance(value, str):
        problems.add(where, "must be a string")
        return ""
    if required and not value.strip():
        problems.add(where, "must not be blank")
    return value


def to_fraction(value: object) -> Fraction | None:
    """An exact Fraction for a finite JSON number (bools are not numbers), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float) and math.isfinite(value):
        return Fraction(repr(value))
    if isinstance(value, Fraction):
        return value
    return None


def read_number(
    obj: Mapping[str, Any],
    field: str,
    path: str,
    problems: Problems,
    *,
    default: Fraction | None = None,
    positive: bool = False,
) -> Fraction | None:
    """A finite number (optionally > 0); `default` when the field is absent."""
    if field not in obj or obj[field] is None:
        if default is None:
            problems.add(join(path, field), "required")
        return default
    number = to_fraction(obj[field])
    if number is None:
        problems.add(join(path, field), "must be a number")
    elif positive and number <= 0:
        problems.add(join(path, field), "must be > 0")
        return None
    return number


def read_bool(obj: Mapping[str, Any], field: str, path: str, problems: Problems) -> bool:
    value = obj.get(field, False)
    if not isinstance(value, bool):
        problems.add(join(path, field), "must be true or false")
        return False
    return value


def read_list(
    obj: Mapping[str, Any], field: str, path: str, problems: Problems, *, required: bool = True
) -> Sequence[Any]:
    """A JSON array; a required one must be present and non-empty. Returns () when invalid."""
    value = obj.get(field)
    where = join(path, field)
    if value is None:
        if required:
            problems.add(where, "required")
        return ()
    if not isinstance(value, list | tuple):
        problems.add(where, "must be a list")
        return ()
    if required and not value:
        problems.add(where, "must not be empty")
    return value


def number_out(value: Fraction) -> int | float:
    """The JSON form of an exact number: an int when whole, else the nearest float."""
    return int(value) if value.denominator == 1 else float(value)
