"""The Diskominfo admin reads the region's evaluation over the years through the UI: the trend
of a framework with two published years (made through the API) as an inline SVG chart and a
table with the API's numbers and its workbook passed through, the directory with its units and
people (adding a person: the API's 422 at the field, then the accounts worker's invitation in
the mail sink), and one version of a framework with its dimensions, indicators, questions
and bands."""

from __future__ import annotations

import uuid

import requests

from smartcity_shared.devtoken import mint
from tests.browser.browser import Page
from tests.browser.conftest import REGION, Admin, Sink, ensure_directory
from tests.browser.test_admin_oversight import shown_when
from tests.browser.test_opd_self_assessment import small_framework, unlabelled_inputs
from tests.browser.test_review_story import sign_in_as
from tests.support.stack import eventually

UNIT = "diskominfo"
ADMIN = "admin.smartcity@batangkab.go.id"


def submitted(env: dict[str, str], base: str, level: int) -> None:
    token = mint(env["JWT_SECRET"], "opd", REGION, UNIT)
    headers = {"Authorization": f"Bearer {token}"}
    current = requests.get(base, headers=headers, timeout=30).json()
    body = {"answers": {"q-level": level, "q-decree": True, "q-share": 60}}
    revision = {"If-Match": f'"{current["revision"]}"'}
    saved = requests.patch(base, json=body, headers={**headers, **revision}, timeout=30)
    assert saved.status_code == 200, saved.text
    revision = {"If-Match": f'"{saved.json()["revision"]}"'}
    done = requests.post(f"{base}/submit", json={}, headers={**headers, **revision}, timeout=30)
    assert done.status_code == 200, done.text


def published_year(admin: Admin, env: dict[str, str], key: str, year: int, level: int) -> None:
    body = {"year": year, "name": f"Evaluasi {year} {key}", "framework_key": key,
            "participants": [UNIT], "submission_deadline": "2099-12-31"}  # fmt: skip
    cycle_id = admin.call("POST", f"/regions/{REGION}/cycles", body)["id"]
    base = f"/cycles/{cycle_id}/submissions/{UNIT}"
    submitted(env, admin.base + base, level)
    for action in ("start-review", "verify", "finalize"):
        revision = admin.call("GET", base)["revision"]
        admin.call("POST", f"{base}/{action}", {}, if_match=revision)
    admin.call("POST", f"/cycles/{cycle_id}/publish")


def test_admin_reads_the_trend_the_directory_and_a_framework(
    page: Page, admin: Admin, portal_stack: dict[str, str]
) -> None:
    ensure_directory(admin, {UNIT: "Dinas Komunikasi dan Informatika"})
    key = f"{REGION}-tren-{uuid.uuid4().hex[:6]}"
    admin.call("POST", "/frameworks", small_framework(key))
    admin.call("POST", f"/frameworks/{key}/versions/1/publish")
    published_year(admin, portal_stack, key, 2025, 1)
    published_year(admin, portal_stack, key, 2026, 2)
    trend = admin.call("GET", f"/regions/{REGION}/trend?framework={key}")
    assert [p["year"] for p in trend["points"]] == [2025, 2026]

    sign_in_as(page, ADMIN, "/admin/")
    page.wait('[data-testid="trend-link"]').click()
    page.find(f"#framework option[value='{key}']").click()
    page.find('[data-testid="show-trend"]').click()
    page.wait_url(f"framework={key}")
    for point in trend["points"]:
        year = point["year"]
        shown = page.wait(f'[data-testid="overall-{year}"]').text
        assert shown == f"{point['overall']:.2f}".replace(".", ","), (shown, point)
        cell = page.find(f'[data-testid="dimension-{year}-tata-kelola"]').text
        assert cell == f"{point['dimensions']['tata-kelola']:.2f}".replace(".", ",")
    assert trend["points"][0]["overall"] != trend["points"][1]["overall"]
    assert page.all('[data-testid="trend-chart"] svg polyline')
    assert "Tren antartahun" in page.text()
    assert unlabelled_inputs(page) == []
    page.screenshot("admin-trend")
    assert page.outside_loads() == []
    link = page.find('[data-testid="trend-xlsx"]').get_attribute("href")
    cookies = {c["name"]: c["value"] for c in page.driver.get_cookies()}
    workbook = requests.get(link, cookies=cookies, timeout=30)  # the signed-in session's
    assert workbook.status_code == 200, workbook.text[:300]
    assert workbook.content[:2] == b"PK" and "trend.xlsx" in workbook.headers["Content-Disposition"]

    page.open("/admin/")
    page.wait('[data-testid="directory-link"]').click()
    unit = page.wait(f'[data-testid="unit-{UNIT}"]')
    assert "Dinas Komunikasi dan Informatika" in unit.text
    people = admin.call("GET", f"/regions/{REGION}/people")
    for person in people[:3]:
        assert person["email"] in page.find(f'[data-testid="person-{person["id"]}"]').text
    assert unlabelled_inputs(page) == []
    page.screenshot("admin-directory")
    assert page.outside_loads() == []

    email = f"staf.{uuid.uuid4().hex[:6]}@batangkab.go.id"
    page.by_id("name").send_keys("Staf Diskominfo Baru")
    page.by_id("email").send_keys("bukan-surel")
    page.find(f"#unit option[value='{UNIT}']").click()
    page.find('[data-testid="save-person"]').click()
    error = page.wait('[data-testid="error-email"]')
    assert "Bukan alamat surel yang sah" in error.text  # the API's 422, at the field
    assert page.by_id("name").get_attribute("value") == "Staf Diskominfo Baru"
    page.screenshot("admin-add-person-refused")
    page.by_id("email").clear()
    page.by_id("email").send_keys(email)
    page.find('[data-testid="save-person"]').click()
    shown_when(page, email)
    [added] = [p for p in admin.call("GET", f"/regions/{REGION}/people") if p["email"] == email]
    assert (added["role"], added["unit"]) == ("opd", UNIT)
    assert email in page.find(f'[data-testid="person-{added["id"]}"]').text
    mail = eventually(
        lambda: [m for m in Sink(portal_stack).mails() if email in m["to"]],
        timeout=90,
        message="the accounts worker's invitation",
    )
    assert mail[0]["subject"]

    page.open("/admin/")
    page.wait('[data-testid="frameworks-link"]').click()
    page.wait(f'[data-testid="version-{key}-1"]').click()
    assert page.wait('[data-testid="framework-name"]').text == f"Uji portal {key}"
    assert "Layanan publik" in page.find('[data-testid="indicator-layanan"]').text
    assert "Tingkat kematangan layanan" in page.find('[data-testid="question-q-level"]').text
    assert "Baik" in page.find('[data-testid="bands"]').text
    page.screenshot("admin-framework")
    assert page.outside_loads() == []
