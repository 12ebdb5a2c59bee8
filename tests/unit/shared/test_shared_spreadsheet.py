"""Every CSV/XLSX cell: formula-like text is written as text, numbers stay numbers."""

from __future__ import annotations

from datetime import date

from smartcity_shared.spreadsheet import safe_cell, safe_row, safe_text


def test_text_starting_like_a_formula_gets_an_apostrophe() -> None:
    for risky in ("=1+1", '=HYPERLINK("http://evil")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_text(risky) == "'" + risky


def test_plain_text_is_unchanged() -> None:
    assert safe_text("Dinas Kesehatan") == "Dinas Kesehatan"
    assert safe_text("a=b") == "a=b"
    assert safe_text("") == ""


def test_numbers_stay_numbers_even_negative_ones() -> None:
    assert safe_row([-0.25, -3, 0, None, 2.5, date(2020, 1, 1)]) == [
        -0.25,
        -3,
        0,
        None,
        2.5,
        date(2020, 1, 1),
    ]


def test_control_characters_a_workbook_cannot_hold_are_dropped() -> None:
    assert safe_cell("Dinas\x07 Kesehatan") == "Dinas Kesehatan"
