"""Helpers of the innovation integration tests (no tests here): the directory fed through
Kafka, the innovation worker, the API client and tokens, and readers of the innovation topic."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask.testing import FlaskClient

from innovation import bootstrap, worker
from innovation.app import create_app
from smartcity_shared import directory_copy
from smartcity_shared.devtoken import mint
from smartcity_shared.events import encode, new_event
from smartcity_shared.settings import Settings
from tests.support.kafka import events_of, produce, read_all
from tests.support.stack import eventually

REGION = "kab-batang"
OPDS = {
    "dinkes": "Dinas Kesehatan",
    "disparpora": "Dinas Pariwisata, Kepemudaan dan Olahraga",
    "dishub": "Dinas Perhubungan",
}


# Aggregates updated in place (compliance snapshots and reminder facts are only inserted).
UPDATED_AGGREGATES = (bootstrap.INNOVATIONS, bootstrap.MASTERPLANS, bootstrap.POLICIES)


@dataclass
class Innovation:
    """The innovation service under test: settings, context, API client."""

    settings: Settings
    ctx: bootstrap.Context
    client: FlaskClient

    def headers(
        self, role: str, unit: str = "", region: str = REGION, **extra: str
    ) -> dict[str, str]:
        token = mint(self.settings.jwt_secret, role, region, unit, sub=f"{role}-{unit or region}")
        return {"Authorization": f"Bearer {token}", **extra}

    def as_(self, role: str, unit: str = "", region: str = REGION) -> Callable[..., Any]:
        """`call(method, path, **kwargs)` with a token of `role`."""
        headers = self.headers(role, unit, region)

        def call(method: str, path: str, **kwargs: Any) -> Any:
            extra = kwargs.pop("headers", {})
            response = self.client.open(path, method=method, headers={**headers, **extra}, **kwargs)
            if method != "GET":
                self.settle()
            return response

        return call

    def settle(self) -> None:
        """Wait until the outbox relay has drained every aggregate.

        The local store (FerretDB on SQLite) does not make two concurrent updates of ONE
        document atomic: the relay's lease write racing with the next API write to the same
        aggregate can undo that write. MongoDB has no such race; the tests wait instead of
        depending on timing.
        """
        db = self.ctx.db
        eventually(
            lambda: not any(db[c].find_one({"_pending": True}) for c in UPDATED_AGGREGATES),
            timeout=15,
            interval=0.02,
            message="outbox drained",
        )

    def events(self, expect: int, timeout: float = 20.0) -> list[dict[str, Any]]:
        """Every event on the (prefixed) innovation topic so far, waiting for `expect`."""
        records = read_all(self.settings, "smartcity.innovation", expect=expect, timeout=timeout)
        return events_of(records)

    def wait_for(self, type: str, count: int = 1, timeout: float = 20.0) -> list[dict[str, Any]]:
        """Every event on the topic once `count` events of `type` arrived (polls)."""
        return eventually(
            lambda: _enough(self.events(expect=10**6, timeout=1.0), type, count),
            timeout=timeout,
            interval=0.05,
            message=f"{count} x {type} on Kafka",
        )


def _enough(events: list[dict[str, Any]], type: str, count: int) -> list[dict[str, Any]] | None:
    return events if len(of_type(events, type)) >= count else None


def directory_events(region: str, opds: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:
    """(key, envelope) of the region and its OPDs, as the evaluation service publishes them."""
    out = [
        (
            region,
            new_event(
                "smartcity.directory.region.upserted",
                "evaluation",
                region,
                {
                    "region_id": region,
                    "name": "Kabupaten Batang",
                    "kind": "regency",
                    "timezone": "Asia/Jakarta",
                    "active": True,
                    "admin_emails": ["diskominfo@batangkab.go.id"],
                },
                region=region,
            ),
        )
    ]
    for code, name in opds.items():
        data = {
            "unit_id": f"{region}:{code}",
            "region": region,
            "code": code,
            "name": name,
            "contact_emails": [f"{code}@batangkab.go.id"],
            "active": True,
        }
        event = new_event(
            "smartcity.directory.unit.upserted", "evaluation", data["unit_id"], data, region=region
        )
        out.append((data["unit_id"], event))
    return out


def start(
    make_settings: Callable[[str], Settings],
    start_worker: Callable[..., Any],
    opds: dict[str, str] | None = None,
    scan_interval_s: float = 3600.0,
    workers: int = 1,
    clock: bootstrap.Clock = bootstrap.utc_now,
) -> Innovation:
    """The API, `workers` innovation workers, and the directory fed through Kafka (waits until
    the copy has every OPD). A test that depends on the date passes a pinned `clock`."""
    settings = make_settings("innovation")
    ctx = bootstrap.build(settings, clock)
    client = create_app(settings, ctx).test_client()
    opds = OPDS if opds is None else opds
    for key, event in directory_events(REGION, opds):
        produce(settings, "smartcity.directory", key, encode(event))
    for _ in range(workers):
        start_worker(settings, ctx.db, worker.spec(ctx, scan_interval_s))
    units = ctx.db[directory_copy.UNITS]
    eventually(
        lambda: units.count_documents({"region": REGION}) == len(opds),
        timeout=30,
        message="directory copy",
    )
    return Innovation(settings, ctx, client)


def profile(unit: str, name: str, **overrides: Any) -> dict[str, Any]:
    """A valid registration body."""
    body: dict[str, Any] = {
        "name": name,
        "owner_unit": unit,
        "year": date.today().year,
        "initiator": "opd",
        "type": "digital",
        "form": "public_service",
        "pillar": "governance",
        "description": f"{name}: a better service.",
        "evidence": [{"url": "https://batangkab.go.id/sk.pdf", "description": "Decree"}],
    }
    body.update(overrides)
    return body


def of_type(events: list[dict[str, Any]], type: str) -> list[dict[str, Any]]:
    """The events of `type`, each id once: delivery is at least once (several relays may
    publish the same entry), and consumers are idempotent on the event id."""
    unique = {e["id"]: e for e in events if e["type"] == type}
    return list(unique.values())
