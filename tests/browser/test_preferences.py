"""A person sets their notification preferences; what the API refuses is shown at its field."""

from __future__ import annotations

from tests.browser.browser import Page
from tests.browser.conftest import PASSWORD

EMAIL = "dishub@batangkab.go.id"


def test_opd_opts_out_of_review_mails_and_sees_the_refusal_for_deadlines(page: Page) -> None:
    page.open("/preferences/")
    page.sign_in(EMAIL, PASSWORD)
    save = page.wait('[data-testid="save-preferences"]')
    assert EMAIL in page.text()
    if not page.by_id("opt_out-review").is_selected():
        page.by_id("opt_out-review").click()
    page.by_id("language-en").click()
    save.click()
    page.wait(".notice")
    assert "Preferensi notifikasi Anda tersimpan." in page.text()
    assert page.by_id("opt_out-review").is_selected()
    assert page.by_id("language-en").is_selected()
    page.screenshot("preferences")
    assert page.outside_loads() == []

    page.by_id("opt_out-deadline").click()
    page.find('[data-testid="save-preferences"]').click()
    summary = page.wait('[data-testid="error-summary"]')
    assert summary.find_elements("css selector", "a")
    assert page.find(".field--error #opt_out")
    assert page.outside_loads() == []
