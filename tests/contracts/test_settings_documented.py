"""Every setting the code reads from the environment is documented in docs/CONTRACT.md, and
the project's docs and code point at their own contract, never at a guide outside the repo."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = ("shared", "services", "deploy", "bench")
#: `environ.get("X"`, `environ["X"]`, `getenv("X"`, and `e.get("X"` / `env.get("X"` on a
#: mapping of the environment (Settings.from_env, NotifyConfig.from_env, the stack's config).
READ = re.compile(
    r"""(?:environ\.get|environ\[|getenv|\be\.get|\benv\.get)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def _python_files() -> list[Path]:
    return [p for d in CODE for p in (ROOT / d).rglob("*.py") if ".venv" not in p.parts]


def test_every_setting_read_by_the_code_is_in_the_contract() -> None:
    names = {m for p in _python_files() for m in READ.findall(p.read_text(encoding="utf-8"))}
    names |= {f"{s}_PORT" for s in ("EVALUATION", "INNOVATION", "NOTIFICATION")}
    assert len(names) > 30  # the scan finds the settings at all
    contract = (ROOT / "docs" / "CONTRACT.md").read_text(encoding="utf-8")
    missing = sorted(n for n in names if f"`{n}`" not in contract)
    assert missing == []


def test_nothing_points_outside_the_repository() -> None:
    files = [*_python_files(), *ROOT.glob("*.md"), *(ROOT / "docs").glob("*.md"),
             *(ROOT / "services").rglob("*.md")]  # fmt: skip
    pointing = [str(p.relative_to(ROOT)) for p in files if "shared/guide" in p.read_text("utf-8")]
    assert pointing == []
