"""Searches answered by search worker processes (`kg serve --search-workers N`, the default):
the same answers as a server searching in its own process, and a worker that stops or hangs
gives a 503 with a message, never a hang, and is replaced."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import LiveServer, search_corpus, start_server, stop_server

from kg.build.pipeline import build

QUERIES: list[dict[str, str | list[str]]] = [
    {"q": "sociale media"},
    {"q": "médias sociaux", "lang": "fr"},
    {"q": "politie -twitter", "sort": "date"},
    {"q": "soci*", "size": "3", "page": "2"},
    {"q": "", "party": ["Groen", "Ecolo"]},
    {"q": "twitter OR facebook", "status": "answered", "lang": "en"},
    {"q": "asker:(taelman OR khattabi)", "facets": "0"},
    {"q": 'title:"sociale media"', "sort": "date-asc"},
]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search-workers")
    assert not build(search_corpus(), out).failed
    return out


@pytest.fixture(scope="module")
def pooled(data: Path) -> Iterator[LiveServer]:
    live = start_server(data, "--search-workers", "2", "--query-timeout", "3")
    yield live
    stop_server(live)


@pytest.fixture(scope="module")
def in_process(data: Path) -> Iterator[LiveServer]:
    live = start_server(data, "--search-workers", "0")
    yield live
    stop_server(live)


def search(server: LiveServer, params: dict[str, str | list[str]], path: str = "search.json") -> httpx.Response:
    return httpx.get(server.url + path, params=params, timeout=30)


def workers_of(server: LiveServer) -> list[int]:
    """The process ids of the server's search workers."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            command = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == server.process.pid and b"kg.web.search_worker" in command:
            found.append(int(entry))
    return found


def test_a_search_answered_by_a_worker_equals_the_in_process_answer(pooled: LiveServer, in_process: LiveServer) -> None:
    for params in QUERIES:
        answer, expected = search(pooled, params), search(in_process, params)
        assert answer.status_code == expected.status_code == 200, params
        assert answer.json() == expected.json(), params
        assert answer.json()["hits"] or params.get("size") == "3", params  # the queries find something
    assert len(workers_of(pooled)) == 2 and not workers_of(in_process)


def test_a_malformed_query_is_the_same_400_from_a_worker(pooled: LiveServer, in_process: LiveServer) -> None:
    for q in ('"sociale media', "titel:asiel", "twitter OR"):
        answer, expected = search(pooled, {"q": q}), search(in_process, {"q": q})
        assert answer.status_code == expected.status_code == 400
        assert answer.json() == expected.json() and answer.json()["message"]


def test_the_page_from_a_worker_links_the_same_hits(pooled: LiveServer, in_process: LiveServer) -> None:
    params: dict[str, str | list[str]] = {"q": "sociale media", "lang": "nl"}
    answer, expected = search(pooled, params, "search"), search(in_process, params, "search")
    assert answer.status_code == expected.status_code == 200
    hits = [line for line in answer.text.splitlines() if 'href="/doc/question/' in line]
    assert hits and hits == [line for line in expected.text.splitlines() if 'href="/doc/question/' in line]


def _wait_for_workers(server: LiveServer, count: int, old: set[int]) -> list[int]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        current = [pid for pid in workers_of(server) if pid not in old]
        if len(current) >= count:
            return current
        time.sleep(0.1)
    raise AssertionError("the search workers were not replaced")


def test_a_worker_that_dies_during_a_search_answers_503_and_is_replaced(pooled: LiveServer) -> None:
    assert search(pooled, {"q": "fedasil"}).status_code == 200
    workers = workers_of(pooled)
    assert len(workers) == 2
    for pid in workers:  # stopped: the next search is sent to one and waits for its answer
        os.kill(pid, signal.SIGSTOP)
    answers: list[httpx.Response] = []
    asking = threading.Thread(target=lambda: answers.append(search(pooled, {"q": "twitter"})))
    started = time.monotonic()
    asking.start()
    time.sleep(1.0)
    for pid in workers:  # it dies in the middle of the search
        os.kill(pid, signal.SIGKILL)
    asking.join(timeout=30)
    assert answers, "the search hung"
    assert time.monotonic() - started < 3  # the death was noticed, not the time limit (3 s)
    assert answers[0].status_code == 503
    assert "stopped while searching" in answers[0].json()["message"]
    _wait_for_workers(pooled, 1, set(workers))
    assert search(pooled, {"q": "twitter"}).status_code == 200


def test_a_worker_that_hangs_is_stopped_at_the_time_limit(pooled: LiveServer) -> None:
    assert search(pooled, {"q": "fedasil"}).status_code == 200
    workers = workers_of(pooled)
    for pid in workers:
        os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        answer = search(pooled, {"q": "politie"})
        waited = time.monotonic() - started
    finally:
        for pid in workers:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
    assert answer.status_code == 503 and "longer than 3 s" in answer.json()["message"]
    assert 2.5 < waited < 10
    _wait_for_workers(pooled, 1, set(workers))
    assert search(pooled, {"q": "politie"}).status_code == 200
