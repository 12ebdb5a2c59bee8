"""A person added to the directory can sign in without anyone touching the provider: the
evaluation API's directory event reaches the accounts worker, which creates the Keycloak
account and has Keycloak e-mail a "set your password" link (read back from the mail sink);
the person sets a password through that link and signs in; once deactivated, sign-in is
refused. Everything real: HTTP, outbox, Kafka, Keycloak, SMTP."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
import requests

from accounts import bootstrap as accounts_bootstrap
from accounts import worker as accounts_worker
from accounts.config import AccountsConfig
from evaluation import bootstrap as eval_bootstrap
from evaluation.app import create_app as create_eval_app
from smartcity_shared.devtoken import mint
from smartcity_shared.settings import Settings
from smartcity_shared.worker import WorkerSpec
from tests.support.oidc import ensure_keycloak, password_grant
from tests.support.stack import eventually

NEW_PASSWORD = "Batang-baru-2026"


@pytest.fixture(scope="module")
def keycloak(stack_env: dict[str, str]) -> dict[str, str]:
    ensure_keycloak()
    return stack_env


def mails_to(env: dict[str, str], address: str) -> list[dict[str, Any]]:
    base = f"http://127.0.0.1:{env['MAILSINK_HTTP_PORT']}/api/messages"
    listed = requests.get(base, timeout=10).json()
    found = [m for m in listed if address in m["to"]]
    return [requests.get(f"{base}/{m['id']}", timeout=10).json() for m in found]


def set_password_through(link: str) -> None:
    """What the person does in the browser: open the link, proceed, submit a new password."""
    web = requests.Session()
    page = web.get(link, timeout=30)
    for cookie in web.cookies:  # browsers send Secure cookies to http://127.0.0.1; requests not
        cookie.secure = False
    proceed = re.search(r'href="([^"]*login-actions/action-token[^"]*)"', page.text)
    if proceed:  # Keycloak first lists the actions ("click here to proceed")
        page = web.get(unescape(proceed.group(1)), timeout=30)
    form = re.search(r'<form[^>]*id="kc-passwd-update-form"[^>]*action="([^"]+)"', page.text)
    assert form, page.text[:2000]
    done = web.post(
        unescape(form.group(1)),
        data={"password-new": NEW_PASSWORD, "password-confirm": NEW_PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    assert done.status_code in (200, 302), done.text[:2000]


def test_a_person_added_by_an_admin_sets_a_password_signs_in_and_is_locked_out_when_removed(
    keycloak: dict[str, str],
    make_settings: Callable[[str], Settings],
    start_worker: Callable[..., Any],
) -> None:
    eval_settings = make_settings("evaluation")
    eval_ctx = eval_bootstrap.build(eval_settings)
    client = create_eval_app(eval_settings, eval_ctx).test_client()
    admin = {"Authorization": f"Bearer {mint(eval_settings.jwt_secret, 'admin', 'kab-batang')}"}
    client.post("/regions", json={"region_id": "kab-batang", "name": "Batang"}, headers=admin)
    client.post(
        "/regions/kab-batang/units", json={"code": "dinkes", "name": "Dinkes"}, headers=admin
    )
    email = f"staf.{uuid.uuid4().hex[:8]}@batangkab.go.id"
    created = client.post(
        "/regions/kab-batang/people",
        json={"name": "Staf Baru Dinkes", "email": email, "role": "opd", "unit": "dinkes"},
        headers=admin,
    )
    assert created.status_code == 201, created.get_json()

    start_worker(
        eval_settings, eval_ctx.db, WorkerSpec("evaluation", [], {}, eval_bootstrap.AGGREGATES)
    )
    accounts_settings = make_settings("accounts")
    ctx = accounts_bootstrap.build(accounts_settings)
    ctx.provider.config = AccountsConfig.from_env(accounts_settings, keycloak)  # type: ignore[attr-defined]
    start_worker(accounts_settings, ctx.db, accounts_worker.spec(ctx))

    [mail] = eventually(lambda: mails_to(keycloak, email), timeout=60, message="set-password mail")
    link = re.search(r"(http://\S+login-actions/action-token\S+)", mail["text"])
    assert link, mail["text"]
    assert password_grant(keycloak, email, NEW_PASSWORD).status_code != 200  # no password yet

    set_password_through(link.group(1))
    signed_in = password_grant(keycloak, email, NEW_PASSWORD)
    assert signed_in.status_code == 200, signed_in.text

    person = created.get_json()
    removed = client.patch(
        f"/regions/kab-batang/people/{person['id']}",
        json={"active": False},
        headers={**admin, "If-Match": created.headers["ETag"]},
    )
    assert removed.status_code == 200, removed.get_json()
    refused = eventually(
        lambda: password_grant(keycloak, email, NEW_PASSWORD).status_code == 400,
        timeout=60,
        message="sign-in refused after removal",
    )
    assert refused
    assert len(mails_to(keycloak, email)) == 1  # no second invitation
