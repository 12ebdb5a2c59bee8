"""The Diskominfo admin's oversight through the UI: an overdue recommendation and an extreme
risk (made through the API) show on the dashboard, the risk register's heatmap shows the API's
count for the cell (and pages of the register), the recommendations list and the master plan's
programme behind schedule show, and a cycle's deadline is extended; the API's 422 (a bad date),
412 (changed meanwhile) and 409 (closed cycle) are shown at the field."""

from __future__ import annotations

import uuid

import requests
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from smartcity_shared.devtoken import mint
from tests.browser.browser import WAIT_S, Page
from tests.browser.conftest import REGION, Admin, ensure_directory
from tests.browser.test_opd_self_assessment import open_cycle, unlabelled_inputs
from tests.browser.test_review_story import sign_in_as
from tests.support.stack import eventually

UNIT = "bappeda"
ADMIN = "admin.smartcity@batangkab.go.id"


def overdue_recommendation(admin: Admin) -> dict[str, str]:
    body = {"unit": UNIT, "title": f"Perbarui SOP data {uuid.uuid4().hex[:6]}",
            "due_date": "2020-01-31", "priority": "high"}  # fmt: skip
    return admin.call("POST", f"/regions/{REGION}/recommendations", body)  # type: ignore[no-any-return]


def extreme_risk(admin: Admin) -> dict[str, str]:
    body = {"unit": UNIT, "title": f"Server data tunggal {uuid.uuid4().hex[:6]}",
            "perspective": "sustainability", "likelihood": 5, "impact": 4}  # fmt: skip
    return admin.call("POST", f"/regions/{REGION}/risks", body)  # type: ignore[no-any-return]


def shown_when(page: Page, words: str) -> None:
    """Wait until the page (the next one, after a form is sent) shows `words`."""
    wait = WebDriverWait(page.driver, WAIT_S, ignored_exceptions=(StaleElementReferenceException,))
    wait.until(lambda d: words in d.find_element(By.TAG_NAME, "body").text)


def programme_behind_schedule(env: dict[str, str]) -> str:
    """A programme of a 2019-2024 plan with no innovation: behind (its period ended)."""
    base = f"http://127.0.0.1:{env['INNOVATION_PORT']}/regions/{REGION}/masterplans"
    token = mint(env["JWT_SECRET"], "admin", REGION, "diskominfo")
    headers = {"Authorization": f"Bearer {token}"}
    plan = {"title": "RPJMD Smart City 2019-2024", "start_year": 2019, "end_year": 2024}
    made = requests.post(base, json=plan, headers=headers, timeout=30)
    assert made.status_code in (201, 409), made.text
    code = f"SG-{uuid.uuid4().hex[:6]}"
    body = {"id": code, "name": f"Satu Data Batang {code}", "pillar": "governance",
            "horizon": "quick_win", "owner_unit": UNIT}  # fmt: skip

    def added() -> bool:  # the OPD reaches the innovation service's directory as an event
        r = requests.post(f"{base}/mp-2019-2024/programmes", json=body, headers=headers, timeout=30)
        assert r.status_code in (201, 422), r.text
        return r.status_code == 201

    eventually(added, message="programme added")
    return code


def test_admin_sees_overdue_and_extreme_reads_the_heatmap_and_extends_a_deadline(
    page: Page, admin: Admin, portal_stack: dict[str, str]
) -> None:
    ensure_directory(admin, {UNIT: "Bappeda"})
    cycle_id = open_cycle(admin, UNIT)
    rec, risk = overdue_recommendation(admin), extreme_risk(admin)
    extreme_risk(admin)  # a second one: the register has two pages of one
    assert risk["rating"] == "extreme"
    programme = programme_behind_schedule(portal_stack)

    sign_in_as(page, ADMIN, "/admin/")
    overdue = page.wait(f'[data-testid="overdue-{rec["id"]}"]')
    assert rec["title"] in overdue.text and "2020-01-31" in overdue.text
    assert risk["title"] in page.find(f'[data-testid="extreme-{risk["id"]}"]').text
    assert "Rekomendasi terlambat" in page.text()
    assert unlabelled_inputs(page) == []
    page.screenshot("admin-dashboard-oversight")
    assert page.outside_loads() == []

    page.find('[data-testid="risks-link"]').click()
    page.wait('[data-testid="heatmap"]')
    page.find("#perspective option[value='sustainability']").click()
    page.find('[data-testid="filter"]').click()
    page.wait_url("perspective=sustainability")
    query = "?perspective=sustainability"
    expected = admin.call("GET", f"/regions/{REGION}/risks/heatmap{query}")
    assert expected["grid"][4][3] >= 1
    assert page.wait('[data-testid="cell-5-4"]').text == str(expected["grid"][4][3])
    assert page.find('[data-testid="heatmap-total"]').text == str(expected["total"])
    assert page.find(f'[data-testid="risk-{risk["id"]}"]')
    assert unlabelled_inputs(page) == []
    page.screenshot("admin-risk-register")
    assert page.outside_loads() == []
    page.open("/admin/risks?perspective=sustainability&limit=1")  # the register's pages
    total = expected["total"]
    assert page.wait('[data-testid="register-range"]').text == f"1\u20131 / {total}"
    page.find('[data-testid="next-page"]').click()
    page.wait_url("offset=1")
    assert page.wait('[data-testid="register-range"]').text == f"2\u20132 / {total}"

    page.open("/admin/")
    page.wait('[data-testid="recommendations-link"]').click()
    row = page.wait(f'[data-testid="rec-{rec["id"]}"]')
    assert "2020-01-31" in row.text and "terbuka" in row.text and "terlambat" in row.text.lower()
    page.screenshot("admin-recommendations")
    assert page.outside_loads() == []

    page.open("/admin/")
    page.wait('[data-testid="masterplans-link"]').click()
    line = page.wait(f'[data-testid="programme-{programme}"]')
    assert "Bappeda" in line.text and "tertinggal" in line.text.lower()
    assert "not completed" in line.text  # the API's reason, as it gives it
    page.screenshot("admin-masterplans")
    assert page.outside_loads() == []

    page.open("/admin/")
    page.wait(f'[data-testid="deadline-{cycle_id}"]').click()
    page.wait("#submission_deadline").send_keys("31-12-2099")
    page.find('[data-testid="save-deadline"]').click()
    error = page.wait('[data-testid="error-submission_deadline"]')
    assert "harus berupa tanggal" in error.text  # the API's 422, at the field
    assert unlabelled_inputs(page) == []
    page.screenshot("admin-deadline-refused")
    stored = admin.call("GET", f"/cycles/{cycle_id}")  # meanwhile, someone else extends it
    body = {"submission_deadline": "2099-12-30", "reason": "lain"}
    admin.call("PUT", f"/cycles/{cycle_id}/deadline", body, if_match=stored["revision"])
    page.find("#submission_deadline").clear()
    page.find("#submission_deadline").send_keys("2100-01-15")
    page.find('[data-testid="save-deadline"]').click()
    shown_when(page, "Siklus telah diubah")  # the portal's words for the API's 412
    assert "Siklus telah diubah" in page.find('[data-testid="error-submission_deadline"]').text
    assert "2099" in page.find('[data-testid="current-deadline"]').text
    field = page.find("#submission_deadline")
    field.clear()
    field.send_keys("2100-01-15")
    page.by_id("reason").send_keys("Perpanjangan karena libur")
    page.find('[data-testid="save-deadline"]').click()
    shown = page.wait(f'[data-testid="deadline-of-{cycle_id}"]').text
    assert "2100" in shown and "15" in shown, shown
    assert admin.call("GET", f"/cycles/{cycle_id}")["submission_deadline"].startswith("2100-01-15")
    page.screenshot("admin-deadline-extended")
    assert page.outside_loads() == []

    closed = admin.call("POST", f"/cycles/{cycle_id}/phase", {"phase": "closed", "reason": "uji"})
    assert closed["phase"] == "closed"
    page.open(f"/admin/cycles/{cycle_id}/deadline")
    page.wait("#submission_deadline").send_keys("2100-02-01")
    page.find('[data-testid="save-deadline"]').click()
    shown_when(page, "siklus sudah ditutup")  # the API's 409, at the field
    assert "ditutup" in page.find('[data-testid="error-submission_deadline"]').text
    page.screenshot("admin-deadline-closed-cycle")
