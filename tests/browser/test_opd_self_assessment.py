"""An OPD staffer of kab-batang does the self-assessment in a real browser: sign-in on the
provider's page, home with the open cycle, the form rendered from the framework, a draft saved,
a submit refused with every missing item shown at its field, then a complete submit."""

from __future__ import annotations

import uuid
from typing import Any

from selenium.webdriver.common.keys import Keys

from tests.browser.browser import Page
from tests.browser.conftest import PASSWORD, REGION, Admin, ensure_directory
from tests.support.stack import eventually

UNIT, EMAIL = "dlh", "dlh@batangkab.go.id"
LEVELS = [{"label": f"Tingkat {n}", "criteria": f"Kriteria tingkat {n}"} for n in range(1, 6)]


def small_framework(key: str) -> dict[str, Any]:
    questions = [
        {"key": "q-level", "type": "level", "text": "Tingkat kematangan layanan", "levels": LEVELS,
         "required": True, "evidence": {"required_from_level": 3}},
        {"key": "q-decree", "type": "boolean", "text": "Ada SK Tim Smart City?", "required": True},
        {"key": "q-decree-link", "type": "file", "text": "Tautan SK Tim Smart City",
         "visible_if": {"question": "q-decree", "op": "eq", "value": True}},
        {"key": "q-share", "type": "number", "text": "Persentase program terlaksana",
         "target": 100, "unit": "%", "required": True},
    ]  # fmt: skip
    indicator = {"key": "layanan", "name": "Layanan publik", "questions": questions}
    dimension = {"key": "tata-kelola", "name": "Tata kelola", "indicators": [indicator]}
    bands = [{"label": "Kurang", "min": 0}, {"label": "Baik", "min": 2.6}]
    return {"key": key, "name": f"Uji portal {key}", "scale_max": 5, "bands": bands,
            "dimensions": [dimension]}  # fmt: skip


def open_cycle(admin: Admin, unit: str = UNIT) -> str:
    key = f"{REGION}-portal-{uuid.uuid4().hex[:6]}"  # a region's own framework
    admin.call("POST", "/frameworks", small_framework(key))
    admin.call("POST", f"/frameworks/{key}/versions/1/publish")
    body = {"year": 2026, "name": f"Evaluasi uji {key}", "framework_key": key,
            "participants": [unit], "submission_deadline": "2099-12-31"}  # fmt: skip
    return str(admin.call("POST", f"/regions/{REGION}/cycles", body)["id"])


def unlabelled_inputs(page: Page) -> list[str]:
    script = """
      return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter(e => !(e.id && document.querySelector(`label[for="${CSS.escape(e.id)}"]`)))
        .map(e => e.name || e.outerHTML.slice(0, 80));
    """
    return list(page.driver.execute_script(script))


def test_opd_signs_in_saves_a_draft_and_submits_with_missing_items_at_their_fields(
    page: Page, admin: Admin
) -> None:
    ensure_directory(admin, {UNIT: "Dinas Lingkungan Hidup"})
    cycle_id = open_cycle(admin)

    page.open("/")
    page.wait('[data-testid="sign-in"]')
    assert "Masuk" in page.text()
    page.find("body").send_keys(Keys.TAB)
    assert page.driver.switch_to.active_element.get_attribute("class") == "skip-link"
    page.screenshot("welcome")
    assert page.outside_loads() == []

    page.find('[data-testid="sign-in"]').click()
    page.sign_in(EMAIL, PASSWORD)
    card = page.wait(f'[data-testid="cycle-{cycle_id}"]')
    assert "Yang perlu dikerjakan" in page.text()
    assert "draf" in card.text.lower()
    page.screenshot("opd-home")
    assert page.outside_loads() == []

    card.find_element("css selector", "a").click()
    page.wait('[data-testid="save-draft"]')
    assert "Kriteria tingkat 3" in page.text()  # level criteria from the framework
    assert unlabelled_inputs(page) == []
    page.screenshot("opd-form")
    assert page.outside_loads() == []

    # htmx (served by the portal itself) saves the draft as the answers change.
    page.by_id("answers.q-share").send_keys("10")
    page.find("body").click()
    eventually(lambda: "Draf tersimpan" in page.by_id("save-status").text, 30, 0.5, "autosave")
    assert admin.call("GET", f"/cycles/{cycle_id}/submissions/{UNIT}")["answers"] == {"q-share": 10}
    page.by_id("answers.q-share").clear()

    # Skip logic as the API decides it: the decree's link shows once the decree is "Ya".
    link_field = page.find('[data-question="q-decree-link"]')
    assert not link_field.is_displayed()
    page.by_id("answers.q-decree-1").click()  # Ya
    eventually(link_field.is_displayed, 30, 0.5, "the link question shown after autosave")
    page.find('[data-testid="save-draft"]').click()
    page.wait(".notice")
    assert "Draf tersimpan." in page.text()
    assert page.by_id("answers.q-decree-1").is_selected()

    page.find('[data-testid="continue"]').click()
    page.wait('[data-testid="submit"]').click()
    summary = page.wait('[data-testid="error-summary"]')
    anchors = summary.find_elements("css selector", "a")
    links = {a.get_attribute("href").rsplit("#", 1)[1] for a in anchors}
    assert {"answers.q-level", "answers.q-share"} <= links
    assert "answers.q-decree" not in links
    assert page.driver.switch_to.active_element == summary
    for key in ("q-level", "q-share"):
        field = page.find(f'[data-question="{key}"]')
        assert "field--error" in field.get_attribute("class")
        assert field.find_elements("css selector", ".error-message")
    page.screenshot("opd-form-errors")

    page.by_id("answers.q-level-2").click()
    page.by_id("answers.q-share").send_keys("75")
    page.find('[data-testid="continue"]').click()
    page.wait('[data-testid="submit"]')
    assert "2: Tingkat 2" in page.text() and "75" in page.text()
    page.screenshot("opd-check")
    page.find('[data-testid="submit"]').click()
    session = page.driver.get_cookie("session")
    assert session and len(session["value"]) < 3800, "the session cookie must fit a browser's 4 KB"
    state = page.wait('[data-testid="submission-state"]')
    assert state.text.lower() == "terkirim"
    assert "Penilaian mandiri Anda telah dikirim." in page.text()
    stored = admin.call("GET", f"/cycles/{cycle_id}/submissions/{UNIT}")
    assert stored["state"] == "submitted"
    assert stored["answers"] == {"q-level": 2, "q-decree": True, "q-share": 75}
