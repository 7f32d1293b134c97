"""A build killed while it loads the store leaves its half-loaded copy (`.store.PID.N.new`) in the
output folder; the next build removes every such copy whose process is gone, never a live one's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import copy_build

from kg.stores.embedded import DB_DIR, STORE_DIR, EmbeddedStore, prepare, remove_stale_copies


def _kg(*args: str, cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "kg.cli", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


def _copies(out: Path) -> list[Path]:
    return sorted(out.glob(f".{STORE_DIR}.*"))


def _dead_pid() -> int:
    """The id of a process that ran and is gone (reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_build_killed_while_loading_the_store_is_cleaned_up_by_the_next_build(tmp_path: Path) -> None:
    documents, out = tmp_path / "docs", tmp_path / "out"
    synth = _kg("synth", "--profile", "seeds", "--count", "300", "--out", str(documents), "--quiet", cwd=tmp_path)
    assert synth.wait(60) == 0
    build = _kg("build", str(documents), "--out", str(out), "--quiet", cwd=tmp_path)
    deadline = time.monotonic() + 120
    while not _copies(out) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert build.poll() is None, "the build ended before it loaded the store"
    os.kill(build.pid, signal.SIGKILL)  # mid-load: the copy stays behind
    build.wait()
    left = _copies(out)
    assert [path.name.split(".")[2] for path in left] == [str(build.pid)]
    assert left[0].name.endswith(".new")
    assert not (out / STORE_DIR).exists()

    again = _kg("build", str(documents), "--out", str(out), "--quiet", cwd=tmp_path)
    output = again.communicate(timeout=180)[0].decode()
    assert again.returncode == 0, output
    assert _copies(out) == []
    assert "store" in output and "loaded" in output
    store = EmbeddedStore.open(out)
    assert store.triple_count() > 100_000


def test_copies_of_dead_processes_go_and_a_live_process_copy_stays(seeds_out: Path, tmp_path: Path) -> None:
    data = copy_build(seeds_out, tmp_path / "data")
    dead, live = _dead_pid(), os.getpid()
    half_loaded = data / f".{STORE_DIR}.{dead}.140230.new"
    (half_loaded / DB_DIR).mkdir(parents=True)
    (half_loaded / DB_DIR / "000012.sst").write_bytes(b"\0" * 4096)
    moved_aside = data / f".{STORE_DIR}.{dead}.old"
    moved_aside.mkdir()
    in_progress = data / f".{STORE_DIR}.{live}.140230.new"
    (in_progress / DB_DIR).mkdir(parents=True)
    not_a_copy = data / f".{STORE_DIR}.notes"
    not_a_copy.write_text("kept", encoding="utf-8")

    assert prepare(data) == "loaded"
    assert not half_loaded.exists() and not moved_aside.exists()
    assert (in_progress / DB_DIR).is_dir()
    assert not_a_copy.read_text(encoding="utf-8") == "kept"
    assert remove_stale_copies(data) == []  # nothing more to remove, and the live copy still stays
    assert in_progress.exists()


def test_an_up_to_date_store_still_gets_its_leftovers_removed(seeds_out: Path, tmp_path: Path) -> None:
    data = copy_build(seeds_out, tmp_path / "data")
    assert prepare(data) == "loaded"
    leftover = data / f".{STORE_DIR}.{_dead_pid()}.7.new"
    leftover.mkdir()
    assert prepare(data) is None  # nothing to load
    assert not leftover.exists()
