"""An OPD staffer registers a non-digital innovation in a real browser (sign-in on the
provider's page), sees it listed with the quota status the innovation API reports, moves it to
trial with an evidence link (the shortfall drops), and adds a milestone and marks it done."""

from __future__ import annotations

import random
from typing import Any

import requests
from selenium.webdriver.support.ui import Select

from smartcity_shared.devtoken import mint
from tests.browser.browser import Page
from tests.browser.conftest import PASSWORD, REGION, Admin, ensure_directory
from tests.browser.test_opd_self_assessment import unlabelled_inputs
from tests.support.stack import eventually

UNIT, EMAIL = "disperindagkop", "disperindagkop@batangkab.go.id"
NAME = "Pasar Rakyat Mingguan"


def innovation_api(env: dict[str, str], path: str, body: Any = None) -> Any:
    """GET `path` on the innovation API as the region's admin (PATCH when `body` is given)."""
    token = mint(env["JWT_SECRET"], "admin", REGION, "diskominfo")
    url = f"http://127.0.0.1:{env['INNOVATION_PORT']}{path}"
    headers = {"Authorization": f"Bearer {token}"}
    method = "PATCH" if body is not None else "GET"
    r = requests.request(method, url, json=body, headers=headers, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def unit_line(env: dict[str, str], year: int) -> dict[str, Any]:
    report = innovation_api(env, f"/regions/{REGION}/quota/{year}/compliance")
    return next(u for u in report["units"] if u["unit"] == UNIT)


def fresh_year(env: dict[str, str]) -> int:
    """A year in which the OPD has registered nothing yet (earlier runs used others)."""
    for year in random.sample(range(2030, 2101), 71):
        if unit_line(env, year)["registered"] == 0:
            return year
    raise AssertionError(f"{UNIT} has innovations in every year 2030-2100: use a fresh stack")


def shown_quota(page: Page) -> tuple[int, int, int]:
    return tuple(  # type: ignore[return-value]
        int(page.find(f'[data-testid="quota-{k}"]').text)
        for k in ("required", "counted", "shortfall")
    )


def checked(page: Page, name: str) -> None:
    assert unlabelled_inputs(page) == [], name
    assert page.outside_loads() == [], name
    page.screenshot(name)


def test_opd_registers_a_non_digital_innovation_moves_it_to_trial_and_adds_a_milestone(
    page: Page, admin: Admin, portal_stack: dict[str, str]
) -> None:
    ensure_directory(admin, {UNIT: "Dinas Perindustrian, Perdagangan, Koperasi dan UKM"})
    units = f"/regions/{REGION}/units"
    eventually(lambda: UNIT in {u["code"] for u in innovation_api(portal_stack, units)}, 60, 1,
               "the innovation service's copy of the directory has the OPD")  # fmt: skip
    year = fresh_year(portal_stack)

    page.open("/")
    page.find('[data-testid="sign-in"]').click()
    page.sign_in(EMAIL, PASSWORD)
    card = page.wait('[data-testid="home-quota"]')
    home_year = int(page.find('[data-testid="quota-status"]').get_attribute("data-year"))
    line = unit_line(portal_stack, home_year)
    assert shown_quota(page) == (line["required"], line["counted"], line["shortfall"]), card.text

    page.find('[data-testid="nav-innovations"]').click()
    page.wait('[data-testid="new-innovation"]')
    page.by_id("year-filter").clear()
    page.by_id("year-filter").send_keys(str(year))
    page.by_id("year-filter").submit()
    page.wait_url(f"year={year}")
    before = shown_quota(page)
    assert before == (3, 0, 3)
    checked(page, "innovations-list")

    page.find('[data-testid="new-innovation"]').click()
    page.wait('[data-testid="register"]').click()  # nothing chosen: the API's 422 at the fields
    summary = page.wait('[data-testid="error-summary"]')
    links = {
        a.get_attribute("href").rsplit("#", 1)[1]
        for a in summary.find_elements("css selector", "a")
    }
    assert {"name", "type", "form", "pillar"} <= links, links
    assert (
        page.find("#type").find_element("xpath", "..").get_attribute("class")
        == "field field--error"
    )
    checked(page, "innovation-register-errors")

    page.by_id("name").send_keys(NAME)
    page.by_id("type-non_digital").click()
    Select(page.by_id("form")).select_by_value("public_service")
    Select(page.by_id("pillar")).select_by_value("economy")
    page.by_id("description").send_keys("Pasar mingguan produk UMKM di alun-alun.")
    assert page.by_id("year").get_attribute("value") == str(year)
    page.find('[data-testid="register"]').click()
    assert page.wait('[data-testid="stage"]').text.lower() == "inisiatif"
    assert "Inovasi terdaftar." in page.text()
    innovation_id = page.driver.current_url.rstrip("/").rsplit("/", 1)[1]
    checked(page, "innovation-page")

    # An ftp link is refused by the API and shown at the evidence field.
    Select(page.by_id("to")).select_by_value("trial")
    page.by_id("evidence.0.url").send_keys("ftp://batangkab.go.id/pasar.pdf")
    page.by_id("evidence.0.description").send_keys("Foto hari pasar pertama")
    page.find('[data-testid="change-stage"]').click()
    page.wait('[data-testid="error-summary"]')
    assert page.find(".field--error #evidence\\.0\\.url")
    page.by_id("evidence.0.url").clear()
    page.by_id("evidence.0.url").send_keys("https://batangkab.go.id/pasar.pdf")
    Select(page.by_id("to")).select_by_value("trial")
    page.find('[data-testid="change-stage"]').click()
    eventually(lambda: page.find('[data-testid="stage"]').text.lower() == "uji coba", 30, 0.5,
               "the stage shown after the change")  # fmt: skip
    assert "https://batangkab.go.id/pasar.pdf" in [
        a.get_attribute("href") for a in page.all('[data-testid="history"] a')
    ]

    page.by_id("title").send_keys("Hari pasar pertama")
    page.by_id("planned_date").send_keys(f"{home_year}-12-20")
    page.find('[data-testid="add-milestone"]').click()
    item = page.wait('[data-testid="milestones"] li')
    assert "Hari pasar pertama" in item.text
    item.find_element("css selector", "button").click()
    eventually(lambda: "selesai" in page.find('[data-testid="milestones"] li').text.lower(), 30,
               0.5, "the milestone shown done")  # fmt: skip
    checked(page, "innovation-trial-milestone")

    stored = innovation_api(portal_stack, f"/regions/{REGION}/innovations/{innovation_id}")
    assert (stored["type"], stored["stage"], stored["owner_unit"]) == ("non_digital", "trial", UNIT)
    assert stored["milestone_summary"]["done"] == 1

    page.open(f"/opd/innovations/?year={year}")
    row = page.wait(f'[data-testid="innovation-{innovation_id}"]')
    assert NAME in row.text and "uji coba" in row.text.lower()
    line = unit_line(portal_stack, year)
    assert shown_quota(page) == (3, 1, 2) == (line["required"], line["counted"], line["shortfall"])

    # The e-mail link of an innovation lands on its page; a profile edit made from a page older
    # than the innovation is refused (If-Match), a fresh one is saved.
    page.open(f"/innovation/regions/{REGION}/innovations/{innovation_id}")
    page.wait('[data-testid="save-profile"]')
    assert page.driver.current_url.endswith(f"/opd/innovations/{innovation_id}")
    path = f"/regions/{REGION}/innovations/{innovation_id}"
    innovation_api(portal_stack, path, {"results": "Dua puluh pedagang"})  # someone else's edit
    page.by_id("objective").send_keys("Menghidupkan ekonomi desa")
    page.find('[data-testid="save-profile"]').click()
    assert "tidak tersimpan" in page.wait('[data-testid="error-summary"]').text
    page.screenshot("innovation-stale-edit")
    assert innovation_api(portal_stack, path).get("objective") in (None, "")
    page.by_id("objective").clear()
    page.by_id("objective").send_keys("Menghidupkan ekonomi desa")
    page.find('[data-testid="save-profile"]').click()
    page.wait(".notice")
    assert "Profil tersimpan." in page.text()
    stored = innovation_api(portal_stack, path)
    assert stored["objective"] == "Menghidupkan ekonomi desa"
    assert stored["results"] == "Dua puluh pedagang"  # the other edit is kept
