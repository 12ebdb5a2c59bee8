"""Framework ownership (evaluation.framework_access): who creates, writes and reads what."""

from __future__ import annotations

import pytest

from evaluation import framework_access as access
from smartcity_shared.errors import Forbidden, NotFound, ValidationProblem
from smartcity_shared.identity import Identity

A, B = "kab-a", "kab-b"
CATALOGUE = Identity("c", "admin", A, catalogue=True)
ADMIN_A, ADMIN_B = Identity("a", "admin", A), Identity("b", "admin", B)
VIEWER_A = Identity("v", "viewer", A)


def version(owner: str | None, status: str = "draft") -> dict[str, object]:
    return {"status": status, **({"owner": owner} if owner else {})}


def test_the_catalogue_creates_national_frameworks_and_admins_their_regions_own() -> None:
    assert access.new_owner(CATALOGUE, region_known=False) == access.NATIONAL
    assert access.new_owner(ADMIN_A, region_known=True) == A
    with pytest.raises(Forbidden):
        access.new_owner(ADMIN_A, region_known=False)
    with pytest.raises(Forbidden):
        access.new_owner(VIEWER_A, region_known=True)


def test_a_regions_own_keys_begin_with_the_region() -> None:
    access.check_key(A, f"{A}-lokal")
    access.check_key(access.NATIONAL, "anything")
    with pytest.raises(ValidationProblem):
        access.check_key(B, f"{A}-lokal")


def test_writers_and_readers() -> None:
    legacy = version(None)  # stored before owners: national
    assert access.writes(CATALOGUE, access.owner_of(legacy))
    assert not access.writes(ADMIN_A, access.owner_of(legacy))
    own = version(A)
    assert access.reads(ADMIN_A, own) and not access.reads(ADMIN_B, own)
    assert access.reads(ADMIN_B, version(A, "published"))
    with pytest.raises(NotFound):
        access.require_writer(ADMIN_B, [own], "framework x")
    with pytest.raises(Forbidden):
        access.require_writer(ADMIN_B, [version(A, "published"), own], "framework x")
    access.require_writer(ADMIN_A, [own], "framework x")
    assert access.usable_by(A, own) and access.usable_by(B, legacy)
    assert not access.usable_by(B, own)
