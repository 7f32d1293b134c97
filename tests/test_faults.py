"""Faults: a build killed at any moment, a damaged store, SIGTERM with requests in flight, a query
worker killed mid-query, clients that send or read too slowly. Each leaves the published data
intact and the server answering."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from conftest import LiveServer, copy_build, start_server, stop_server

OUTPUTS = ("graph.nt.gz", "graph.ttl", "ontology.ttl")
JSON = {"Accept": "application/sparql-results+json"}


def digests(out: Path) -> dict[str, str]:
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in OUTPUTS}


def kg(*args: str, **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, timeout=300, **options
    )  # type: ignore[call-overload]


def ask_count(server: LiveServer) -> int:
    response = httpx.get(
        server.url + "sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}, headers=JSON, timeout=30
    )
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# ---- kill -9 of `kg build`


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Two generated corpora of 250 documents (enough for the build's process pool), `old` built
    into `out` (the published state, also kept as `snapshot`) and `new` built, uninterrupted,
    into `reference` (what a complete rebuild must give), timed."""
    from kg.synth import write_corpus

    root = tmp_path_factory.mktemp("faults")
    write_corpus(250, root / "old", seed=1)
    write_corpus(250, root / "new", seed=2)
    assert kg("build", str(root / "old"), "--out", str(root / "out"), "--quiet").returncode == 0
    started = time.monotonic()
    assert kg("build", str(root / "new"), "--out", str(root / "reference"), "--quiet").returncode == 0
    duration = time.monotonic() - started
    shutil.copytree(root / "out", root / "snapshot", symlinks=True)
    return {
        "root": root,
        "old": root / "old",
        "new": root / "new",
        "out": root / "out",
        "snapshot": root / "snapshot",
        "reference": root / "reference",
        "duration": duration,
    }


def packs(out: Path) -> set[str]:
    """The names of the document cache's packs in `out`: one per batch of documents a build
    converted and kept."""
    return {path.name for path in out.glob(".cache/*/pack-*")}


def test_kill_9_during_build_keeps_the_previous_output(corpus: dict) -> None:
    """Builds killed at fractions of a measured build's duration: each kill that interrupts a
    build leaves whole files of one build (the old ones, or the new ones if it was killed after
    publishing), and the earliest kill, well before any build could publish, left the old output."""
    from kg.stores.embedded import EmbeddedStore

    out, new, snapshot = corpus["out"], corpus["new"], corpus["snapshot"]
    old_files, new_files = digests(snapshot), digests(corpus["reference"])
    assert old_files != new_files
    old_info = json.loads((snapshot / "build.json").read_text(encoding="utf-8"))
    new_triples = json.loads((corpus["reference"] / "build.json").read_text(encoding="utf-8"))["triples"]

    old_packs = packs(snapshot)
    # (fraction of the build's duration, interrupted, state left, documents converted and kept)
    kills: list[tuple[float, bool, str, bool]] = []
    for fraction in (0.15, 0.4, 0.6, 0.8, 0.95):
        process = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "build", str(new), "--out", str(out), "--quiet"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(corpus["duration"] * fraction)
        process.send_signal(signal.SIGKILL)
        returncode = process.wait()
        # Killed while running, or (later kills, the document cache helping) already done, cleanly.
        assert returncode in (-signal.SIGKILL, 0), (fraction, returncode)
        interrupted = returncode == -signal.SIGKILL
        files = digests(out)
        for name, digest in files.items():  # every file whole: the old one or the new one
            assert digest in (old_files[name], new_files[name]), (fraction, name)
        info = json.loads((out / "build.json").read_text(encoding="utf-8"))
        state = "old" if files == old_files else "new" if files == new_files else "mixed"
        kills.append((fraction, interrupted, state, bool(packs(out) - old_packs)))
        assert state != "mixed", f"killed at {fraction:.0%} of the build: dumps of two builds side by side"
        if not interrupted:  # a build that ran to its end published the new output
            assert state == "new", kills
        assert info["triples"] == (old_info["triples"] if state == "old" else new_triples)
        # The store opens (reloading itself if the graph changed) and holds what build.json says.
        assert EmbeddedStore.open(out).triple_count() == info["triples"]
        if state == "new":  # back to the published state for the next kill
            shutil.rmtree(out)
            shutil.copytree(snapshot, out, symlinks=True)

    # The kills really stopped builds: the earliest, at 15 % of a whole build's time (the
    # publishing renames come last), interrupted one and left the old output in place; and the
    # later ones stopped builds that had already converted documents (new packs in the cache).
    assert kills[0][1:3] == (True, "old"), kills
    assert any(interrupted and worked for _, interrupted, _, worked in kills[1:]), kills

    # The last state is served as it is: the same dump, the same count.
    server = start_server(out)
    try:
        assert ask_count(server) == json.loads((out / "build.json").read_text(encoding="utf-8"))["triples"]
        dump = httpx.get(server.url + "dumps/graph.nt.gz")
        assert hashlib.sha256(dump.content).hexdigest() == digests(out)["graph.nt.gz"]
    finally:
        stop_server(server)

    # After all the kills, a complete build gives exactly what a clean one does: nothing a killed
    # build left behind (temporary files, the document cache) leaks into the result.
    assert kg("build", str(new), "--out", str(out), "--quiet").returncode == 0
    assert digests(out) == new_files


# ---- a damaged store


def _damage(store: Path, how: str) -> None:
    db = store / "db"
    if how == "garbage CURRENT":
        (db / "CURRENT").write_text("garbage\n")
    elif how == "truncated tables":
        for table in db.glob("*.sst"):
            table.write_bytes(table.read_bytes()[:100])
    elif how == "database removed":
        shutil.rmtree(db)
    else:
        (store / "fingerprint.json").write_text("{not json")


@pytest.mark.parametrize("how", ["garbage CURRENT", "truncated tables", "database removed", "bad fingerprint"])
def test_damaged_store_is_reported_or_reloaded(seeds_out: Path, tmp_path: Path, how: str) -> None:
    from kg.stores.embedded import EmbeddedStore

    data = copy_build(seeds_out, tmp_path / "data")
    EmbeddedStore.open(data)  # loads the store
    _damage(data / "store", how)
    try:
        server = start_server(data)
    except RuntimeError as error:  # it refused to start: it must say why and what to run
        message = str(error)
        assert "Traceback" not in message, message
        assert "exited with 1" in message
        assert "kg serve --data" in message and "kg build" in message, message
        return
    try:  # or it reloaded the store from the graph files, and serves them whole
        assert ask_count(server) == json.loads((data / "build.json").read_text())["triples"]
    finally:
        stop_server(server)


# ---- SIGTERM, killed workers, slow clients


@pytest.fixture(scope="module")
def guarded(corpus: dict, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server with short request timeouts over the 250-document graph (a 3 MB Turtle dump)."""
    data = copy_build(corpus["out"], tmp_path_factory.mktemp("guarded"))
    server = start_server(data, "--query-timeout", "60", "--request-timeout", "1", "--send-timeout", "2")
    yield server
    stop_server(server)


def _address(server: LiveServer) -> tuple[str, int]:
    parts = urlsplit(server.url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def slow_count_query(rows: int = 2000) -> tuple[str, int]:
    """A query that takes a second or more (three cross products of `rows` triples with
    `rows` triples: about 1 s at 2,000 here, 4 s at 4,000), and its answer."""
    return (
        "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { 1 2 3 } "
        f"{{ SELECT * WHERE {{ ?a ?b ?c }} LIMIT {rows} }} {{ SELECT * WHERE {{ ?d ?e ?f }} LIMIT {rows} }} }}",
        3 * rows * rows,
    )


def test_sigterm_finishes_requests_in_flight(seeds_out: Path, tmp_path: Path) -> None:
    server = start_server(copy_build(seeds_out, tmp_path / "data"), "--query-timeout", "60")
    try:
        query, expected = slow_count_query()
        done: dict[str, object] = {}

        def slow() -> None:
            try:
                response = httpx.get(server.url + "sparql", params={"query": query}, headers=JSON, timeout=120)
                done["response"] = response
            except httpx.HTTPError as error:
                done["error"] = error
            done["at"] = time.monotonic()

        thread = threading.Thread(target=slow)
        thread.start()
        time.sleep(0.5)  # the query is running in a worker
        signalled = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        thread.join(120)
        assert "error" not in done, done.get("error")
        response = done["response"]
        assert isinstance(response, httpx.Response)
        assert response.status_code == 200, response.text
        assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == expected
        assert done["at"] > signalled  # it was answered after the signal, not before
        assert server.process.wait(timeout=60) == -signal.SIGTERM  # uvicorn re-raises the signal when done
        with pytest.raises(httpx.TransportError):  # and nobody is let in any more
            httpx.get(server.url, timeout=2)
    finally:
        if server.process.poll() is None:
            stop_server(server)


def _query_workers(pid: int) -> list[int]:
    """The query worker processes among the children of the server `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                command = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if int(fields[1]) == pid and b"kg.web.sparql.worker" in command:
                found.append(int(entry.name))
    return found


def _cpu_ticks(pid: int) -> int:
    """CPU time `pid` has used (user and system), in clock ticks, from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime and stime: fields 14 and 15 of stat


def _busy_worker(workers: list[int], seconds: float = 0.5) -> int | None:
    """The one worker that used CPU over the last `seconds` (a query running: an idle worker waits
    on its pipe and uses none), or None when not exactly one did. A tenth of the time is enough,
    so a machine busy with other work still shows it."""
    before = {pid: _cpu_ticks(pid) for pid in workers}
    time.sleep(seconds)
    ticks = os.sysconf("SC_CLK_TCK") * seconds
    busy = [pid for pid in workers if _cpu_ticks(pid) - before[pid] >= 0.1 * ticks]
    return busy[0] if len(busy) == 1 else None


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the query workers through /proc")
def test_a_killed_worker_fails_only_its_own_request(guarded: LiveServer) -> None:
    """A slow query's worker, found by the CPU time it uses, is killed while other queries are in
    flight on the other worker: the slow query gets a 503, every other query its right answer,
    and the other worker goes on running."""
    total = ask_count(guarded)
    # Long enough to be still running when its worker is found and killed (about 4 s, 30 here).
    query, _ = slow_count_query(4000)
    outcome: dict[str, httpx.Response] = {}
    slow = threading.Thread(
        target=lambda: outcome.setdefault(
            "slow", httpx.get(guarded.url + "sparql", params={"query": query}, headers=JSON, timeout=120)
        )
    )
    deadline = time.monotonic() + 30
    while len(workers := _query_workers(guarded.process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)  # the pool starts its workers in the background
    assert len(workers) == 2, workers  # the default pool: one for the slow query, one for the others
    slow.start()
    deadline = time.monotonic() + 30
    target = None
    while target is None and time.monotonic() < deadline and slow.is_alive():
        target = _busy_worker(workers)
    assert target is not None, "no worker was seen running the slow query"
    (survivor,) = set(workers) - {target}

    # Others keep asking, each query a new text (no answer from the cache), before, during and
    # after the kill, until the slow query has its answer.
    answers: list[tuple[int, int, str]] = []  # (tag, status, body)
    errors: list[BaseException] = []
    tags = iter(range(1, 1_000_000))
    lock = threading.Lock()
    stop = threading.Event()

    def others() -> None:
        while not stop.is_set():
            with lock:
                tag = next(tags)
            try:
                response = httpx.get(
                    guarded.url + "sparql",
                    headers=JSON,
                    timeout=60,
                    params={"query": f"SELECT ((COUNT(*) + {tag}) AS ?n) WHERE {{ ?s ?p ?o }}"},
                )
                with lock:
                    answers.append((tag, response.status_code, response.text))
            except httpx.HTTPError as error:
                with lock:
                    errors.append(error)

    clients = [threading.Thread(target=others) for _ in range(3)]

    def answered_more_than(count: int) -> int:
        """How many answers are in once there are more than `count` (a busy machine is slow)."""
        deadline = time.monotonic() + 60
        while len(answers) <= count and time.monotonic() < deadline:
            time.sleep(0.05)
        return len(answers)

    for client in clients:
        client.start()
    before_kill = answered_more_than(0)
    os.kill(target, signal.SIGKILL)
    slow.join(120)
    after_kill = answered_more_than(len(answers))  # and while the pool replaces the killed worker
    stop.set()
    for client in clients:
        client.join(120)

    assert outcome["slow"].status_code == 503, outcome["slow"].text
    assert not errors, errors
    assert 0 < before_kill < after_kill, (before_kill, after_kill)  # answered before and after the kill
    for tag, status, body in answers:
        assert status == 200, body
        assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == total + tag
    assert Path(f"/proc/{survivor}").is_dir() and survivor in _query_workers(guarded.process.pid)
    # The pool is whole again: two workers, the survivor and a fresh one, and queries answered.
    deadline = time.monotonic() + 30
    while len(_query_workers(guarded.process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(_query_workers(guarded.process.pid)) == 2
    assert ask_count(guarded) == total
    assert guarded.process.poll() is None


def test_half_sent_request_head_is_dropped_while_others_are_served(guarded: LiveServer) -> None:
    sockets = []
    try:
        for _ in range(20):
            sock = socket.create_connection(_address(guarded))
            sock.sendall(b"GET /dumps/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/")  # and then nothing
            sockets.append(sock)
        for _ in range(3):  # meanwhile, everybody else is answered
            assert httpx.get(guarded.url + "doc/question/5-1", timeout=10).status_code in (200, 404)
        for sock in sockets:  # the server closes them (after --request-timeout 1 s)
            sock.settimeout(30)
            assert sock.recv(1024) == b""
    finally:
        for sock in sockets:
            sock.close()


def test_idle_connection_is_closed(guarded: LiveServer) -> None:
    with socket.create_connection(_address(guarded)) as sock:
        sock.settimeout(30)
        assert sock.recv(1024) == b""  # connected, sent nothing: closed by the server


def test_stalled_body_gets_408(guarded: LiveServer) -> None:
    with socket.create_connection(_address(guarded)) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 200\r\n\r\nSELECT * WHERE"
        )  # 14 bytes of the 200 promised
        sock.settimeout(30)
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]


def test_slow_reader_is_disconnected(guarded: LiveServer) -> None:
    size = int(httpx.head(guarded.url + "dumps/graph.ttl").headers["content-length"])
    assert size > 2_000_000  # more than the socket buffers on both sides hold
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    try:
        sock.connect(_address(guarded))
        sock.sendall(b"GET /dumps/graph.ttl HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: identity\r\n\r\n")
        time.sleep(5)  # read nothing for longer than --send-timeout 2 s
        assert httpx.get(guarded.url + "dumps/", timeout=10).status_code == 200  # others are served
        sock.settimeout(30)
        received = 0
        while chunk := sock.recv(65536):
            received += len(chunk)
        assert received < size  # the server gave up on this client: the connection ended early
    finally:
        sock.close()
    assert httpx.get(guarded.url + "dumps/graph.ttl", timeout=30).status_code == 200  # a normal reader gets it all
