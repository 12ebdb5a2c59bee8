"""Cells of every CSV and XLSX the platform writes: text a spreadsheet would run as a formula
is written as text.

A string starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with an
apostrophe (the spreadsheet convention for "this is text"), so a unit or dimension named
`=HYPERLINK(...)` shows as that text instead of running. Only strings are touched: numbers
(a negative change of -0.25 included) stay numbers. Control characters a workbook cannot hold
are dropped. Every exporter builds its rows through `safe_row`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # what XLSX cannot hold


def safe_text(value: str) -> str:
    """`value` without illegal control characters, prefixed with an apostrophe when a
    spreadsheet would read it as a formula."""
    value = _ILLEGAL.sub("", value) if not value.startswith(("\t", "\r")) else value
    return "'" + value if value.startswith(FORMULA_START) else value


def safe_cell(value: Any) -> Any:
    """A string made safe (`safe_text`); anything else (numbers, None, dates) unchanged."""
    return safe_text(value) if isinstance(value, str) else value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]
