"""`kg serve` reads what every document and page uses (the ontology's labels) before it listens:
the first documents a crawler asks for wait for nothing."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
from conftest import copy_build, start_server, stop_server


def _output_so_far(fd: int) -> str:
    """What the server wrote to its output until now, without waiting for more."""
    os.set_blocking(fd, False)
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode(errors="replace")


def test_warming_is_done_before_the_first_request_is_answered(seeds_out: Path, tmp_path: Path) -> None:
    server = start_server(copy_build(seeds_out, tmp_path / "data"))
    try:
        first = httpx.get(server.url + "doc/question/5-8900", headers={"accept": "text/turtle"}, timeout=30)
        assert first.status_code == 200
        assert server.process.stdout is not None
        output = _output_so_far(server.process.stdout.fileno())
        assert "prepared the labels of descriptions" in output, output
        assert "could not prepare" not in output
    finally:
        stop_server(server)


def test_prepare_first_counts_the_home_page_and_void_before_listening(seeds_out: Path, tmp_path: Path) -> None:
    server = start_server(copy_build(seeds_out, tmp_path / "data"), "--prepare-first")
    try:
        assert httpx.get(server.url + "doc/question/5-8900", timeout=30).status_code == 200
        assert server.process.stdout is not None
        output = _output_so_far(server.process.stdout.fileno())
        assert "prepared the labels of descriptions" in output, output
        assert "prepared the home page and the VoID statistics" in output, output
    finally:
        stop_server(server)
