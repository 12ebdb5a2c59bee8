"""What a directory person's sign-in account should look like (pure rules, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ALL_REGIONS = "*"
SET_PASSWORD = "UPDATE_PASSWORD"


@dataclass(frozen=True)
class Person:
    """The directory's person (`smartcity.directory.person.upserted` data)."""

    person_id: str
    region: str
    name: str
    email: str
    role: str
    unit: str
    active: bool

    @classmethod
    def from_event(cls, data: dict[str, Any]) -> Person:
        return cls(
            person_id=str(data["person_id"]),
            region=str(data["region"]),
            name=str(data["name"]),
            email=str(data["email"]).strip().lower(),
            role=str(data["role"]),
            unit=str(data.get("unit") or ""),
            active=bool(data["active"]),
        )


@dataclass
class Account:
    """The provider's account, as far as provisioning cares."""

    id: str
    username: str
    email: str
    name: str
    enabled: bool
    attributes: dict[str, list[str]] = field(default_factory=dict)
    has_password: bool = False

    def attribute(self, name: str) -> str:
        values = self.attributes.get(name) or [""]
        return values[0]


def attributes_for(person: Person, existing: Account | None) -> dict[str, list[str]]:
    """The account's attributes after this directory change: role, region, unit, person id.

    An assessor the provider already gives every region (`*`, the ministry) keeps it: one
    region's directory does not narrow it. Attributes the directory does not own are kept."""
    kept = dict(existing.attributes) if existing else {}
    region = person.region
    if existing and person.role == "assessor" and existing.attribute("region") == ALL_REGIONS:
        region = ALL_REGIONS
    kept.update({"role": [person.role], "region": [region], "person_id": [person.person_id]})
    if person.role == "opd" and person.unit:
        kept["unit"] = [person.unit]
    else:
        kept.pop("unit", None)
    return kept


def belongs_elsewhere(person: Person, existing: Account | None) -> bool:
    """True when the e-mail's account is an active person of another region (or the ministry's
    every-region account, unless this person is an assessor): one region's directory must not
    rewrite, disable or take over another region's person by typing their address. A disabled
    account (its region removed the person) may be taken over."""
    if existing is None or not existing.enabled:
        return False
    region = existing.attribute("region")
    if region in ("", person.region):
        return False
    return not (region == ALL_REGIONS and person.role == "assessor")


def needs_invitation(person: Person, account: Account) -> bool:
    """A set-password e-mail goes once to an active person whose account has no password."""
    return person.active and not account.has_password and account.attribute("invited") != "true"
