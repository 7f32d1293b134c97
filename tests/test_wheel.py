"""kg installs like a Python tool: the wheel built from this tree, installed into a fresh virtual
environment outside the checkout, builds the seeds, validates the graph and serves it from an
empty folder, finding its ontology, reference data, example queries and templates in the package."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import time
import venv
from pathlib import Path

import httpx
import pytest
from conftest import free_port

import kg

ROOT = Path(kg.__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh environment holding only the wheel (its dependencies are read
    from this environment's site-packages, so nothing is downloaded)."""
    wheels = tmp_path_factory.mktemp("wheels")
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(wheels),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    wheel = next(wheels.glob("kg-*.whl"))
    home = tmp_path_factory.mktemp("fresh-env")
    venv.create(home, with_pip=True)
    bin_dir = home / "bin"
    site = Path(
        subprocess.run(
            [str(bin_dir / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    paths = sysconfig.get_paths()
    (site / "kg-test-dependencies.pth").write_text(f"{paths['purelib']}\n{paths['platlib']}\n")
    installing = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installing.returncode == 0, installing.stderr
    return bin_dir


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(installed / "python"), "-c", "import kg, kg.paths; print(kg.__file__); print(kg.paths.ONTOLOGY_DIR)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    module, ontology = where.stdout.split()
    assert str(installed.parent) in module and str(installed.parent) in ontology
    version = subprocess.run(
        [str(installed / "python"), "-m", "kg", "--version"], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert version.stdout.strip() == f"kg {kg.__version__}"


def test_build_validate_and_serve_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    kg_command = str(installed / "kg")
    build = subprocess.run(
        [kg_command, "build", str(ROOT / "seeds"), "--out", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "out" / "graph.ttl").stat().st_size > 10_000
    validate = subprocess.run(
        [kg_command, "validate", "out/graph.ttl"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert validate.returncode == 0, validate.stdout + validate.stderr
    port = free_port()
    server = subprocess.Popen(
        [kg_command, "serve", "--data", "out", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
            try:
                answer = httpx.get(
                    f"http://127.0.0.1:{port}/sparql",
                    params={"query": "ASK { ?s ?p ?o }"},
                    headers={"Accept": "application/sparql-results+json"},
                    timeout=5,
                )
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "kg serve did not answer within 60 s"
                time.sleep(0.3)
        assert answer.json()["boolean"] is True
        home = httpx.get(f"http://127.0.0.1:{port}/", headers={"Accept": "text/html"}, timeout=30)
        assert home.status_code == 200 and "SPARQL" in home.text
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_vendored_vocabularies_ship_and_define_the_reused_terms(installed: Path, tmp_path: Path) -> None:
    """ontology/vendor/ (in subfolders) is in the wheel: the installed kg finds every file of its
    index and reads the terms they define."""
    check = subprocess.run(
        [
            str(installed / "python"),
            "-c",
            "from kg.vocabularies import VENDOR_DIR, namespaces, defined_terms\n"
            "spaces = namespaces()\n"
            "assert all(path.is_file() for n in spaces for path, _ in n.files)\n"
            "eli_dl = next(n for n in spaces if n.prefix == 'eli-dl')\n"
            "print(VENDOR_DIR)\n"
            "print(eli_dl.iri + 'answers_to' in defined_terms(eli_dl))",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stderr
    vendor, answers_to = check.stdout.split()
    assert str(installed.parent) in vendor and answers_to == "True"


def test_the_wheel_ships_the_front_end_files_setup_installed(installed: Path, tmp_path: Path) -> None:
    from kg.web.vendor import OWN_FILES, VENDOR_DIR, VENDOR_FILES

    where = subprocess.run(
        [str(installed / "python"), "-c", "import kg.web.vendor as v; print(v.STATIC_DIR)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    static = Path(where.stdout.strip())
    assert str(installed.parent) in str(static)
    for name in OWN_FILES:  # kg's own scripts and styles ship always
        assert (static / name).read_bytes() == (VENDOR_DIR.parent / name).read_bytes(), name
    present = [name for name in VENDOR_FILES if (VENDOR_DIR / name).is_file()]
    if not present:
        pytest.skip("no front-end libraries in this tree to ship (`python3 dev.py setup` installs them with npm)")
    for name in present:
        assert (static / "vendor" / name).read_bytes() == (VENDOR_DIR / name).read_bytes(), name
