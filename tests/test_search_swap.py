"""The search index of a build becomes the one readers use only once the store holds the same
build: `kg build` activates it after the store load, and leaves it unused when the load fails."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, free_port

from kg.build.pipeline import build
from kg.paths import SEEDS_DIR
from kg.search.schema import current_folder
from kg.search.writer import activate_index


def kg_build(docs: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", "build", str(docs), "--out", str(out), "--quiet", *extra],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def two_corpora(tmp_path: Path) -> tuple[Path, Path]:
    """The seeds, then the seeds with one of them edited (another index)."""
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS_DIR, docs)
    return docs, next(docs.glob("*8916*"))


def test_build_without_index_now_leaves_the_current_index_until_activated(tmp_path: Path) -> None:
    docs, seed = two_corpora(tmp_path)
    out = tmp_path / "out"
    build([docs], out)
    first = current_folder(out)
    seed.write_text(seed.read_text(encoding="utf-8").replace("sociale media", "sociale netwerken"), encoding="utf-8")
    report = build([docs], out, index_now=False)
    assert report.pending_index is not None and report.pending_index != (first.name if first else None)
    assert current_folder(out) == first  # readers still use the index of the store they see
    activate_index(out, report.pending_index)
    assert current_folder(out) == out / "search" / report.pending_index
    assert first is not None and first.exists()  # kept for readers that still have it open


def test_kg_build_activates_the_index_after_the_store_and_not_when_the_store_fails(tmp_path: Path) -> None:
    docs, seed = two_corpora(tmp_path)
    out = tmp_path / "out"
    assert kg_build(docs, out).returncode == 0
    first = current_folder(out)
    seed.write_text(seed.read_text(encoding="utf-8").replace("sociale media", "sociale netwerken"), encoding="utf-8")
    nobody = f"oxigraph+http://127.0.0.1:{free_port()}/query"  # nothing listens there: the load fails
    failed = kg_build(docs, out, "--store", nobody)
    assert failed.returncode == 1, failed.stderr
    assert "search index of this build stays unused" in failed.stderr
    assert current_folder(out) == first
    done = kg_build(docs, out)
    assert done.returncode == 0, done.stderr
    assert current_folder(out) not in (None, first)
