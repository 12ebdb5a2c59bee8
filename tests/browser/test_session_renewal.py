"""An expired access token is renewed with the refresh token, without a new sign-in. (That
signing out ends the provider's session too is checked by every sign-out of
test_review_story: the next person is asked for a password.)"""

from __future__ import annotations

import time

from flask import Flask

from portal.settings import DEV_SECRET
from tests.browser.browser import Page
from tests.browser.conftest import PASSWORD

EMAIL = "dpupr@batangkab.go.id"


def session_codec() -> object:
    app = Flask("codec")
    app.secret_key = DEV_SECRET  # the test profile's portal key
    return app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]


def test_an_expired_access_token_is_renewed_without_a_new_sign_in(page: Page) -> None:
    page.open("/preferences/")
    page.sign_in(EMAIL, PASSWORD)
    page.wait('[data-testid="save-preferences"]')
    codec = session_codec()
    cookie = page.driver.get_cookie("session")
    assert cookie
    data = codec.loads(cookie["value"])  # type: ignore[attr-defined]
    old_token = data["user"]["token"]
    data["user"]["expires_at"] = 0  # as if the access token had run out
    # Forget the provider's cookies too: a trip to its login page would now ask for the
    # password, so reaching the page proves the portal renewed the token on its own.
    page.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})  # type: ignore[attr-defined]
    page.driver.add_cookie({"name": "session", "value": codec.dumps(data), "path": "/"})  # type: ignore[attr-defined]

    page.open("/preferences/")
    page.wait('[data-testid="save-preferences"]')  # no trip to the provider's login page
    renewed = codec.loads(page.driver.get_cookie("session")["value"])  # type: ignore[attr-defined,index]
    assert renewed["user"]["expires_at"] > time.time()
    assert renewed["user"]["token"] != old_token
    assert not page.all("#username")
