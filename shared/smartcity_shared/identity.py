"""Who is calling, and the contract's role rules (framework-free)."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("admin", "assessor", "opd", "viewer")


@dataclass(frozen=True)
class Identity:
    sub: str
    role: str
    region: str
    unit: str = ""
    name: str = ""
    email: str = ""

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
