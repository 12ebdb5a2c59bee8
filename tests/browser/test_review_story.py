"""The year's review loop through the UI: an assessor returns a submission with a comment, the
OPD sees the comment at its question and resubmits, the assessor verifies and finalizes, and
the admin publishes and sees the scorecard with its radar chart. Each person signs in on the
provider's page and signs out again."""

from __future__ import annotations

import re

import requests

from smartcity_shared.devtoken import mint
from tests.browser.browser import Page
from tests.browser.conftest import PASSWORD, REGION, Admin, Sink, ensure_directory
from tests.browser.test_opd_self_assessment import open_cycle
from tests.e2e.portal import wait_mail

UNIT = "dinsos"
OPD, ASSESSOR = "dinsos@batangkab.go.id", "asesor.smartcity@undip.ac.id"
ADMIN = "admin.smartcity@batangkab.go.id"
DASH = "\u2013"  # what a page shows for "no value"


def submitted_by_api(admin: Admin, env: dict[str, str], cycle_id: str, unit: str = UNIT) -> None:
    """The first submit (the browser part of it is test_opd_self_assessment)."""
    token = mint(env["JWT_SECRET"], "opd", REGION, unit)
    headers = {"Authorization": f"Bearer {token}"}
    path = f"{admin.base}/cycles/{cycle_id}/submissions/{unit}"
    current = requests.get(path, headers=headers, timeout=30).json()
    body = {"answers": {"q-level": 2, "q-decree": True, "q-share": 80}}
    saved = requests.patch(
        path, json=body, headers={**headers, "If-Match": f'"{current["revision"]}"'}, timeout=30
    )
    assert saved.status_code == 200, saved.text
    done = requests.post(
        f"{path}/submit",
        json={},
        headers={**headers, "If-Match": f'"{saved.json()["revision"]}"'},
        timeout=30,
    )
    assert done.status_code == 200, done.text


def sign_in_as(page: Page, email: str, path: str) -> None:
    page.open(path)
    if path == "/":
        page.wait('[data-testid="sign-in"]').click()
    page.sign_in(email, PASSWORD)


def sign_out(page: Page) -> None:
    page.find("form[action='/logout'] button").click()
    page.wait('[data-testid="sign-in"]')
    page.open("/")
    assert page.all('[data-testid="sign-in"]'), "still signed in after signing out"


def act(page: Page, action: str) -> str:
    page.wait(f'[data-testid="action-{action}"]').click()
    page.wait(".notice")
    assert page.outside_loads() == []
    return str(page.find('[data-testid="submission-state"]').text.lower())


def test_return_with_comment_resubmit_verify_finalize_and_publish(
    page: Page, admin: Admin, portal_stack: dict[str, str]
) -> None:
    ensure_directory(admin, {UNIT: "Dinas Sosial"})
    cycle_id = open_cycle(admin, UNIT)
    submitted_by_api(admin, portal_stack, cycle_id)

    sign_in_as(page, ASSESSOR, f"/review/?cycle={cycle_id}")
    page.wait(f'[data-testid="review-{cycle_id}-{UNIT}"]')
    page.screenshot("review-queue")
    page.find(f'[data-testid="review-{cycle_id}-{UNIT}"]').click()
    assert act(page, "start_review") == "sedang ditinjau"
    assert page.find('[data-testid="self-q-level"]').text == "2: Tingkat 2"
    page.by_id("comments.q-level").send_keys("Lampirkan SK penetapan tingkat 3.")
    page.screenshot("review-page")
    assert act(page, "return") == "dikembalikan"
    sign_out(page)

    sign_in_as(page, OPD, "/")
    card = page.wait(f'[data-testid="cycle-{cycle_id}"]')
    assert "Asesor mengembalikan isian Anda dengan komentar." in card.text
    sign_out(page)

    # The e-mail's link: signed out, it goes through the sign-in and lands on the form.
    mail = wait_mail(Sink(portal_stack), OPD, "dikembalikan", cycle_id.rsplit(":", 1)[1])
    link = re.search(r"(http://\S+/evaluation/cycles/\S+/submissions/" + UNIT + ")", mail["text"])
    assert link and link.group(1).startswith(page.base + "/"), mail["text"]
    page.driver.get(link.group(1))
    page.sign_in(OPD, PASSWORD)
    page.wait_url("/opd/cycles/")
    comment = page.wait('[data-testid="comment-q-level"]')
    assert "Lampirkan SK penetapan tingkat 3." in comment.text
    page.screenshot("opd-returned")
    page.by_id("answers.q-level-3").click()
    page.by_id("evidence.q-level").send_keys("https://dokumen.batangkab.go.id/sk-dinsos.pdf")
    page.find('[data-testid="continue"]').click()
    page.wait('[data-testid="submit"]').click()
    assert page.wait('[data-testid="submission-state"]').text.lower() == "terkirim"
    sign_out(page)

    sign_in_as(page, ASSESSOR, f"/review/cycles/{cycle_id}/{UNIT}")
    assert act(page, "start_review") == "sedang ditinjau"
    page.by_id("verified.q-share").send_keys("60")
    assert act(page, "verify") == "terverifikasi"
    assert act(page, "finalize") == "final"
    assert page.find('[data-testid="verified-score"]').text.strip() not in ("", DASH)
    sign_out(page)

    sign_in_as(page, ADMIN, "/admin/")
    page.wait(f'[data-testid="publish-{cycle_id}"]').click()
    radar = page.wait('[data-testid="radar"]')
    assert page.driver.execute_script("return arguments[0].naturalWidth", radar) > 0
    assert page.find('[data-testid="band"]').text.strip() not in ("", DASH)
    assert "Kartu skor telah dipublikasikan." in page.text()
    page.screenshot("admin-scorecard")
    assert page.outside_loads() == []
    stored = admin.call("GET", f"/cycles/{cycle_id}")
    assert stored["published"] is True

    page.open("/admin/")
    page.wait('[data-testid="quota-link"]').click()
    row = page.wait(f'[data-testid="quota-{UNIT}"]')  # the innovation API's board, as it is
    assert "Dinas Sosial" in row.text and "Papan kuota inovasi" in page.text()
    page.screenshot("admin-quota")
    assert page.outside_loads() == []
