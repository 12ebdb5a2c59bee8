"""Who reads and changes what in the notification API (CONTRACT.md roles)."""

from __future__ import annotations

import pytest

from notification import access
from smartcity_shared.errors import Forbidden, NotFound
from smartcity_shared.identity import Identity

ADMIN = Identity("a", "admin", "kab-batang", email="Diskominfo@batangkab.go.id")
ASSESSOR = Identity("s", "assessor", "*")
OPD = Identity("o", "opd", "kab-batang", "dinkes")
VIEWER = Identity("v", "viewer", "kab-batang")
DELIVERY = {"region": "kab-batang", "unit_code": "dinkes"}


def test_the_log_scope_follows_region_and_unit():
    assert access.log_scope(ADMIN) == {"region": "kab-batang"}
    assert access.log_scope(ASSESSOR) == {}
    assert access.log_scope(ASSESSOR, "kab-pekalongan") == {"region": "kab-pekalongan"}
    assert access.log_scope(OPD) == {"region": "kab-batang", "unit_code": "dinkes"}
    with pytest.raises(NotFound):
        access.log_scope(ADMIN, "kab-pekalongan")
    with pytest.raises(Forbidden):
        access.log_scope(VIEWER)


def test_an_opd_reads_only_its_own_units_records():
    assert access.may_read(OPD, DELIVERY)
    assert not access.may_read(OPD, {**DELIVERY, "unit_code": "bappeda"})
    assert not access.may_read(Identity("o", "opd", "kab-batang"), DELIVERY)
    assert access.may_read(ASSESSOR, DELIVERY) and not access.may_read(VIEWER, DELIVERY)


def test_only_the_regions_admin_manages_and_others_learn_nothing():
    access.require_manager(ADMIN, "kab-batang")
    with pytest.raises(Forbidden):
        access.require_manager(OPD, "kab-batang")
    with pytest.raises(NotFound):
        access.require_manager(ADMIN, "kab-pekalongan")
    with pytest.raises(NotFound):
        access.require_readable(OPD, {**DELIVERY, "unit_code": "dlh"}, "delivery")


def test_a_person_is_matched_by_the_tokens_email_case_insensitively():
    assert access.is_self(ADMIN, "diskominfo@BATANGKAB.go.id")
    assert not access.is_self(OPD, "dinkes@batangkab.go.id")  # a token without an e-mail
