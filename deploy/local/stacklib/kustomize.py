"""`kustomize` (pinned) built with Go into .cache/bin, so the manifest tests render every overlay.

The Go module proxy serves it like FerretDB's modules; nothing is downloaded at test time.
"""

from __future__ import annotations

import os
import time

from .config import CACHE
from .install import _fresh, _say, _stamp, run_step

VERSION = "v5.7.1"
MODULE = "sigs.k8s.io/kustomize/kustomize/v5"
BIN = CACHE / "bin" / "kustomize"


def kustomize() -> None:
    started = time.monotonic()
    pinned = f"{MODULE}@{VERSION}"
    if BIN.is_file() and _fresh("kustomize", pinned):
        _say("kustomize", f"up to date ({VERSION})")
        return
    BIN.parent.mkdir(parents=True, exist_ok=True)
    _say("kustomize", f"building {VERSION} with Go (about a minute, once)")
    run_step(
        "kustomize",
        ["go", "install", pinned],
        "install Go (1.24+), check that the Go module proxy is reachable, then `make install`",
        env={**os.environ, "GOBIN": str(BIN.parent), "GOFLAGS": "-mod=mod"},
    )
    _stamp("kustomize", pinned)
    _say("kustomize", f"built {BIN.name} {VERSION}", started)
