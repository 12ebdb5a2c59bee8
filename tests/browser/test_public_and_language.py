"""Without signing in: the public page of a region shows its published scorecards (with the
radar chart); English is one click away and remembered."""

from __future__ import annotations

from selenium.webdriver.support.ui import Select

from tests.browser.browser import Page
from tests.browser.conftest import REGION, Admin, ensure_directory
from tests.browser.test_opd_self_assessment import open_cycle
from tests.browser.test_review_story import submitted_by_api

UNIT = "dpmptsp"


def published_cycle(admin: Admin, env: dict[str, str]) -> str:
    ensure_directory(admin, {UNIT: "Dinas Penanaman Modal dan PTSP"})
    cycle_id = open_cycle(admin, UNIT)
    submitted_by_api(admin, env, cycle_id, UNIT)
    base = f"/cycles/{cycle_id}/submissions/{UNIT}"
    for action in ("start-review", "verify", "finalize"):
        revision = admin.call("GET", base)["revision"]
        admin.call("POST", f"{base}/{action}", {}, if_match=revision)
    admin.call("POST", f"/cycles/{cycle_id}/publish")
    return cycle_id


def test_anyone_reads_a_regions_published_scorecards_and_switches_to_english(
    page: Page, admin: Admin, portal_stack: dict[str, str]
) -> None:
    cycle_id = published_cycle(admin, portal_stack)

    page.open("/")
    page.wait('[data-testid="sign-in"]')
    page.find("a[href='/public/']").click()
    page.find(f"a[href='/public/{REGION}']").click()
    card = page.wait(f'[data-testid="public-{cycle_id}"]')
    assert card.find_element("css selector", '[data-testid="public-band"]').text == "Baik"
    radar = card.find_element("css selector", '[data-testid="public-radar"]')
    assert page.driver.execute_script("return arguments[0].naturalWidth", radar) > 0
    assert "Hasil yang dipublikasikan" in page.text()
    assert page.outside_loads() == []
    page.screenshot("public-region")

    Select(page.by_id("lang")).select_by_value("en")
    page.find("form.language button").click()
    page.wait(f'[data-testid="public-{cycle_id}"]')
    assert "Published results" in page.text() and "Hasil yang dipublikasikan" not in page.text()
    page.open("/")
    assert "Sign in" in page.wait('[data-testid="sign-in"]').text
    assert page.driver.find_element("css selector", "html").get_attribute("lang") == "en"
