"""Who is calling, and the contract's role rules (framework-free)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import Unauthorized

ROLES = ("admin", "assessor", "opd", "viewer")
ALL_REGIONS = "*"
#: Roles that may be given every region: an assessor (reviews), a viewer (reads published
#: results only; the portal's public pages read them with such a token). Never admin or opd.
EVERY_REGION_ROLES = frozenset({"assessor", "viewer"})


@dataclass(frozen=True)
class Identity:
    sub: str
    role: str
    region: str
    unit: str = ""
    name: str = ""
    email: str = ""
    catalogue: bool = False  # may write the national framework catalogue

    def sees_region(self, region: str) -> bool:
        """Admins, OPDs and viewers see their region; an assessor may be given `*`."""
        return self.region == "*" or self.region == region

    def manages_region(self, region: str) -> bool:
        return self.role == "admin" and self.region == region

    def reviews_region(self, region: str) -> bool:
        return self.role == "assessor" and self.sees_region(region)

    def writes_unit(self, region: str, unit: str) -> bool:
        """May write a unit's own submissions, innovations, risks and follow-ups."""
        if self.manages_region(region):
            return True
        return self.role == "opd" and self.region == region and self.unit == unit


def identity_from_claims(claims: Mapping[str, Any]) -> Identity:
    """The caller named by a token's verified claims, or Unauthorized (401).

    Every token path (HS256 development tokens, an OIDC issuer's RS256 tokens) goes through
    this one function after checking the signature, so the contract's claim rules hold
    whatever signed the token: a known `role`; a numeric `exp`; a `region` for every role (an
    assessor may hold `*`, nobody else); a `unit` for an `opd`; `catalogue: true` (a boolean)
    for the national framework catalogue writers."""
    role = claims.get("role")
    if role not in ROLES:
        raise Unauthorized("invalid token: unknown role")
    exp = claims.get("exp")
    if isinstance(exp, bool) or not isinstance(exp, int | float):
        raise Unauthorized("invalid token: exp must be a number")
    region = _text_claim(claims, "region")
    if not region:
        raise Unauthorized("invalid token: no region claim")
    if region == ALL_REGIONS and role not in EVERY_REGION_ROLES:
        raise Unauthorized("invalid token: only an assessor or a viewer may hold region '*'")
    unit = _text_claim(claims, "unit")
    if role == "opd" and not unit:
        raise Unauthorized("invalid token: an opd token needs a unit claim")
    catalogue = claims.get("catalogue", False)
    if not isinstance(catalogue, bool):
        raise Unauthorized("invalid token: catalogue must be true or false")
    return Identity(
        sub=_text_claim(claims, "sub"),
        role=str(role),
        region=region,
        unit=unit,
        name=_text_claim(claims, "name"),
        email=_text_claim(claims, "email"),
        catalogue=catalogue,
    )


def _text_claim(claims: Mapping[str, Any], name: str) -> str:
    value = claims.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Unauthorized(f"invalid token: {name} must be a string")
    return value.strip()
