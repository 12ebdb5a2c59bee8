"""Driving the system chromium (headless) with selenium: pages, screenshots, sign-in, and the
check that a page loaded nothing from outside the platform."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", ROOT / ".cache" / "artifacts" / "browser"))
WAIT_S = 60


def chromium() -> WebDriver:
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not binary or not driver:
        raise RuntimeError(
            "chromium/chromedriver missing: `make install` (as root) or "
            "`apt-get install -y chromium chromium-driver`"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(flag)
    options.add_argument("--window-size=1280,1000")
    options.add_argument("--lang=id")
    return webdriver.Chrome(service=Service(driver), options=options)


class Page:
    """One browser session on the portal at `base`."""

    def __init__(self, driver: WebDriver, base: str) -> None:
        self.driver, self.base = driver, base.rstrip("/")

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)

    def wait(self, css: str) -> WebElement:
        located = ec.presence_of_element_located((By.CSS_SELECTOR, css))
        return WebDriverWait(self.driver, WAIT_S).until(located)  # type: ignore[no-any-return]

    def wait_url(self, part: str) -> None:
        WebDriverWait(self.driver, WAIT_S).until(ec.url_contains(part))

    def find(self, css: str) -> WebElement:
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def by_id(self, element_id: str) -> WebElement:
        return self.driver.find_element(By.ID, element_id)

    def all(self, css: str) -> list[WebElement]:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self) -> str:
        return str(self.find("body").text)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        print(f"screenshot: {path}")
        return path

    def outside_loads(self) -> list[str]:
        """Every resource this page loaded from anywhere but the portal itself."""
        names: Any = self.driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)"
        )
        sources = [
            *names,
            *[e.get_attribute("src") or "" for e in self.all("script[src], img[src], iframe")],
            *[e.get_attribute("href") or "" for e in self.all("link[href]")],
        ]
        return [u for u in sources if u and not u.startswith(self.base + "/")]

    def sign_in(self, email: str, password: str) -> None:
        """Through the provider's own login page, as a person would."""
        self.wait("#username").send_keys(email)
        self.by_id("password").send_keys(password)
        self.by_id("kc-login").click()
