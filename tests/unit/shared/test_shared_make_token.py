"""`make token` as the README shows it: the assessor's region `*` reaches the token as is
(the shell must not expand it into file names)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import jwt

ROOT = Path(__file__).resolve().parents[3]


def test_make_token_keeps_a_wildcard_region() -> None:
    result = subprocess.run(
        ["make", "-s", "token", "ROLE=assessor", "REGION=*"],
        cwd=ROOT, capture_output=True, text=True, check=True, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    claims = jwt.decode(result.stdout.strip(), options={"verify_signature": False})
    assert (claims["role"], claims["region"]) == ("assessor", "*")
