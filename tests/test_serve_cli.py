"""`kg serve` as users run it: building the seeds when there is nothing yet, reusing the store on
restart, refusing a base URI the data was not built with, and stopping cleanly on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from conftest import children, copy_build, start_server, stop_server

from kg.stores.embedded import DB_DIR, FINGERPRINT_FILE, STORE_DIR


def count(server) -> int:
    response = httpx.get(server.url + "sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def kg_serve(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", "serve", *args], capture_output=True, text=True, timeout=120)


def test_empty_folder_is_built_from_seeds_then_reused(tmp_path: Path) -> None:
    data = tmp_path / "out"
    server = start_server(data)
    try:
        info = json.loads((data / "build.json").read_text())
        assert count(server) == info["triples"] > 0
        workers = children(server.process.pid)
    finally:
        stop_server(server)
    # SIGTERM is a graceful shutdown: uvicorn finishes, then re-raises the signal, so the process
    # ends as killed by SIGTERM (what a process manager expects), not with an exit code of its own
    assert server.process.returncode == -signal.SIGTERM, server.process.returncode
    assert "query workers stopped" in server.process.stdout.read().decode()
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)  # and takes the workers along
    db = data / STORE_DIR / DB_DIR
    marker = (
        db.stat().st_ino,
        (data / STORE_DIR / FINGERPRINT_FILE).stat().st_mtime_ns,
        (data / "graph.nt.gz").stat().st_mtime_ns,
    )
    again = start_server(data)
    try:
        assert count(again) == info["triples"]
    finally:
        stop_server(again)
    assert (
        db.stat().st_ino,
        (data / STORE_DIR / FINGERPRINT_FILE).stat().st_mtime_ns,
        (data / "graph.nt.gz").stat().st_mtime_ns,
    ) == marker  # no rebuild, no reload


def test_base_uri_for_a_fresh_build(tmp_path: Path) -> None:
    base = "https://kg.example.org/senate/"
    server = start_server(tmp_path / "out", "--base-uri", base)
    try:
        assert json.loads((tmp_path / "out" / "build.json").read_text())["base"] == base
        response = httpx.get(server.url + "sparql", params={"query": f"ASK {{ <{base}id/question/5-8913> ?p ?o }}"})
        assert response.json()["boolean"] is True
        void = httpx.get(server.url + ".well-known/void", headers={"Accept": "application/n-triples"}).text
        assert f"<{base}.well-known/void#dataset>" in void
    finally:
        stop_server(server)


def test_base_uri_the_data_was_not_built_with_is_refused(seeds_out: Path, tmp_path: Path) -> None:
    data = copy_build(seeds_out, tmp_path / "data")
    result = kg_serve("--data", str(data), "--base-uri", "https://other.example/", "--port", "1")
    assert result.returncode == 2
    assert "built with base URI http://localhost:8000/" in result.stderr
    assert "kg build --base-uri https://other.example/" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--workers", "0"],
        ["--query-timeout", "0"],
        ["--result-limit", "0"],
        ["--base-uri", "ftp://x/"],
        ["--port", "not-a-number"],
    ],
)
def test_bad_arguments_exit_2(tmp_path: Path, args: list[str]) -> None:
    result = kg_serve("--data", str(tmp_path), *args)
    assert result.returncode == 2
    assert result.stderr.strip()
    assert not (tmp_path / "graph.nt.gz").exists()  # nothing was built for a bad command line


def test_unloadable_graph_is_a_clear_failure(tmp_path: Path) -> None:
    (tmp_path / "graph.ttl").write_text("this is not turtle\n")
    result = kg_serve("--data", str(tmp_path), "--port", "1")
    assert result.returncode == 1
    assert "graph.ttl" in result.stderr and "Traceback" not in result.stderr
