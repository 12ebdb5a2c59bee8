"""Provisioning rules against a small in-memory AccountProvider (our own port)."""

from __future__ import annotations

import copy
import itertools
from dataclasses import replace

from accounts.domain import SET_PASSWORD, Account, Person
from accounts.provisioning import provision


class FakeProvider:
    def __init__(self) -> None:
        self.accounts: dict[str, Account] = {}
        self.mails: list[tuple[str, list[str]]] = []
        self.ended: list[str] = []
        self.actions: dict[str, list[str]] = {}
        self._ids = itertools.count(1)

    def find(self, person_id: str, email: str) -> Account | None:
        for account in self.accounts.values():
            if account.attribute("person_id") == person_id:
                return copy.deepcopy(account)
        for account in self.accounts.values():
            if account.email == email:
                return copy.deepcopy(account)
        return None

    def create(self, account: Account, required_actions: list[str]) -> str:
        new_id = f"kc-{next(self._ids)}"
        self.accounts[new_id] = replace(copy.deepcopy(account), id=new_id)
        self.actions[new_id] = required_actions
        return new_id

    def update(self, account: Account) -> None:
        self.accounts[account.id] = copy.deepcopy(account)

    def send_actions_email(self, account_id: str, actions: list[str]) -> None:
        self.mails.append((account_id, actions))

    def end_sessions(self, account_id: str) -> None:
        self.ended.append(account_id)


def person(**changes: object) -> Person:
    base = Person("p-1", "kab-batang", "Siti", "siti@batangkab.go.id", "opd", "dinkes", True)
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_new_person_gets_an_account_and_one_set_password_mail() -> None:
    provider = FakeProvider()
    provision(person(), provider)
    provision(person(), provider)  # redelivered
    [account] = provider.accounts.values()
    assert account.username == "siti@batangkab.go.id" and account.enabled
    assert account.attributes["role"] == ["opd"] and account.attributes["unit"] == ["dinkes"]
    assert provider.actions[account.id] == [SET_PASSWORD]
    assert provider.mails == [(account.id, [SET_PASSWORD])]


def test_an_account_that_has_a_password_is_updated_without_mail() -> None:
    provider = FakeProvider()
    provider.accounts["kc-9"] = Account(
        "kc-9", "siti@batangkab.go.id", "siti@batangkab.go.id", "Siti", True,
        {"role": ["opd"], "region": ["kab-batang"], "unit": ["dinkes"]}, has_password=True,
    )  # fmt: skip
    provision(person(role="viewer", unit=""), provider)
    account = provider.accounts["kc-9"]
    assert account.attributes["role"] == ["viewer"] and "unit" not in account.attributes
    assert account.attributes["person_id"] == ["p-1"]
    assert provider.mails == []


def test_a_ministry_assessor_keeps_every_region() -> None:
    provider = FakeProvider()
    provider.accounts["kc-1"] = Account(
        "kc-1", "a@kominfo.go.id", "a@kominfo.go.id", "A", True,
        {"role": ["assessor"], "region": ["*"]}, has_password=True,
    )  # fmt: skip
    provision(person(email="a@kominfo.go.id", role="assessor", unit=""), provider)
    assert provider.accounts["kc-1"].attributes["region"] == ["*"]


def test_a_deactivated_person_is_disabled_and_signed_out() -> None:
    provider = FakeProvider()
    created = provision(person(), provider)
    assert created is not None
    provision(person(active=False), provider)
    assert provider.accounts[created.id].enabled is False
    assert provider.ended == [created.id]
    provision(person(active=False), provider)  # redelivered: nothing more
    assert provider.ended == [created.id]


def test_an_inactive_person_without_an_account_gets_none() -> None:
    provider = FakeProvider()
    assert provision(person(active=False), provider) is None
    assert provider.accounts == {} and provider.mails == []


def test_another_regions_person_cannot_be_taken_over_by_typing_their_address() -> None:
    provider = FakeProvider()
    theirs = provision(person(), provider)  # Siti, an OPD person of kab-batang
    assert theirs is not None
    other = person(person_id="p-77", region="kab-pekalongan", role="admin", unit="")
    provision(other, provider)
    provision(replace(other, active=False), provider)  # nor disabled by the other region
    account = provider.accounts[theirs.id]
    assert account.attributes["region"] == ["kab-batang"] and account.attributes["role"] == ["opd"]
    assert account.enabled and provider.ended == []
    assert provider.mails == [(theirs.id, [SET_PASSWORD])]


def test_an_account_its_region_disabled_may_be_taken_by_the_new_region() -> None:
    provider = FakeProvider()
    theirs = provision(person(), provider)
    assert theirs is not None
    provision(person(active=False), provider)  # kab-batang removed Siti
    provision(person(person_id="p-77", region="kab-pekalongan"), provider)
    account = provider.accounts[theirs.id]
    assert account.enabled and account.attributes["region"] == ["kab-pekalongan"]


def test_the_ministrys_every_region_account_is_not_made_a_regions_admin() -> None:
    provider = FakeProvider()
    provider.accounts["kc-1"] = Account(
        "kc-1", "a@kominfo.go.id", "a@kominfo.go.id", "A", True,
        {"role": ["assessor"], "region": ["*"]}, has_password=True,
    )  # fmt: skip
    provision(person(email="a@kominfo.go.id", role="admin", unit=""), provider)
    assert provider.accounts["kc-1"].attributes["role"] == ["assessor"]
