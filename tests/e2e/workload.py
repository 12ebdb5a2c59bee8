"""Work that crosses every worker, for the fault tests: a fresh region whose OPDs have contact
e-mails (directory events: innovation and notification copy them), extreme risks (evaluation
events) and verified innovations (innovation events), each of which the notification worker
turns into mail. Every step goes through HTTP as a portal would; what should arrive is named
as `(address, subject part, ...)` for `portal.wait_mails`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from tests.e2e.portal import Expectation, Portal, recipients, sink_index, suffix
from tests.support.stack import eventually

EVENTS = 90.0  # seconds for an event to cross services on the busy shared test box


@dataclass(frozen=True)
class Region:
    """One regency of this test run: id and addresses carry a random suffix."""

    running: Any
    sfx: str
    units: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"kab-fault-{self.sfx}"

    def email(self, code: str) -> str:
        return f"{code}-{self.sfx}@batangkab.go.id"

    @property
    def admin_email(self) -> str:
        return f"diskominfo-{self.sfx}@batangkab.go.id"

    def admin(self, service: str = "evaluation") -> Portal:
        return Portal(self.running, service, "admin", self.id, "diskominfo", self.admin_email)

    def assessor(self, service: str) -> Portal:
        return Portal(self.running, service, "assessor", self.id, "", "asesor@kominfo.go.id")

    def opd(self, code: str, service: str) -> Portal:
        return Portal(self.running, service, "opd", self.id, code, self.email(code))


def open_region(running: Any, units: int) -> Region:
    """Diskominfo creates the region and `units` OPDs, each with one contact address (the
    directory events these writes publish are the work of this step)."""
    region = Region(running, suffix(), tuple(f"opd{n}" for n in range(units)))
    admin = region.admin()
    body = {"region_id": region.id, "name": "Kabupaten Uji", "admin_emails": [region.admin_email]}
    admin.post("/regions", {**body, "kind": "regency", "timezone": "Asia/Jakarta"}, expect=201)
    for code in region.units:
        unit = {"code": code, "name": f"Dinas {code}", "contact_emails": [region.email(code)]}
        admin.post(f"/regions/{region.id}/units", unit, expect=201)
    return region


def unit_codes(region: Region) -> list[str]:
    """The OPD codes in the innovation service's copy of the directory (duplicates kept)."""
    return [u["code"] for u in region.admin("innovation").get(f"/regions/{region.id}/units")]


def _knows_address(notify: Portal, address: str) -> bool:
    """The region's admin may read an address's preferences once the directory copy has it."""
    return notify.call("GET", f"/preferences/{address}").status_code == 200


def wait_directory(region: Region) -> None:
    """Until both consumers of the directory know every OPD: the innovation service lists
    them, the notification service knows each contact address."""
    eventually(
        lambda: sorted(unit_codes(region)) == sorted(region.units),
        EVENTS,
        interval=0.5,
        message="the innovation service's copy of the OPDs",
    )
    notify = region.admin("notification")
    for code in region.units:
        eventually(
            partial(_knows_address, notify, region.email(code)),
            EVENTS,
            interval=0.5,
            message=f"the notification service knowing {code}'s contact",
        )


def raise_extreme_risk(region: Region, code: str, title: str) -> list[Expectation]:
    """An extreme risk (5 x 4) for OPD `code`: mailed to the OPD and to Diskominfo."""
    body = {
        "unit": code,
        "perspective": "sustainability",
        "title": title,
        "likelihood": 5,
        "impact": 4,
    }
    raised = region.admin().post(f"/regions/{region.id}/risks", body, expect=201)
    assert raised["rating"] == "extreme", raised
    subject = f"Risiko ekstrem: {title}"
    return [(region.email(code), subject), (region.admin_email, subject)]


def verified_innovation(region: Region, code: str, name: str) -> list[Expectation]:
    """OPD `code` registers an innovation and an assessor verifies it: mailed to the OPD."""
    body = {
        "name": name,
        "owner_unit": code,
        "year": date.today().year,
        "initiator": "opd",
        "type": "digital",
        "form": "public_service",
        "pillar": "governance",
        "description": f"{name}: layanan yang lebih dekat ke warga.",
    }
    base = f"/regions/{region.id}/innovations"
    created = region.opd(code, "innovation").post(base, body, expect=201)
    verdict = {"status": "verified"}
    region.assessor("innovation").post(f"{base}/{created['id']}/verifications", verdict)
    return [(region.email(code), f'Inovasi "{name}" telah diverifikasi')]


def deliveries(region: Region) -> list[dict[str, Any]]:
    """The notification service's delivery log for the region (every page)."""
    admin, items = region.admin("notification"), list[dict[str, Any]]()
    while True:
        page = admin.get(
            "/deliveries", params={"region": region.id, "limit": "500", "offset": str(len(items))}
        )
        items += page["items"]
        if len(items) >= page["total"] or not page["items"]:
            return items


def sink_ids(region: Region) -> list[str]:
    """Message-IDs of the mails in the sink to this region's addresses. The notifier derives
    a mail's Message-ID from its delivery (event, recipient, template), so a delivery sent
    twice shows up as the same id twice."""
    entries = sink_index(region.running)
    return [e["message_id"] for e in entries if any(region.sfx in r for r in recipients(e))]


def settled(region: Region, count: int) -> list[dict[str, Any]]:
    """The delivery log once it holds at least `count` deliveries, all sent, and the sink
    holds a mail for each of them; else nothing."""
    log = deliveries(region)
    done = len(log) >= count and all(d["status"] == "sent" for d in log)
    return log if done and len(set(sink_ids(region))) == len(log) else []
