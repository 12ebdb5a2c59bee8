"""Who may do what (CONTRACT.md roles), raising the contract's errors.

Another region's objects are reported as absent (404) so nothing leaks; inside a visible
region, a role without the right gets 403.
"""

from __future__ import annotations

from smartcity_shared.errors import Forbidden, NotFound
from smartcity_shared.identity import Identity


def require_visible(who: Identity, region: str) -> None:
    if not who.sees_region(region):
        raise NotFound(f"region {region} not found")


def require_admin(who: Identity, region: str) -> None:
    """The region's admin (Diskominfo) only."""
    require_visible(who, region)
    if not who.manages_region(region):
        raise Forbidden("only the region's admin may do this")


def require_unit_writer(who: Identity, region: str, unit: str) -> None:
    """The region's admin, or an OPD user of `unit` (the innovation's owner unit)."""
    require_visible(who, region)
    if not who.writes_unit(region, unit):
        raise Forbidden(f"only the admin or an OPD user of {unit} may change this")


def require_assessor(who: Identity, region: str) -> None:
    require_visible(who, region)
    if not who.reviews_region(region):
        raise Forbidden("only an assessor of this region may verify innovations")


def actor(who: Identity) -> str:
    """How a change records who made it: the token's subject."""
    return who.sub
