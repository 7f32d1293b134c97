"""A broken install stops `kg serve` at start, with a message naming what is missing, instead of
serving without a part (a router, a template) and failing later or never."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import free_port

import kg

PACKAGE = Path(kg.__file__).resolve().parent


def _run_a_copy_without(tmp_path: Path, missing: str, *command: str) -> subprocess.CompletedProcess[str]:
    """Copy the kg package, delete one of its files, and run a `kg` command from the copy (Python
    started without site hooks, so the copy is what gets imported, not the installed kg)."""
    copy = tmp_path / "lib"
    shutil.copytree(PACKAGE, copy / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "kg" / missing).unlink()
    path = f"{copy}:{sysconfig.get_paths()['purelib']}:{sysconfig.get_paths()['platlib']}"
    return subprocess.run(
        [sys.executable, "-S", "-m", "kg", *command],
        cwd=tmp_path,
        env={"PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "missing, named",
    [
        ("web/pages.py", "kg.web.pages"),
        ("web/sparql/worker.py", "kg.web.sparql.worker"),
        ("web/templates/resource.html", "resource.html"),
        ("web/templates/error.html", "error.html"),
    ],
)
def test_a_missing_part_stops_serve_at_start_naming_it(
    tmp_path: Path, seeds_out: Path, missing: str, named: str
) -> None:
    result = _run_a_copy_without(tmp_path, missing, "serve", "--data", str(seeds_out), "--port", str(free_port()))
    assert result.returncode == 1, result.stderr
    assert "broken install" in result.stderr and named in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_extraction_stops_build_at_start_naming_it(tmp_path: Path) -> None:
    """The social-media extraction is part of kg, not an option that quietly drops out."""
    from kg.paths import SEEDS_DIR

    result = _run_a_copy_without(tmp_path, "rdf/social.py", "build", str(SEEDS_DIR), "--out", str(tmp_path / "out"))
    assert result.returncode == 1, result.stderr
    assert "broken install" in result.stderr and "kg.rdf.social" in result.stderr, result.stderr
    assert not (tmp_path / "out" / "graph.ttl").exists()
