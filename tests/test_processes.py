"""`kg serve --processes N`: several web processes on one port, each answering; the kernel
spreads connections over them; a killed one is replaced while the others answer; a signal stops
them all; updates through the token are refused at start rather than half-served."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from conftest import LiveServer, copy_build, free_port, start_server, stop_server

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to tell the web processes apart")

DOCUMENT = "doc/question/5-8913"


@pytest.fixture(scope="module")
def two_processes(seeds_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data = copy_build(seeds_out, tmp_path_factory.mktemp("processes-data"))
    server = start_server(data, "--processes", "2", env={"KG_UPDATE_TOKEN": ""})
    wait_for_children(server.process.pid, 2)
    yield server
    stop_server(server)


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def wait_for_children(pid: int, count: int, *, without: int | None = None, timeout: float = 60) -> list[int]:
    """The supervisor's web processes once there are `count` of them (none of them `without`),
    each listening on the server's port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = children(pid)
        if len(found) == count and without not in found and all(sockets(p, LISTEN) for p in found):
            return found
        time.sleep(0.1)
    raise AssertionError(f"expected {count} listening web processes under {pid}, found {children(pid)}")


LISTEN, ESTABLISHED = "0A", "01"  # TCP states as /proc/net/tcp writes them


def sockets(pid: int, state: str, port: int | None = None) -> int:
    """Sockets of process `pid` in `state` (on local `port`, when given): its descriptors' inodes
    looked up in /proc/net/tcp."""
    inodes = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except FileNotFoundError:
        return 0
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if fields[3] == state and fields[9] in inodes and (port is None or local_port == port):
                count += 1
    return count


def test_every_web_process_answers_connections_the_kernel_spreads(two_processes: LiveServer) -> None:
    port = urlsplit(two_processes.url).port
    assert port is not None
    web = wait_for_children(two_processes.process.pid, 2)
    clients = [httpx.Client(base_url=two_processes.url, timeout=30) for _ in range(16)]
    try:
        for client in clients:  # sixteen connections, kept open
            answer = client.get(DOCUMENT, headers={"Accept": "text/turtle"})
            assert answer.status_code == 200
            assert b"5-8913" in answer.content
        held = {pid: sockets(pid, ESTABLISHED, port) for pid in web}
        assert sum(held.values()) == 16, held
        assert all(n > 0 for n in held.values()), f"one web process took every connection: {held}"
    finally:
        for client in clients:
            client.close()


def test_a_killed_web_process_is_replaced_while_the_other_answers(two_processes: LiveServer) -> None:
    supervisor = two_processes.process.pid
    victim, survivor = wait_for_children(supervisor, 2)
    os.kill(victim, signal.SIGKILL)
    time.sleep(0.5)  # the kernel drops the dead listener from the port's group
    for _ in range(20):  # new connections each time: every one reaches a live process
        answer = httpx.get(two_processes.url + DOCUMENT, headers={"Accept": "text/turtle"}, timeout=30)
        assert answer.status_code == 200
    replaced = wait_for_children(supervisor, 2, without=victim)
    assert survivor in replaced
    assert two_processes.process.poll() is None


def assert_ended(pids: list[int], within: float = 10) -> None:
    """Each process is gone within `within` seconds (the supervisor's exit does not wait for them)."""
    deadline = time.monotonic() + within
    for pid in pids:
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not Path(f"/proc/{pid}").exists(), f"web process {pid} outlived the supervisor"


def test_a_signal_to_the_supervisor_stops_every_web_process(seeds_out: Path, tmp_path: Path) -> None:
    server = start_server(copy_build(seeds_out, tmp_path / "data"), "--processes", "2", env={"KG_UPDATE_TOKEN": ""})
    web = wait_for_children(server.process.pid, 2)
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=30) == 0
    assert_ended(web)


def test_signals_to_every_process_at_once_stop_the_server(seeds_out: Path, tmp_path: Path) -> None:
    """A process manager stopping the server signals the whole group (systemd, `pkill -f`), and
    the supervisor forwards the signal too: each web process gets several at once, the later
    ones while it handles the first. It still stops, and promptly."""
    server = start_server(copy_build(seeds_out, tmp_path / "data"), "--processes", "2", env={"KG_UPDATE_TOKEN": ""})
    web = wait_for_children(server.process.pid, 2)
    server.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 3
    while server.process.poll() is None and time.monotonic() < deadline:  # some land inside a handler
        for pid in web:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    assert server.process.wait(timeout=30) == 0
    assert_ended(web)


def run_serve(data: Path, *extra: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "kg.cli", "serve", "--data", str(data), "--port", str(free_port()), *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env={**os.environ, **env})


def test_several_processes_refuse_an_update_token_at_start(seeds_out: Path) -> None:
    done = run_serve(seeds_out, "--processes", "2", env={"KG_UPDATE_TOKEN": "operator-secret"})
    assert done.returncode == 2
    assert "read-only" in done.stderr and "KG_UPDATE_TOKEN" in done.stderr
    assert "operator-secret" not in done.stderr


def test_zero_processes_is_a_usage_error(seeds_out: Path) -> None:
    done = run_serve(seeds_out, "--processes", "0", env={})
    assert done.returncode == 2
    assert "--processes" in done.stderr


def test_several_processes_need_a_port_of_their_own(seeds_out: Path) -> None:
    command = [sys.executable, "-m", "kg.cli", "serve", "--data", str(seeds_out), "--port", "0", "--processes", "2"]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=120, env={**os.environ, "KG_UPDATE_TOKEN": ""}
    )
    assert done.returncode == 2
    assert "not 0" in done.stderr


def test_a_port_in_use_fails_before_any_web_process_starts(seeds_out: Path) -> None:
    port = free_port()
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        command = [sys.executable, "-m", "kg.cli", "serve", "--data", str(seeds_out), "--port", str(port)]
        done = subprocess.run(
            [*command, "--processes", "2"],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "KG_UPDATE_TOKEN": ""},
        )
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
