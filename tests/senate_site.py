"""A real HTTP server on 127.0.0.1 in the Senate's layout, for testing `kg fetch`: questions
written by kg.synth in every rendering and both languages, served as HTML at the Senate's
addresses, with the faults a real site shows, queued per page, and a log of every request."""

from __future__ import annotations

import hashlib
import html
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kg.parse.records import Language, Rendering
from kg.synth import _documents, _Planner

ALL_RENDERINGS: tuple[tuple[Rendering, Language | None], ...] = (
    ("web", "nl"),
    ("web", "fr"),
    ("print", "nl"),
    ("print", "fr"),
    ("print-bilingual", None),
)
PAGES = {"SchriftelijkeVraag": "web", "SVPrint": "print", "SVPrintNLFR": "bilingual"}
LAST_MODIFIED = "Mon, 01 Jun 2015 10:00:00 GMT"


def site_documents(series: int, seed: int = 0) -> dict[str, str]:
    """{file name: text} for the first `series` question series of legislature 4 (numbers from
    351, with the planner's gaps of 0-3 numbers between series), every rendering of each. Spaces
    that end a line are dropped: a page served as HTML cannot carry them to the reader."""
    planner = _Planner(series * 4, seed)
    documents: dict[str, str] = {}
    done = 0
    while done < series:
        for plan in planner.plan_series():
            if plan.number.legislature != 4:
                continue
            for document in _documents(replace(plan, renderings=ALL_RENDERINGS)):
                documents[document.name] = "\n".join(line.rstrip() for line in document.text.split("\n"))
        done += 1
    return documents


def to_html(text: str, lang: str, charset: str = "utf-8") -> str:
    """A page as a browser shows it: paragraphs (blocks between blank lines), lines broken with
    `<br>`, in a page with a head, styles and a script the fetcher must drop."""
    blocks = text.rstrip("\n").split("\n\n")
    body = "\n".join(
        "<p>" + "<br>\n".join(html.escape(line, quote=False) for line in block.split("\n")) + "</p>" for block in blocks
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="{charset}">'
        f"<title>Belgische Senaat</title><style>p {{ margin: 0 }}</style>"
        f"<script>if (a < b) {{ document.write('<p>menu</p>'); }}</script></head>\n"
        f'<body>\n<div class="content">\n{body}\n</div>\n</body></html>\n'
    )


def file_name(rendering: str, number: str, lang: str) -> str:
    if rendering == "web":
        return f"{number}-{lang}.txt"
    if rendering == "print":
        return f"{number}-{lang}-print.txt"
    return f"{number}-nlfr-print.txt"


@dataclass
class Fault:
    """What to answer instead of the page: `status` (with `headers`), `slow` (seconds before
    answering), `cut` (half the body, then close), `redirect` (to `location`), or `body`
    (`content_type` and `data`). `times` answers it that many times (0: always)."""

    kind: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    location: str = ""
    content_type: str = "text/html"
    data: bytes = b""
    times: int = 1


@dataclass
class Hit:
    time: float  # time.monotonic() when the request arrived
    target: str  # path and query
    headers: dict[str, str]
    status: int = 0


class Site:
    def __init__(self, documents: dict[str, str]):
        self.documents = dict(documents)
        self.robots = "User-agent: *\nAllow: /\n"
        self.faults: dict[str, list[Fault]] = {}  # file name or path -> faults, in order
        self.templates: set[str] = set()  # numbers ("4-400") answered with the empty question template
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/www/"

    def __enter__(self) -> Site:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fault(self, key: str, *faults: Fault) -> None:
        self.faults.setdefault(key, []).extend(faults)

    def hits_for(self, fragment: str) -> list[Hit]:
        with self._lock:
            return [hit for hit in self.hits if fragment in hit.target]

    def numbers_asked(self) -> list[str]:
        """The question numbers asked for, in order, as "LEG-NR" (one per request)."""
        asked = []
        with self._lock:
            for hit in self.hits:
                query = parse_qs(urlsplit(hit.target).query)
                if "NR" in query:
                    asked.append(f"{query['LEG'][0]}-{query['NR'][0]}")
        return asked

    def write_documents(self, folder: Path, names: Iterable[str] | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name in names if names is not None else self.documents:
            (folder / name).write_bytes(self.documents[name].encode("utf-8"))

    def _take_fault(self, key: str) -> Fault | None:
        with self._lock:
            queue = self.faults.get(key)
            if not queue:
                return None
            fault = queue[0]
            if fault.times:
                fault.times -= 1
                if fault.times == 0:
                    queue.pop(0)
            return fault

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once, as from a real server

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _send(
                self,
                status: int,
                body: bytes,
                content_type: str = "text/html; charset=utf-8",
                headers: dict[str, str] | None = None,
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)
                site.hits[-1].status = status

            def do_GET(self) -> None:
                with site._lock:
                    site.hits.append(Hit(time.monotonic(), self.path, dict(self.headers.items())))
                parts = urlsplit(self.path)
                if parts.path == "/robots.txt":
                    fault = site._take_fault("robots.txt")
                    if fault is not None and fault.kind == "status":
                        return self._send(fault.status, b"", headers=fault.headers)
                    return self._send(200, site.robots.encode(), "text/plain")
                query = {key: values[0] for key, values in parse_qs(parts.query).items()}
                page = query.get("MIval", "").rsplit("/", 1)[-1]
                if parts.path != "/www/" or page not in PAGES or "NR" not in query:
                    return self._send(404, b"<html><body><p>Not found</p></body></html>")
                number = f"{query.get('LEG')}-{query['NR']}"
                lang = query.get("LANG", "nl")
                name = file_name(PAGES[page], number, lang)
                fault = site._take_fault(name)
                if fault is not None:
                    if fault.kind == "status":
                        return self._send(fault.status, b"<html><body><p>Busy</p></body></html>", headers=fault.headers)
                    if fault.kind == "redirect":
                        return self._send(302, b"", headers={"Location": fault.location})
                    if fault.kind == "body":
                        return self._send(200, fault.data, fault.content_type)
                    if fault.kind == "slow":
                        time.sleep(fault.seconds)
                if number in site.templates:
                    empty = to_html(
                        "Tweetalige printerversie Eentalige printerversie\n\nSchriftelijke vraag nr. \n", lang
                    )
                    return self._send(200, empty.encode())
                if name not in site.documents:
                    return self._send(404, b"<html><body><p>Deze pagina bestaat niet.</p></body></html>")
                body = to_html(site.documents[name], lang).encode("utf-8")
                etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
                validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
                if fault is not None and fault.kind == "cut":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    site.hits[-1].status = -1
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if self.headers.get("If-None-Match") == etag or (
                    "If-None-Match" not in self.headers and self.headers.get("If-Modified-Since") == LAST_MODIFIED
                ):
                    return self._send(304, b"", headers=validators)
                return self._send(200, body, headers=validators)

        return Handler
