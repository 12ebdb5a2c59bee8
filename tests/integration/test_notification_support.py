"""Shared helpers of the notification integration tests (no tests here).

`NotifyStack` (fixture `notify`) gives a test its own database and topics, a worker started
on demand (several, or pointed at another SMTP port, when the test needs it), the HTTP API
with minted tokens, event builders, and the mails the local sink received for an address.
Recipient addresses carry the test's tag, so a test only ever sees its own mails.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from notification import bootstrap
from notification.app import create_app
from notification.config import NotifyConfig
from notification.worker import spec
from smartcity_shared.devtoken import mint
from smartcity_shared.events import encode, new_event
from smartcity_shared.settings import Settings
from tests.support.kafka import produce
from tests.support.stack import eventually

REGION = "kab-batang"
FAST = NotifyConfig(
    delivery_poll_s=0.05,
    reminder_poll_s=0.1,
    digest_poll_s=0.2,
    dlq_sweep_s=0.5,
    lease_s=5.0,
    senders=2,
    retry_backoff_s=(0.3,),
    max_attempts=50,
    cache_ttl_s=0.0,
    smtp_timeout_s=1.0,
)
DEAD_PORT = 9  # discard: nothing listens there on a test machine


@dataclass
class NotifyStack:
    settings: Settings
    env: dict[str, str]
    start_worker: Callable[..., threading.Event]
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:8])

    def __post_init__(self) -> None:
        self.ctx = bootstrap.build(self.settings, FAST)
        bootstrap.ensure_indexes(self.ctx)
        self.client: FlaskClient = create_app(self.settings, self.ctx).test_client()

    # -- processes -----------------------------------------------------------------------
    def worker(
        self,
        smtp_port: int | None = None,
        clock: Callable[[], datetime] | None = None,
        **config: Any,
    ) -> threading.Event:
        """Start a worker replica (its own clients, same database and consumer group);
        `clock` pins what its handlers and reminder loop take as now."""
        settings = self.settings.with_(smtp_port=smtp_port or self.settings.smtp_port)
        ctx = bootstrap.build(settings, FAST.with_(worker_id=uuid.uuid4().hex[:6], **config))
        worker_spec = spec(ctx) if clock is None else spec(ctx, clock)
        return self.start_worker(settings, ctx.db, worker_spec)

    # -- directory and events ------------------------------------------------------------
    def address(self, name: str) -> str:
        return f"{name}-{self.tag}@batangkab.go.id"

    def publish(self, event: dict[str, Any], topic: str | None = None) -> dict[str, Any]:
        topic = topic or _TOPICS[event["type"].split(".")[1]]
        produce(self.settings, topic, event["subject"], encode(event))
        return event

    def directory(self, units: dict[str, str], contacts: dict[str, str] | None = None) -> None:
        """Region, OPDs (code -> name, contact `<code>-<tag>@`) and an admin person, through
        the directory topic (a worker must be running)."""
        self.publish(_directory("region", REGION, region_id=REGION, name="Kabupaten Batang",
                                kind="regency", timezone="Asia/Jakarta", active=True,
                                admin_emails=[self.address("diskominfo")]))  # fmt: skip
        for code, name in units.items():
            self.publish(_directory("unit", f"{REGION}:{code}", unit_id=f"{REGION}:{code}",
                                    region=REGION, code=code, name=name, active=True,
                                    contact_emails=[(contacts or {}).get(code)
                                                    or self.address(code)]))  # fmt: skip
        self.publish(_directory("person", f"p-{self.tag}", person_id=f"p-{self.tag}",
                                region=REGION, name="Admin Diskominfo", role="admin",
                                email=self.address("admin"), active=True))  # fmt: skip
        units_copy = self.ctx.db["dir_units"]
        eventually(
            lambda: (
                units_copy.count_documents({"region": REGION}) == len(units)
                and self.ctx.db["dir_people"].count_documents({}) == 1
            ),
            timeout=20,
            message="directory copy",
        )

    # -- HTTP ----------------------------------------------------------------------------
    def headers(self, role: str = "admin", unit: str = "", email: str = "", region: str = REGION):
        token = mint(self.settings.jwt_secret, role, region, unit, email=email)
        return {"Authorization": f"Bearer {token}"}

    def deliveries(self, **query: Any) -> list[dict[str, Any]]:
        r = self.client.get("/deliveries", query_string=query, headers=self.headers())
        assert r.status_code == 200, r.get_json()
        return r.get_json()["items"]  # type: ignore[no-any-return]

    # -- mail sink -----------------------------------------------------------------------
    def mails_to(self, address: str) -> list[dict[str, Any]]:
        """Messages the sink accepted for `address`: headers, subject, text and html."""
        folder = Path(self.env["MAILSINK_DIR"])
        index = folder / "index.jsonl"
        if not index.exists():
            return []
        found = []
        for line in index.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line) if line.strip() else {}
            if address.lower() in [a.lower() for a in entry.get("rcpt_tos", [])]:
                found.append(_parse(folder / f"{entry['id']}.eml"))
        return found

    def wait_for_mails(self, address: str, count: int = 1, timeout: float = 30) -> list[Any]:
        return eventually(
            lambda: len(self.mails_to(address)) >= count and self.mails_to(address),
            timeout=timeout,
            message=f"{count} mail(s) to {address}",
        )


_TOPICS = {
    "directory": "smartcity.directory",
    "cycle": "smartcity.evaluation",
    "submission": "smartcity.evaluation",
    "recommendation": "smartcity.evaluation",
    "risk": "smartcity.evaluation",
    "scorecard": "smartcity.evaluation",
    "innovation": "smartcity.innovation",
    "milestone": "smartcity.innovation",
    "quota": "smartcity.innovation",
}


def _directory(entity: str, subject: str, **data: Any) -> dict[str, Any]:
    event_type = f"smartcity.directory.{entity}.upserted"
    return new_event(event_type, "evaluation", subject, data, region=REGION)


def _parse(path: Path) -> dict[str, Any]:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    return {
        "subject": " ".join(str(message["Subject"]).split()),  # unfolded
        "headers": {k: str(v) for k, v in message.items()},
        "text": text.get_content() if text is not None else "",
        "html": html.get_content() if html is not None else "",
    }


# -- event builders ---------------------------------------------------------------------
CYCLE_NAME = "Evaluasi Smart City"


def unit_ref(code: str, name: str) -> dict[str, str]:
    return {"unit": f"{REGION}:{code}", "unit_code": code, "unit_name": name}


def deadline_set(cycle: str, deadline: str, units: dict[str, str], previous: str | None = None):
    data = {
        "cycle_id": cycle, "region": REGION, "year": int(deadline[:4]), "name": CYCLE_NAME,
        "submission_deadline": deadline, "previous_deadline": previous,
        "timezone": "Asia/Jakarta",
        "participants": [unit_ref(code, name) for code, name in units.items()],
    }  # fmt: skip
    return new_event("smartcity.cycle.deadline_set", "evaluation", cycle, data, region=REGION)


def submission(kind: str, cycle: str, code: str, name: str, **extra: Any) -> dict[str, Any]:
    data = {
        "submission_id": f"sub-{cycle}-{code}", "cycle_id": cycle, "cycle_name": CYCLE_NAME,
        "region": REGION, "year": 2030, **unit_ref(code, name), **extra,
    }  # fmt: skip
    return new_event(
        f"smartcity.submission.{kind}", "evaluation", data["submission_id"], data, region=REGION
    )


def returned(cycle: str, code: str, name: str, reason: str = "Lengkapi bukti dukung."):
    return submission("returned", cycle, code, name, comments=2, reason=reason, returned_by="a1")


def submitted(cycle: str, code: str, name: str) -> dict[str, Any]:
    now = datetime.now(UTC).isoformat()
    return submission("submitted", cycle, code, name, submitted_at=now, late=False,
                      resubmission=False)  # fmt: skip


def local_date_in(days: int) -> date:
    return (datetime.now(UTC) + timedelta(hours=7)).date() + timedelta(days=days)


def notify_stack(make_settings, start_worker, stack_env) -> Iterator[NotifyStack]:  # type: ignore[no-untyped-def]
    """The body of each test module's `notify` fixture (fixtures are not imported, so that
    test arguments do not shadow an import)."""
    stack = NotifyStack(make_settings("notification"), stack_env, start_worker)
    yield stack
    stack.ctx.client.close()
