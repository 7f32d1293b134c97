"""The benchmarks' wrk driver (benchmarks/wrk.py) against a real listener on 127.0.0.1: every
request is one of the listed ones, none sent twice, with its headers (the search benchmark asks
for compressed answers, as its Python driver does); asked each once, every listed request is
answered exactly once; and the figures wrk gives come back."""

from __future__ import annotations

import importlib.util
import shutil
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qs, urlsplit

import pytest

WRK = shutil.which("wrk")
pytestmark = pytest.mark.skipif(WRK is None, reason="wrk is not installed")


def bench(name: str = "search") -> ModuleType:
    folder = Path(__file__).parent.parent / "benchmarks"
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))  # search.py imports wrk.py beside it
    spec = importlib.util.spec_from_file_location(f"bench_{name}", folder / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


class Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as wrk's connections expect
    seen: list[tuple[str, str | None]] = []
    encodings: list[str | None] = []
    lock = threading.Lock()

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        with self.lock:
            self.seen.append((self.path, self.headers.get("Accept")))
            self.encodings.append(self.headers.get("Accept-Encoding"))
        body = b"{}"
        self.send_response(404 if "missing" in self.path else 200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Recorder.seen, Recorder.encodings = [], []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_wrk_sends_each_listed_request_once_with_its_headers(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    module = bench()
    monkeypatch.setattr(module, "WRK_THREADS", 2)  # two threads share the list without sending one twice

    def make(i: int) -> tuple[str, dict[str, str], dict[str, str]]:
        return "/search.json", {"q": f"{module.unique(i)} é&#", "n": str(i)}, {"Accept": f"text/x-{i % 3}"}

    assert WRK is not None
    rate, errors, p50, p95 = module.drive_wrk(server, make, 4, 1.0, WRK)
    seen = Recorder.seen
    assert len(seen) > 20 and errors == 0
    assert 0 < p50 <= p95 and rate > 0
    assert set(Recorder.encodings) == {"gzip, deflate"}  # compressed answers asked for, as httpx asks
    counted = Counter(path for path, _ in seen)
    assert max(counted.values()) == 1  # none sent twice
    for path, accept in seen:
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        i = int(query["n"][0])
        assert parts.path == "/search.json" and query["q"] == [f"{module.unique(i)} é&#"]
        assert accept == f"text/x-{i % 3}"
    numbers = sorted(int(parse_qs(urlsplit(path).query)["n"][0]) for path, _ in seen)
    # From the start of the list, in turn (wrk calls the first thread's request() once to check
    # the script, so that thread's first path is never sent).
    assert set(range(1, 10)) <= set(numbers)


def test_wrk_counts_error_answers(server: str) -> None:
    module = bench()
    assert WRK is not None
    _, errors, _, _ = module.drive_wrk(server, lambda i: ("/missing", {"n": str(i)}, {}), 2, 1.0, WRK)
    # Every answer is an error; the requests still out when the time is up are not counted.
    assert 0 < len(Recorder.seen) - 2 <= errors <= len(Recorder.seen)


def test_each_listed_request_is_answered_exactly_once(server: str) -> None:
    driver = bench("wrk")
    listed = [(f"/doc/{n}?page={n % 3}", {"Accept": f"text/x-{n % 4}"}) for n in range(300)]
    run = driver.run(server, listed, 8, threads=2, wrk=WRK)
    assert run.answered == 300 and run.errors == 0
    counted = Counter(path for path, _ in Recorder.seen)
    assert sorted(counted) == sorted(target for target, _ in listed)  # every one of them
    # each once, apart from the last one, which a connection may ask again while the last answers are out
    assert all(n == 1 for target, n in counted.items() if target != listed[-1][0])
    assert all(accept == f"text/x-{int(path.split('/')[2].split('?')[0]) % 4}" for path, accept in Recorder.seen)
    assert 0 < run.percentiles[50] <= run.percentiles[99] and run.seconds > 0
