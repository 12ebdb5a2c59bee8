"""Who is who: regions, units (OPDs) with contact e-mails, and people with a role and region.

The evaluation service owns the directory and publishes every change on the compacted
`smartcity.directory` topic; the notification service keeps its own projection and reads it
through the small `Directory` protocol below. `InMemoryDirectory` implements it for tests and
for a projection loaded into memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.utils import formataddr
from typing import Any, Protocol

DEFAULT_TIMEZONE = "Asia/Jakarta"
ALL_REGIONS = "*"


@dataclass(frozen=True)
class Region:
    """A regency or city (e.g. `kab-batang`), with the time zone its deadlines are kept in.

    `admin_emails` are Diskominfo addresses notified with the region's admins."""

    id: str
    name: str
    timezone: str = DEFAULT_TIMEZONE
    admin_emails: tuple[str, ...] = ()
    active: bool = True
    mail_from: str = ""  # the region's sender address ("" = the deployment's MAIL_FROM)
    mail_from_name: str = ""  # its sender name ("" = MAIL_FROM_NAME)


@dataclass(frozen=True)
class Unit:
    """An OPD of a region (id `<region>:<code>`). An inactive unit keeps its history but
    receives no mail."""

    id: str
    region: str
    name: str
    contact_emails: tuple[str, ...] = ()
    active: bool = True


@dataclass(frozen=True)
class Person:
    """Someone with a role (`admin`, `assessor`, `opd`, `viewer`) in a region (`*` = all)."""

    id: str
    name: str
    email: str
    role: str
    region: str
    unit: str | None = None
    language: str = "id"
    active: bool = True


class Directory(Protocol):
    """Read access to the directory projection. Implementations must not block for long:
    `resolve_recipients` calls them once per rule and event."""

    def region(self, region_id: str) -> Region | None:
        """The region, or None when unknown."""
        ...

    def unit(self, region_id: str, unit_id: str) -> Unit | None:
        """The unit of that region, or None when unknown (or of another region)."""
        ...

    def people(self, region_id: str, role: str) -> list[Person]:
        """Active people with `role` whose region is `region_id` or `*`."""
        ...

    def person_by_email(self, email: str) -> Person | None:
        """The active person with that address (case-insensitive), if any."""
        ...

    def person(self, person_id: str) -> Person | None:
        """The person with that id (active or not), or None when unknown."""
        ...

    def people_by_email(self, email: str) -> list[Person]:
        """Every person record with that address (case-insensitive, active or not), of any
        region: who holds an address does not change when a person is deactivated."""
        ...


@dataclass
class InMemoryDirectory:
    """A `Directory` held in dicts; for unit tests and small projections."""

    regions: dict[str, Region] = field(default_factory=dict)
    units: dict[tuple[str, str], Unit] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        regions: Iterable[Region] = (),
        units: Iterable[Unit] = (),
        people: Iterable[Person] = (),
    ) -> InMemoryDirectory:
        directory = cls()
        for region in regions:
            directory.put(region)
        for unit in units:
            directory.put(unit)
        for person in people:
            directory.put(person)
        return directory

    def put(self, item: Region | Unit | Person) -> None:
        """Insert or replace one entry (the projection applies directory events this way)."""
        if isinstance(item, Region):
            self.regions[item.id] = item
        elif isinstance(item, Unit):
            self.units[(item.region, item.id)] = item
        else:
            self.persons[item.id] = item

    def region(self, region_id: str) -> Region | None:
        return self.regions.get(region_id)

    def unit(self, region_id: str, unit_id: str) -> Unit | None:
        return self.units.get((region_id, unit_id))

    def people(self, region_id: str, role: str) -> list[Person]:
        return [
            p
            for p in self.persons.values()
            if p.active and p.role == role and p.region in (region_id, ALL_REGIONS)
        ]

    def person_by_email(self, email: str) -> Person | None:
        wanted = email.strip().lower()
        for person in self.persons.values():
            if person.active and person.email.lower() == wanted:
                return person
        return None

    def person(self, person_id: str) -> Person | None:
        return self.persons.get(person_id)

    def people_by_email(self, email: str) -> list[Person]:
        wanted = email.strip().lower()
        return [p for p in self.persons.values() if p.email.lower() == wanted]


def typed_over_another_regions_person(directory: Directory, region: str, address: str) -> bool:
    """True when `address` (a unit contact or admin address of `region`) is a person registered
    only outside `region` (another region, or `*`). Such an address was typed into this
    region's directory; its mail must not reach that person (docs/ACCESS.md)."""
    people = directory.people_by_email(address)
    return bool(people) and all(p.region != region for p in people)


def region_from_data(data: Mapping[str, Any]) -> Region:
    """A `Region` from the data of `smartcity.directory.region.upserted` (schema v1)."""
    return Region(
        id=str(data["region_id"]),
        name=str(data.get("name") or data["region_id"]),
        timezone=str(data.get("timezone") or DEFAULT_TIMEZONE),
        admin_emails=tuple(data.get("admin_emails") or ()),
        active=bool(data.get("active", True)),
        mail_from=str(data.get("mail_from") or ""),
        mail_from_name=str(data.get("mail_from_name") or ""),
    )


def sender(region: Region | None, default_address: str, default_name: str = "") -> str:
    """The From of a region's mail: its own name and address where set, else the
    deployment's (MAIL_FROM, MAIL_FROM_NAME), as `Name <address>` (or the bare address)."""
    address = (region.mail_from if region else "") or default_address
    name = (region.mail_from_name if region else "") or default_name
    name = " ".join(name.split())  # one line: no header injection through a name
    return formataddr((name, address)) if name else address


def unit_from_data(data: Mapping[str, Any]) -> Unit:
    """A `Unit` from the data of `smartcity.directory.unit.upserted` (schema v1)."""
    return Unit(
        id=str(data["unit_id"]),
        region=str(data["region"]),
        name=str(data.get("name") or data["unit_id"]),
        contact_emails=tuple(data.get("contact_emails") or ()),
        active=bool(data.get("active", True)),
    )


def person_from_data(data: Mapping[str, Any]) -> Person:
    """A `Person` from the data of `smartcity.directory.person.upserted` (schema v1)."""
    return Person(
        id=str(data["person_id"]),
        name=str(data.get("name") or ""),
        email=str(data["email"]),
        role=str(data["role"]),
        region=str(data["region"]),
        unit=data.get("unit") or None,
        language=str(data.get("language") or "id"),
        active=bool(data.get("active", True)),
    )
