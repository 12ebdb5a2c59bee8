"""An operator follows one request from the HTTP call to the e-mail by its correlation id:
the API's JSON access line and the notification worker's line for the mail carry it."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from tests.support.stack import eventually

from .portal import Portal, suffix, wait_mails


def _lines(running: Any, name: str, cid: str) -> list[dict[str, Any]]:
    path = Path(running.env["STACK_DIR"]) / "logs" / f"{name}.log"
    found = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if cid in line:
            found.append(json.loads(line))  # every line is JSON
    return found


def test_one_request_is_followed_from_http_to_the_mail_by_its_correlation_id(running) -> None:  # type: ignore[no-untyped-def]
    sfx = suffix()
    region, admin_email = f"kab-cid-{sfx}", f"admin-{sfx}@batangkab.go.id"
    admin = Portal(running, "evaluation", "admin", region, "diskominfo", admin_email)
    body = {"region_id": region, "name": "Kabupaten Batang", "kind": "regency",
            "timezone": "Asia/Jakarta", "admin_emails": [admin_email]}  # fmt: skip
    admin.post("/regions", body, expect=201)
    unit = {"code": "dinkes", "name": "Dinas Kesehatan", "contact_emails": [f"dinkes-{sfx}@x.id"]}
    admin.post(f"/regions/{region}/units", unit, expect=201)
    notify = Portal(running, "notification", "admin", region, "diskominfo", admin_email)
    eventually(
        lambda: notify.call("GET", f"/preferences/{admin_email}").status_code == 200,
        timeout=90,
        message="the notification service knowing the region's admin",
    )

    cid = f"cid-{uuid.uuid4().hex}"
    title = f"Dana pemeliharaan belum ada {sfx}"
    risk = {"unit": "dinkes", "perspective": "sustainability", "title": title,
            "likelihood": 5, "impact": 4}  # fmt: skip
    r = admin.call("POST", f"/regions/{region}/risks", risk, headers={"X-Correlation-ID": cid})
    assert r.status_code == 201, r.text
    wait_mails(running, (admin_email,))

    access = [line for line in _lines(running, "evaluation-api", cid) if line["logger"] == "access"]
    assert [(a["method"], a["path"], a["status"]) for a in access] == [
        ("POST", f"/regions/{region}/risks", 201)
    ]
    sent = eventually(
        lambda: [
            m for m in _lines(running, "notification-worker", cid) if "mail sent" in m["message"]
        ],
        message="the notification worker's line for the mail",
    )
    assert all(line["correlation_id"] == cid for line in sent)
