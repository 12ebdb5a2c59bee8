"""The browser the portal's browser tests drive: Debian's chromium and chromium-driver.

Installed with apt-get when missing and we are root; otherwise a clear message says what to
run (the rest of the install goes on: only tests/browser needs it)."""

from __future__ import annotations

import os
import shutil
import time

from .install import _say, run_step

PACKAGES = ["chromium", "chromium-driver"]


def browser_present() -> bool:
    return shutil.which("chromium") is not None and shutil.which("chromedriver") is not None


def browser() -> None:
    started = time.monotonic()
    if browser_present():
        _say("browser", "chromium and chromedriver present")
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        _say(
            "browser",
            "MISSING chromium/chromedriver (the browser tests will fail): as root run "
            "`apt-get update && apt-get install -y chromium chromium-driver`",
        )
        return
    hint = "run `apt-get update && apt-get install -y chromium chromium-driver` by hand"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run_step("browser", ["apt-get", "update", "-qq"], hint, env=env)
    run_step("browser", ["apt-get", "install", "-y", "-qq", *PACKAGES], hint, env=env)
    _say("browser", "installed chromium and chromium-driver (apt-get)", started)
