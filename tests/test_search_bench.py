"""The search benchmark's wrk driver: every request is one of the listed ones, none sent twice,
with its headers (and compressed answers asked for, as the Python driver asks), and the figures
wrk gives come back."""

from __future__ import annotations

import importlib.util
import shutil
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


def bench() -> ModuleType:
    path = Path(__file__).parent.parent / "benchmarks" / "search.py"
    spec = importlib.util.spec_from_file_location("search_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
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
