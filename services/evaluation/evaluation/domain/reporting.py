"""From exact scores to reported numbers: s x scale_max, rounded half up to 2 decimals.

Scores stay exact `Fraction`s through every mean; rounding happens only here, when a number is
shown. Half up means away from zero on a tie (3.485 -> 3.49, -0.125 -> -0.13), decided on the
exact value, so the float trap (3.485 held as 3.48499999...) cannot bite.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """`value` rounded half away from zero to `places` decimals, exactly."""
    scale = 10**places
    magnitude = math.floor(abs(value) * scale + Fraction(1, 2))
    return Decimal(-magnitude if value < 0 else magnitude).scaleb(-places)


def report(s: Fraction | None, scale_max: Fraction) -> Decimal | None:
    """The reported score (or change) of a normalized `s`: s x scale_max, 2 decimals."""
    return None if s is None else round_half_up(s * scale_max)


def reported_change(
    current: Fraction | None, previous: Fraction | None, scale_max: Fraction
) -> Decimal | None:
    """A change as the reader sees it: the difference of the two REPORTED scores (2.30 -> 2.59
    is +0.29 even when the exact change rounds to 0.28); None when either side is missing."""
    now, before = report(current, scale_max), report(previous, scale_max)
    return None if now is None or before is None else now - before


def as_json_number(value: Decimal | None) -> float | None:
    """A reported Decimal as a JSON number (floats print 3.49 as 3.49)."""
    return None if value is None else float(value)
