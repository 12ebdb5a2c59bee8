"""`stack.py install`: the venv, the Kafka jars and the FerretDB binary, each cached in .cache/."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import StackError
from .config import (
    CACHE,
    FERRETDB_BIN,
    KAFKA_LIBS,
    KEYCLOAK_VERSION,
    KEYCLOAK_ZIP,
    LOCAL_DIR,
    ROOT,
    SERVICES,
    VENV,
    VENV_PY,
    WORKER_ONLY,
)
from .procs import indent

CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
PACKAGE_DIRS = ("shared", *(f"services/{s}" for s in (*SERVICES, *WORKER_ONLY, "portal")))
# Tools for tests and lint, plus what the stack itself uses from the venv
# (kafka-python and pymongo for readiness probes, aiosmtpd for the mail sink).
DEV_TOOLS = [
    "pytest",
    "hypothesis",
    "schemathesis",
    "kubernetes-validate",
    "ruff",
    "mypy",
    "requests",
    "pyyaml",
    "types-PyYAML",
    "types-requests",
    "kafka-python",
    "pymongo",
    "aiosmtpd",
    "selenium",
]
KAFKA_POM = LOCAL_DIR / "kafka" / "pom.xml"
FERRETDB_SRC = LOCAL_DIR / "ferretdb"
STAMPS = CACHE / "stamps"
#: How often a long install step reports that it is still running.
TICK_S = float(os.environ.get("INSTALL_TICK_S", "10"))


def _digest(*parts: Path | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            h.update(str(part.relative_to(ROOT)).encode())
            h.update(part.read_bytes() if part.is_file() else b"<missing>")
        else:
            h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def _fresh(name: str, digest: str) -> bool:
    stamp = STAMPS / name
    return stamp.is_file() and stamp.read_text().strip() == digest


def _stamp(name: str, digest: str) -> None:
    STAMPS.mkdir(parents=True, exist_ok=True)
    (STAMPS / name).write_text(digest + "\n")


def run_step(
    label: str, argv: list[str], hint: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> str:
    """Run one install command; on failure raise what failed, why (output tail) and what to do."""
    if shutil.which(argv[0]) is None and not Path(argv[0]).is_file():
        raise StackError(f"{label} failed: `{argv[0]}` is not on PATH\n  what to do: {hint}")
    with _ticker(label):
        proc = subprocess.run(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
    if proc.returncode != 0:
        plain = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout)  # Maven colours even with -B
        out = "\n".join(plain.splitlines()[-30:])
        raise StackError(
            f"{label} failed: `{' '.join(argv)}` exited {proc.returncode}\n{indent(out)}\n"
            f"  what to do: {hint}"
        )
    return proc.stdout


@contextmanager
def _ticker(label: str, every_s: float = TICK_S) -> Iterator[None]:
    """While a step runs, say every `every_s` seconds that it still does (a cold FerretDB
    build or Maven download takes a minute or more)."""
    done = threading.Event()
    started = time.monotonic()

    def tick() -> None:
        while not done.wait(every_s):
            _say(label, f"still running ({time.monotonic() - started:.0f} s)")

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def _say(label: str, text: str, started: float | None = None) -> None:
    took = f" ({time.monotonic() - started:.1f} s)" if started is not None else ""
    print(f"{label:<16} {text}{took}", flush=True)


def venv() -> None:
    started = time.monotonic()
    if VENV_PY.exists():
        _say("venv", ".venv present")
        return
    run_step(
        "venv",
        [sys.executable, "-m", "venv", str(VENV)],
        "check that python3 has the venv module (Debian: apt-get install python3-venv)",
    )
    _say("venv", f"created .venv with {sys.executable}", started)


def python_packages() -> None:
    started = time.monotonic()
    dirs = [d for d in PACKAGE_DIRS if (ROOT / d / "pyproject.toml").is_file()]
    missing = [d for d in PACKAGE_DIRS if d not in dirs]
    inputs = [CONSTRAINTS, ROOT / "pyproject.toml", *(ROOT / d / "pyproject.toml" for d in dirs)]
    digest = _digest(
        *inputs,
        VENV / "pyvenv.cfg",
        " ".join(dirs + DEV_TOOLS),
        str((VENV / "pyvenv.cfg").stat().st_mtime_ns),
    )
    note = f"; skipped (no pyproject.toml yet): {', '.join(missing)}" if missing else ""
    if _fresh("pip", digest):
        _say("python packages", f"up to date ({len(dirs)} editable){note}")
        return
    argv = [
        str(VENV_PY),
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
        "-c",
        str(CONSTRAINTS),
    ]
    for d in dirs:
        argv += ["-e", d]
    _say("python packages", "installing into .venv (pinned by requirements/constraints.txt)")
    run_step(
        "python packages",
        argv + DEV_TOOLS,
        "fix the package or pin named above (requirements/constraints.txt, a pyproject.toml), "
        "check that the package registry is reachable, then run `make install` again",
    )
    _stamp("pip", digest)
    _say("python packages", f"installed {len(dirs)} editable + dev tools{note}", started)


def kafka_jars() -> None:
    started = time.monotonic()
    digest = _digest(KAFKA_POM)
    jars = list(KAFKA_LIBS.glob("*.jar"))
    if jars and _fresh("kafka-jars", digest):
        _say("kafka jars", f"up to date ({len(jars)} jars)")
        return
    tmp = KAFKA_LIBS.with_name("libs.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    _say("kafka jars", "fetching from Maven Central")
    run_step(
        "kafka jars",
        [
            "mvn",
            "-q",
            "-B",
            "-f",
            str(KAFKA_POM),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={tmp}",
        ],
        "install Maven and Java 17, check that Maven Central is reachable, then `make install`",
    )
    shutil.rmtree(KAFKA_LIBS, ignore_errors=True)
    tmp.rename(KAFKA_LIBS)
    _stamp("kafka-jars", digest)
    _say("kafka jars", f"fetched {len(list(KAFKA_LIBS.glob('*.jar')))} jars", started)


def ferretdb() -> None:
    started = time.monotonic()
    sources = sorted(FERRETDB_SRC.glob("*.go"))
    digest = _digest(*sources, FERRETDB_SRC / "go.mod", FERRETDB_SRC / "go.sum")
    if FERRETDB_BIN.is_file() and _fresh("ferretdb", digest):
        _say("ferretdb", f"up to date ({FERRETDB_BIN.relative_to(ROOT)})")
        return
    FERRETDB_BIN.parent.mkdir(parents=True, exist_ok=True)
    tmp = FERRETDB_BIN.with_name(FERRETDB_BIN.name + ".tmp")
    _say("ferretdb", "building with Go (a cold build takes about 70 s)")
    run_step(
        "ferretdb",
        ["go", "build", "-trimpath", "-ldflags=-s -w", "-o", str(tmp), "."],
        "install Go (1.24+), check that the Go module proxy is reachable, then `make install` "
        "(a cold build takes ~2 min)",
        cwd=FERRETDB_SRC,
        env={**os.environ, "GOFLAGS": "-mod=readonly"},
    )
    tmp.replace(FERRETDB_BIN)
    _stamp("ferretdb", digest)
    _say("ferretdb", f"built {FERRETDB_BIN.relative_to(ROOT)}", started)


def keycloak_dist() -> None:
    """Keycloak's distribution zip from Maven Central (152 MB, once), with Maven's progress."""
    started = time.monotonic()
    artifact = f"org.keycloak:keycloak-quarkus-dist:{KEYCLOAK_VERSION}:zip"
    if KEYCLOAK_ZIP.is_file() and _fresh("keycloak", artifact):
        _say("keycloak", f"up to date ({KEYCLOAK_ZIP.relative_to(ROOT)})")
        return
    _say("keycloak", f"fetching {artifact} (152 MB, once) with Maven:")
    argv = [
        "mvn",
        *([] if sys.stdout.isatty() else ["-B"]),  # a terminal gets Maven's progress bar
        "dependency:copy",
        f"-Dartifact={artifact}",
        f"-DoutputDirectory={KEYCLOAK_ZIP.parent}",
    ]
    if shutil.which("mvn") is None:
        raise StackError("keycloak: `mvn` is not on PATH\n  what to do: install Maven and Java 17")
    # Output streams through (the download's progress), unlike the quiet steps above.
    rc = subprocess.run(argv, cwd=ROOT, stdin=subprocess.DEVNULL, check=False).returncode
    if rc != 0 or not KEYCLOAK_ZIP.is_file():
        raise StackError(
            f"keycloak: `{' '.join(argv)}` exited {rc}\n"
            "  what to do: check that Maven Central is reachable, then `make install`"
        )
    _stamp("keycloak", artifact)
    _say("keycloak", f"fetched {KEYCLOAK_ZIP.relative_to(ROOT)}", started)


ASSETS_LIST = ROOT / "deploy" / "assets.txt"
ASSETS = CACHE / "assets"


def pinned_assets() -> list[tuple[str, str]]:
    """(name, exact version) of each front-end package in deploy/assets.txt."""
    found = []
    for line in ASSETS_LIST.read_text().splitlines():
        parts = line.split("#", 1)[0].split()
        if parts:
            found.append((parts[0], parts[1]))
    return found


def assets() -> None:
    """`npm pack` each pinned package from the npm registry and unpack it into
    .cache/assets/<name>/ (no CDN at run time; nothing committed)."""
    started = time.monotonic()
    digest = _digest(ASSETS_LIST)
    if ASSETS.is_dir() and _fresh("assets", digest):
        _say("assets", f"up to date ({ASSETS.relative_to(ROOT)})")
        return
    tmp = ASSETS.with_name("assets.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, version in pinned_assets():
        _say("assets", f"fetching {name}@{version}")
        out = run_step(
            "assets",
            ["npm", "pack", "--silent", f"{name}@{version}", "--pack-destination", str(tmp)],
            "install Node.js/npm, check that the npm registry is reachable (deploy/assets.txt "
            "pins the versions), then `make install`",
        )
        tarball = tmp / out.strip().splitlines()[-1]
        (tmp / name).mkdir()
        with tarfile.open(tarball) as tar:
            tar.extractall(tmp / name, filter=_strip_package)
        tarball.unlink()
    shutil.rmtree(ASSETS, ignore_errors=True)
    tmp.rename(ASSETS)
    _stamp("assets", digest)
    _say("assets", f"unpacked {len(pinned_assets())} package(s)", started)


def _strip_package(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    """npm tarballs keep their files under `package/`: unpack them without that folder."""
    name = member.name.split("/", 1)[1] if "/" in member.name else ""
    if not name:
        return None
    return tarfile.data_filter(member.replace(name=name), dest)


def java_present() -> None:
    if shutil.which("java") is None:
        raise StackError(
            "java is not on PATH: Kafka needs Java 17+\n  what to do: install OpenJDK 17"
        )


@contextmanager
def install_lock() -> Iterator[None]:
    """One install at a time per checkout (parallel `make test` runs share .cache/)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / "install.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def install() -> None:
    """Make the checkout runnable; each step is skipped when its inputs did not change."""
    with install_lock():
        venv()
        python_packages()
        kafka_jars()
        ferretdb()
        keycloak_dist()
        _portal_extras()
        assets()
        _manifest_tools()
        java_present()


def _manifest_tools() -> None:
    """kustomize, so the manifest tests render the base and every overlay."""
    from .kustomize import kustomize

    kustomize()


def _portal_extras() -> None:
    """The browser the portal's tests drive (its front-end packages: deploy/assets.txt)."""
    from .browser import browser

    browser()
