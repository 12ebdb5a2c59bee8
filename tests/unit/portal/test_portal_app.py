"""The portal app without the APIs: settings, language, redirects, catalogue completeness."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.admin_oversight import PERSPECTIVES, STALE
from portal.app import create_app
from portal.auth import local_path
from portal.prefs import CATEGORIES
from portal.review import DONE
from portal.settings import DEV_SECRET, PortalSettings, SettingsError

PORTAL = Path(__file__).resolve().parents[3] / "services" / "portal" / "portal"


def app_for_tests() -> object:
    return create_app(PortalSettings(profile="test"))


def test_placeholder_secret_is_refused_outside_dev_and_test() -> None:
    with pytest.raises(SettingsError):
        PortalSettings.from_env({"PORTAL_SECRET_KEY": DEV_SECRET})
    with pytest.raises(SettingsError):
        PortalSettings.from_env({"PORTAL_SECRET_KEY": "short"})
    ok = PortalSettings.from_env({"STACK_PROFILE": "test"})
    assert ok.secret_key == DEV_SECRET
    strong = PortalSettings.from_env({"PORTAL_SECRET_KEY": "x" * 40, "PORTAL_PORT": "18000"})
    assert strong.base_url == "http://127.0.0.1:18000"


def test_api_urls_follow_the_service_ports() -> None:
    s = PortalSettings.from_env({"STACK_PROFILE": "test", "EVALUATION_PORT": "18001"})
    assert s.api_url("evaluation") == "http://127.0.0.1:18001"
    s = PortalSettings.from_env({"STACK_PROFILE": "dev", "EVALUATION_API_URL": "http://e:1/"})
    assert s.api_url("evaluation") == "http://e:1"


def test_welcome_page_is_indonesian_by_default_and_english_when_chosen() -> None:
    client = app_for_tests().test_client()  # type: ignore[attr-defined]
    page = client.get("/").get_data(as_text=True)
    assert "Masuk" in page and 'lang="id"' in page
    answer = client.post("/language", data={"lang": "en", "next": "/"})
    assert answer.status_code == 302 and "lang=en" in answer.headers["Set-Cookie"]
    page = client.get("/").get_data(as_text=True)
    assert "Sign in" in page and 'lang="en"' in page


def test_signed_out_visitor_of_a_page_is_sent_to_sign_in_with_the_page_to_return_to() -> None:
    client = app_for_tests().test_client()  # type: ignore[attr-defined]
    answer = client.get("/opd/cycles/kab-batang:2026:spbe")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/login?next=/opd/cycles/kab-batang:2026:spbe"


def test_return_address_after_sign_in_stays_on_the_portal() -> None:
    assert local_path("/review/") == "/review/"
    for outside in ("https://evil.example/", "//evil.example/x", "/\\evil", None, ""):
        with create_app(PortalSettings(profile="test")).test_request_context():
            assert local_path(outside) == "/"


def test_every_message_in_templates_and_code_has_an_indonesian_translation() -> None:
    used: set[str] = set()
    for path in [*PORTAL.rglob("*.html"), *PORTAL.glob("*.py")]:
        text = path.read_text()
        used |= set(re.findall(r'_\("((?:[^"\\]|\\.)+)"', text))
        used |= set(re.findall(r"_\('((?:[^'\\]|\\.)+)'", text))
    used |= set(DONE.values()) | set(CATEGORIES.values()) | set(PERSPECTIVES.values()) | {STALE}
    po = PORTAL / "translations" / "id" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh)
    missing = sorted(m for m in used if not (catalog.get(m) and catalog.get(m).string))
    assert not missing, f"untranslated: {missing}"


def test_pages_declare_that_they_load_nothing_from_elsewhere() -> None:
    client = app_for_tests().test_client()  # type: ignore[attr-defined]
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy


def test_provider_metadata_is_read_over_the_backchannel_when_one_is_set() -> None:
    local = PortalSettings.from_env({"STACK_PROFILE": "dev", "OIDC_ISSUER": "http://sso:1/r/"})
    assert local.oidc_metadata_url == "http://sso:1/r/.well-known/openid-configuration"
    inside = PortalSettings.from_env(
        {
            "STACK_PROFILE": "dev",
            "OIDC_ISSUER": "http://sso:1/r",
            "OIDC_BACKCHANNEL_URL": "http://kc:8080/r",
        }
    )
    assert inside.oidc_metadata_url == "http://kc:8080/r/.well-known/openid-configuration"


def test_page_titles_are_plain_text() -> None:
    """A page's <title> block holds words only (a form pasted there once hid in the tab's
    title while the page looked right)."""
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[3] / "services/portal/portal/templates"
    title = re.compile(r"{%\s*block title\s*%}(.*?){%\s*endblock\s*%}", re.S)
    marked = [
        str(p.relative_to(templates))
        for p in templates.rglob("*.html")
        for body in title.findall(p.read_text(encoding="utf-8"))
        if "<" in body
    ]
    assert marked == []
