"""A region's mail comes from the region's own sender, set on the region over HTTP in the
evaluation service's directory and carried to the notifier by the directory event; a region
without one mails from the deployment's MAIL_FROM."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from evaluation import bootstrap as eval_bootstrap
from smartcity_shared.worker import WorkerSpec
from tests.integration.test_evaluation_support import REGION, make_api
from tests.support.stack import eventually

from .test_notification_support import NotifyStack, notify_stack, returned

SENDER = "smartcity@pekalongankab.go.id"


@pytest.fixture
def notify(make_settings, start_worker, stack_env) -> Iterator[NotifyStack]:  # type: ignore[no-untyped-def]
    yield from notify_stack(make_settings, start_worker, stack_env)


def test_mail_comes_from_the_regions_own_sender_else_the_default(
    notify, make_settings, start_worker
) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings("evaluation")  # same test tag: same topics as the notifier
    admin, ctx = make_api(settings)
    to = notify.address("dinkes")
    admin.patch(f"/regions/{REGION}/units/dinkes", {"contact_emails": [to]}).ok()
    start_worker(settings, ctx.db, WorkerSpec("evaluation", [], {}, eval_bootstrap.AGGREGATES))
    notify.worker()
    copy = notify.ctx.db["dir_units"]
    eventually(lambda: copy.find_one({"_id": f"{REGION}:dinkes", "contact_emails": [to]}))

    notify.publish(returned("c-1", "dinkes", "Dinas Kesehatan"))
    (first,) = notify.wait_for_mails(to)
    assert first["headers"]["From"] == notify.settings.mail_from

    body = {"mail_from": SENDER, "mail_from_name": "Smart City Kabupaten Pekalongan"}
    region = admin.patch(f"/regions/{REGION}", body).ok()
    assert (region["mail_from"], region["mail_from_name"]) == (SENDER, body["mail_from_name"])
    regions = notify.ctx.db["dir_regions"]
    eventually(lambda: regions.find_one({"_id": REGION, "mail_from": SENDER}))
    notify.publish(returned("c-2", "dinkes", "Dinas Kesehatan"))
    second = notify.wait_for_mails(to, count=2)[1]
    assert second["headers"]["From"] == f"Smart City Kabupaten Pekalongan <{SENDER}>"
    assert second["headers"]["Message-ID"].endswith("@pekalongankab.go.id>")

    bad = admin.patch(f"/regions/{REGION}", {"mail_from_name": "a\r\nBcc: x@evil.example"})
    assert bad.status == 422
