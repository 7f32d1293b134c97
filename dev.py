#!/usr/bin/env python3
"""Set up kg in a local virtual environment and run it: the two commands of the quick start.

    python3 dev.py serve [kg serve options]   # set up, build the graph from seeds/, serve it
    python3 dev.py test [pytest options]      # set up (with test and browser dependencies), run the tests
    python3 dev.py setup                      # only set up

Needs only Python 3.11+. Set-up is skipped when nothing changed since the last one. Where npm is
installed, set-up also brings the front-end libraries package.json pins (the query editor, the API
explorer, axe-core) with `npm ci` and copies the files kg serves into kg/web/static/vendor/.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
STAMP = VENV / ".kg-setup"
INSTALL_INPUTS = ("pyproject.toml", "setup.py", "kg/_native.c")


def run(*command: str | Path) -> None:
    print("+", " ".join(str(c) for c in command), flush=True)
    subprocess.run([str(c) for c in command], check=True, cwd=ROOT)


def setup(extras: str) -> None:
    """Create .venv and install kg editable with the given extras, once per change of what the
    install reads (pyproject.toml, setup.py, the C source it compiles)."""
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py runs on whatever python3 a user has)
        sys.exit(f"kg needs Python 3.11 or newer, this is {sys.version.split()[0]}")
    inputs = b"".join((ROOT / name).read_bytes() for name in INSTALL_INPUTS if (ROOT / name).exists())
    wanted = hashlib.sha256(inputs + extras.encode()).hexdigest()
    if PYTHON.exists() and STAMP.exists() and wanted in STAMP.read_text().split():
        return
    if not PYTHON.exists():
        print(f"creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".[{extras}]" if extras else "."
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", target)
    previous = STAMP.read_text() if STAMP.exists() else ""
    STAMP.write_text(previous + wanted + "\n")


def install_front_end() -> None:
    """The front-end libraries kg serves itself (package.json pins them): `npm ci`, then copy the
    few files kg serves into kg/web/static/vendor/ (listed in kg/web/vendor.py). Without npm
    the pages keep their plain forms, and the tests needing the libraries are skipped."""
    spec = importlib.util.spec_from_file_location("kg_vendor", ROOT / "kg" / "web" / "vendor.py")
    assert spec is not None and spec.loader is not None
    vendor = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = vendor  # its dataclasses look their module up
    spec.loader.exec_module(vendor)
    node_modules = ROOT / "node_modules"
    npm = shutil.which("npm")
    lock = ROOT / "package-lock.json"
    stamp = node_modules / ".kg-npm-ci"
    wanted = hashlib.sha256(lock.read_bytes()).hexdigest() if lock.exists() else ""
    if npm is None:
        if not node_modules.is_dir():
            print(
                "note: npm not found: the query editor, the API explorer and the accessibility tests need the "
                "front-end libraries (install Node.js and npm, then run `python3 dev.py setup` again); "
                "the plain pages work without them",
                flush=True,
            )
            return
    elif not (stamp.exists() and stamp.read_text() == wanted):
        # --ignore-scripts: no package runs code at install; the lock file fixes every version and checksum.
        command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
        print("+", " ".join(command), flush=True)
        if subprocess.run(command, cwd=ROOT).returncode != 0:
            print(
                "note: `npm ci` failed: the pages keep their plain forms; the tests needing the libraries are skipped"
            )
            return
        stamp.write_text(wanted)
    absent = vendor.copy_vendor_files(node_modules)
    if absent:
        print(f"note: not found in node_modules: {', '.join(absent)}", flush=True)


# Debian packages the tests use, with the command that shows each is there: chromium for the
# browser tests, OpenLink Virtuoso as a remote SPARQL store (Oxigraph server comes from PyPI),
# wrk as the benchmarks' load generator.
SYSTEM_PACKAGES = {
    "chromium": ("chromium", "chromium-browser"),
    "virtuoso-opensource": ("virtuoso-t",),
    "wrk": ("wrk",),
}


def install_system_packages() -> None:
    """Install the missing Debian packages when we can (root with apt-get); otherwise the tests
    that need them are skipped, and say why."""
    missing = [
        name for name, commands in SYSTEM_PACKAGES.items() if not any(shutil.which(command) for command in commands)
    ]
    if not missing:
        return
    if os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env)
        for name in missing:  # one at a time: a package that cannot be installed skips its tests only
            if subprocess.run(["apt-get", "install", "-y", "-qq", name], env=env).returncode != 0:
                print(f"note: {name} could not be installed; the tests needing it will be skipped", flush=True)
    else:
        print(
            f"note: {', '.join(missing)} not installed and cannot be installed here; "
            "the tests needing them will be skipped",
            flush=True,
        )


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"serve", "test", "setup"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "serve":
        setup("")
        install_front_end()
        return subprocess.call([str(BIN / "kg"), "serve", *rest], cwd=ROOT)
    setup("test")
    install_front_end()
    if command == "setup":
        return 0
    install_system_packages()
    return subprocess.call([str(PYTHON), "-m", "pytest", *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
