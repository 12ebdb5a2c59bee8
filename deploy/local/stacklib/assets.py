"""Pinned front-end packages from the npm registry, unpacked under .cache/assets/<name>/.

The portal serves them at /assets/<name>/... (ASSETS_DIR); nothing is committed and nothing
is loaded from a CDN at run time. `npm pack name@version` fetches the exact tarball (with the
registry's integrity check); each package is unpacked once per pinned version.
"""

from __future__ import annotations

import shutil
import tarfile
import tempfile
import time
from pathlib import Path

from .config import ASSETS_DIR
from .install import _fresh, _say, _stamp, run_step

# name -> exact version (change a pin here; `make install` fetches it)
FRONTEND = {"htmx.org": "2.0.11"}


def unpack(tarball: Path, target: Path) -> None:
    """Extract an npm tarball's `package/` into `target` (members outside it are refused)."""
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    with tarfile.open(tarball) as archive:
        archive.extractall(tmp, filter="data")
    shutil.rmtree(target, ignore_errors=True)
    (tmp / "package").rename(target)
    shutil.rmtree(tmp, ignore_errors=True)


def frontend_assets() -> None:
    for name, version in FRONTEND.items():
        started = time.monotonic()
        target = ASSETS_DIR / name
        stamp = f"asset-{name}"
        if target.is_dir() and _fresh(stamp, version):
            _say("assets", f"{name} {version} up to date")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as work:
            run_step(
                "assets",
                ["npm", "pack", "--silent", "--pack-destination", work, f"{name}@{version}"],
                "install Node.js/npm and check that the npm registry is reachable",
                cwd=Path(work),
            )
            unpack(next(Path(work).glob("*.tgz")), target)
        _stamp(stamp, version)
        _say("assets", f"{name} {version} unpacked into {target}", started)
