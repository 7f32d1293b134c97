"""Fixtures shared by the whole suite: the seeds converted once, and the real server on a free
port of 127.0.0.1 serving them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from kg.paths import SEEDS_DIR

ROOT = Path(__file__).resolve().parent.parent  # the source tree: README, queries, docs


@pytest.fixture(scope="session")
def seeds_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`kg build seeds/` done once, into a temporary folder; tests must not modify it."""
    from kg.build.pipeline import build

    out = tmp_path_factory.mktemp("seeds-build")
    report = build([SEEDS_DIR], out)
    assert not report.failed, report.failed
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str  # "http://127.0.0.1:PORT/"
    process: subprocess.Popen
    data_dir: Path


def start_server(data_dir: Path, *extra: str, env: dict[str, str] | None = None) -> LiveServer:
    """Start `kg serve` as a real process and wait until it answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [
        sys.executable,
        "-m",
        "kg.cli",
        "serve",
        "--data",
        str(data_dir),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *extra,
    ]
    process = subprocess.Popen(
        command, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise RuntimeError(f"kg serve exited with {process.returncode}:\n{output}")
        try:
            httpx.get(url, timeout=1.0)
            return LiveServer(url, process, data_dir)
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("kg serve did not answer within 60 s")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session")
def live_server(seeds_out: Path) -> Iterator[LiveServer]:
    """The real server over the seeds graph, base URI left at its default: the server maps
    request paths to the configured base whatever host and port it runs on."""
    server = start_server(seeds_out)
    yield server
    stop_server(server)


def copy_build(source: Path, target: Path) -> Path:
    """The files `kg build` wrote in `source`, copied to `target` (not the store, which each
    server makes for itself): for tests that change the data or start from scratch."""
    import shutil

    target.mkdir(parents=True, exist_ok=True)
    for name in ("graph.nt.gz", "graph.nt.gz.blocks", "graph.ttl", "ontology.ttl", "build.json"):
        if (source / name).exists():
            shutil.copy2(source / name, target / name)
    return target


UPDATE_TOKEN = "test-operator-token"
LIMITED_TIMEOUT = 2  # seconds: room for fast queries to finish while a slow one runs
LIMITED_RESULTS = 50


@pytest.fixture(scope="session")
def limited_server(seeds_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A second server over its own copy of the seeds: a short query time limit, a small result
    limit, two workers, and an operator update token."""
    data = copy_build(seeds_out, tmp_path_factory.mktemp("limited-data"))
    server = start_server(
        data,
        "--query-timeout",
        str(LIMITED_TIMEOUT),
        "--result-limit",
        str(LIMITED_RESULTS),
        "--workers",
        "2",
        env={"KG_UPDATE_TOKEN": UPDATE_TOKEN},
    )
    yield server
    stop_server(server)


def children(pid: int) -> set[int]:
    """Live child processes of `pid` (a server's query workers), read from /proc."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def search_corpus() -> list[Path]:
    """What the search tests index: the seeds and the readable test documents, Dutch, French and
    bilingual renderings (not the real samples that stop early, which the relevance set does not
    know)."""
    from kg.paths import SEEDS_DIR

    documents = Path(__file__).parent / "documents"
    return sorted(SEEDS_DIR.glob("*.txt")) + sorted(
        p for p in documents.glob("*.txt") if not p.name.startswith(("bad-", "sample-"))
    )


# The agencies the seed documents name, each once (keys of reference/agencies.toml).
SEED_AGENCIES = (
    "fod-financien",
    "fod-kanselarij",
    "fod-mobiliteit",
    "fod-volksgezondheid",
    "fod-economie",
    "statbel",
    "dienst-continentaal-plat",
    "dvz",
    "cgvs",
    "fod-binnenlandse-zaken",
    "rvv",
    "fedasil",
    "pod-maatschappelijke-integratie",
)


@pytest.fixture
def no_descriptor_pairs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The reference data with no descriptor pair: what a build pairs comes from its documents."""
    from kg.reference import descriptors

    empty = tmp_path / "descriptors.toml"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setattr(descriptors, "DESCRIPTORS_FILE", empty)
    descriptors.load_descriptors.cache_clear()
    yield
    descriptors.load_descriptors.cache_clear()
