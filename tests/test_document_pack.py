"""Documents written ahead (`kg serve --prepare-documents`, `kg.web.document_pack`): the same bytes
as made on request for every resource of the seeds, RDF documents and HTML pages in each language
written; served from the pack over HTTP, pages only to the request they were written for; written
once per build (a restart reads it); not used for another build, nor after an update through the
token, which is served at once."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import LiveServer, copy_build, free_port, start_server, stop_server

from kg.machine import memory_available
from kg.web import document_pack, rdf_formats
from kg.web.context import KgContext, StopFlag
from kg.web.document_pack import INDEX, PACK, PACKED, Variant
from kg.web.kept import KEPT_FOLDER
from kg.web.resources import describe_resource, rdf_document
from kg.web.settings import Settings

TOKEN = "document-pack-operator-token"
QUESTION = "question/5-8913"
MARK = b"# read from the documents written ahead\n"
PAGE_MARK = b"<!-- read from the pages written ahead -->\n"
HTML = rdf_formats.BY_NAME["html"]


def turtle(server: LiveServer, stem: str, **headers: str) -> httpx.Response:
    return httpx.get(server.url + "doc/" + stem, headers={"Accept": "text/turtle", **headers}, timeout=30)


def mark_in_pack(data: Path, stem: str, at: int = 0, mark: bytes = MARK) -> None:
    """Give the `at`th variant of `stem` in the pack (0: Turtle) a first line of its own (appended
    to the pack file, the index pointed at it): what a server answers from the pack shows it."""
    folder = data / KEPT_FOLDER
    index = json.loads((folder / f"{INDEX}.json").read_bytes())
    entry = index["value"][stem]
    with open(folder / PACK, "r+b") as pack:
        pack.seek(entry[2 * at])
        body = gzip.decompress(pack.read(entry[2 * at + 1]))
        pack.seek(0, 2)
        offset = pack.tell()
        marked = gzip.compress(mark + body)
        pack.write(marked)
    entry[2 * at], entry[2 * at + 1] = offset, len(marked)
    (folder / f"{INDEX}.json").write_text(json.dumps(index))


@pytest.fixture(scope="module")
def written(seeds_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[KgContext]:
    """A copy of the seeds' build with its documents written ahead, in this process."""
    data = copy_build(seeds_out, tmp_path_factory.mktemp("pack-data"))
    ctx = KgContext.create(Settings(data_dir=data, prepared_languages=("en", "nl")))
    assert document_pack.prepare(ctx, processes=2) is not None
    yield ctx
    ctx.close()


def test_every_written_document_is_the_document_made_on_request(written: KgContext) -> None:
    stems = document_pack.resources(written)
    assert QUESTION in stems and f"{QUESTION}/answer" not in stems  # parts are made on request
    assert len(stems) > 50
    for stem in stems:
        description = describe_resource(written, stem, 1, parse=False)
        assert description is not None and description.found, stem
        for name in PACKED:
            fmt = rdf_formats.BY_NAME[name]
            made = rdf_document(written, description, fmt)
            assert document_pack.packed_body(written, stem, fmt, gzipped=False) == made, stem
            packed = document_pack.packed_body(written, stem, fmt, gzipped=True)
            assert packed is not None and gzip.decompress(packed) == made, stem


def test_the_same_build_gives_the_same_pack_byte_for_byte(written: KgContext, seeds_out: Path, tmp_path: Path) -> None:
    data = copy_build(seeds_out, tmp_path / "again")
    again = KgContext.create(Settings(data_dir=data, prepared_languages=("en", "nl")))
    try:
        assert document_pack.prepare(again, processes=3) is not None  # other workers, other timing
    finally:
        again.close()
    assert (data / KEPT_FOLDER / PACK).read_bytes() == (written.data_dir / KEPT_FOLDER / PACK).read_bytes()


def test_every_written_page_is_the_page_a_browser_gets_on_request(written: KgContext, live_server: LiveServer) -> None:
    """The pages of the pack against those a server without one makes, for every resource, in
    each language written: for a client naming none (English) and one asking for Dutch."""
    stems = document_pack.resources(written)
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        for stem in stems:
            for language, asked in (("en", {}), ("nl", {"Accept-Language": "nl-BE, nl;q=0.9"})):
                made = client.get("/doc/" + stem, headers={"Accept": "text/html", **asked})
                assert made.status_code == 200 and made.headers["content-language"] == language, stem
                assert document_pack.packed_body(written, stem, HTML, gzipped=False, language=language) == made.content
    assert document_pack.packed_body(written, QUESTION, HTML, gzipped=False, language="fr") is None


def test_the_pack_is_read_ahead_whole_unless_it_would_take_half_the_memory(written: KgContext) -> None:
    size = (written.data_dir / KEPT_FOLDER / PACK).stat().st_size
    assert size > 0 and document_pack.read_ahead(written, available=4 * size) == size
    assert document_pack.read_ahead(written, available=size) == 0  # a pack over half of it is read as asked
    assert (memory_available() or 0) > size  # read from /proc/meminfo: the default, as the server runs
    stopping = written.stopping
    written.stopping = StopFlag()
    try:
        written.stopping.set()
        assert document_pack.read_ahead(written, available=4 * size) == 0  # a server stopping reads no more
    finally:
        written.stopping = stopping


def test_a_folder_the_pack_cannot_be_written_in_leaves_documents_made_on_request(
    seeds_out: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = copy_build(seeds_out, tmp_path / "data")
    (data / KEPT_FOLDER).write_text("a file where the folder would be")
    ctx = KgContext.create(Settings(data_dir=data))
    try:
        assert document_pack.prepare(ctx) is None
        assert document_pack.packed_body(ctx, QUESTION, rdf_formats.BY_NAME["ttl"], gzipped=True) is None
    finally:
        ctx.close()
    assert "could not write the documents ahead" in caplog.text and "Traceback" not in caplog.text


def test_the_languages_written_are_part_of_the_packs_key(written: KgContext) -> None:
    assert document_pack.variants(written.settings)[2:] == (Variant("html", "en"), Variant("html", "nl"))
    other = Settings(data_dir=written.data_dir, prepared_languages=("en",))
    assert document_pack.variants(other) != document_pack.variants(written.settings)
    assert str(Variant("html", "nl")) in (document_pack.pack_key(written) or "")
    with pytest.raises(ValueError):
        Settings(data_dir=written.data_dir, prepared_languages=("de",))


def test_other_formats_parts_and_unknown_resources_are_not_in_the_pack(written: KgContext) -> None:
    jsonld = rdf_formats.BY_NAME["jsonld"]
    turtle_format = rdf_formats.BY_NAME["ttl"]
    assert document_pack.packed_body(written, QUESTION, jsonld, gzipped=True) is None
    assert document_pack.packed_body(written, f"{QUESTION}/answer", turtle_format, gzipped=True) is None
    assert document_pack.packed_body(written, "question/0-0", turtle_format, gzipped=True) is None


@pytest.fixture(scope="module")
def marked_server(seeds_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Path]]:
    """A server that wrote its pack, then one started again on it with a mark in the pack."""
    data = copy_build(seeds_out, tmp_path_factory.mktemp("pack-served"))
    first = start_server(data, "--prepare-documents", "--prepare-first", env={"KG_UPDATE_TOKEN": TOKEN})
    stop_server(first)
    mark_in_pack(data, QUESTION)
    mark_in_pack(data, QUESTION, at=2, mark=PAGE_MARK)  # the English page, the default language
    written_at = (data / KEPT_FOLDER / PACK).stat().st_mtime_ns
    server = start_server(data, "--prepare-documents", env={"KG_UPDATE_TOKEN": TOKEN})
    assert (data / KEPT_FOLDER / PACK).stat().st_mtime_ns == written_at  # read back, not written again
    yield server, data
    stop_server(server)


def test_the_server_answers_documents_from_the_pack(marked_server: tuple[LiveServer, Path]) -> None:
    server, _ = marked_server
    answer = turtle(server, QUESTION)
    assert answer.status_code == 200
    assert answer.content.startswith(MARK)
    assert answer.headers["content-location"] == f"/doc/{QUESTION}.ttl"
    assert "ETag" in answer.headers and "Last-Modified" in answer.headers
    assert turtle(server, QUESTION, **{"If-None-Match": answer.headers["ETag"]}).status_code == 304
    suffixed = httpx.get(server.url + f"doc/{QUESTION}.ttl", timeout=30)
    assert suffixed.content.startswith(MARK)
    html = httpx.get(server.url + "doc/" + QUESTION, headers={"Accept": "text/html"}, timeout=30)
    assert html.status_code == 200 and MARK not in html.content
    thing = httpx.get(server.url + "id/" + QUESTION, headers={"Accept": "text/turtle"}, timeout=30)
    assert thing.status_code == 303 and thing.headers["location"] == "/doc/" + QUESTION
    assert httpx.get(server.url + "id/question/0-0", timeout=30).status_code == 404


def test_requests_the_pack_cannot_answer_go_on_to_the_routes(marked_server: tuple[LiveServer, Path]) -> None:
    """Answered before routing only when packed: HEAD of a packed document has its headers and
    no body; a query string, an unknown format or a resource not packed get the routes' answers."""
    server, _ = marked_server
    head = httpx.head(server.url + "doc/" + QUESTION, headers={"Accept": "text/turtle"}, timeout=30)
    got = turtle(server, QUESTION)
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == got.headers["etag"]
    assert turtle(server, QUESTION + "?page=1").content.startswith(b"@prefix")  # made on request
    unknown = httpx.get(server.url + "doc/" + QUESTION, headers={"Accept": "application/x-unknown"}, timeout=30)
    assert unknown.status_code == 406
    assert httpx.get(server.url + "doc/" + QUESTION + "?format=nope", timeout=30).status_code == 400
    missing = httpx.get(server.url + "doc/question/0-0", headers={"Accept": "text/turtle"}, timeout=30)
    assert missing.status_code == 404


def test_the_server_answers_pages_from_the_pack_only_as_written(marked_server: tuple[LiveServer, Path]) -> None:
    """The page written in English answers a client naming no language or English, at the
    suffix-less path without a query; another language, `?lang=` or `.html` are made on request."""
    server, _ = marked_server

    def page(path: str, **headers: str) -> httpx.Response:
        return httpx.get(server.url + path, headers={"Accept": "text/html", **headers}, timeout=30)

    for answer in (page("doc/" + QUESTION), page("doc/" + QUESTION, **{"Accept-Language": "en-GB"})):
        assert answer.status_code == 200 and answer.content.startswith(PAGE_MARK)
        assert answer.headers["content-language"] == "en" and answer.headers["content-type"].startswith("text/html")
        assert "Accept-Language" in answer.headers["vary"] and "ETag" in answer.headers
        assert "default-src 'none'; script-src 'self'" in answer.headers["content-security-policy"]
        assert page("doc/" + QUESTION, **{"If-None-Match": answer.headers["ETag"]}).status_code == 304
    for answer in (
        page("doc/" + QUESTION, **{"Accept-Language": "fr"}),
        page("doc/" + QUESTION + "?lang=en"),
        page("doc/" + QUESTION + ".html"),
    ):
        assert answer.status_code == 200 and b"<html" in answer.content and PAGE_MARK not in answer.content
    assert page("doc/" + QUESTION, **{"Accept-Language": "fr"}).headers["content-language"] == "fr"


def test_the_pack_answers_gzip_as_kept_and_identity_decoded(marked_server: tuple[LiveServer, Path]) -> None:
    server, _ = marked_server
    with httpx.stream(
        "GET", server.url + "doc/" + QUESTION, headers={"Accept": "text/turtle", "Accept-Encoding": "gzip"}
    ) as answer:
        raw = b"".join(answer.iter_raw())
        assert answer.headers["content-encoding"] == "gzip"
        assert "Accept-Encoding" in answer.headers["vary"]
    assert gzip.decompress(raw).startswith(MARK)
    plain = turtle(server, QUESTION, **{"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content.startswith(MARK)


# Headers that differ between two servers of the same data whatever they send: the time, the
# validators (their dataset's own time and state), and a gzip body's length (compressed otherwise).
_OWN = ("date", "etag", "last-modified")


def test_a_packed_answer_has_the_headers_and_content_of_one_made_on_request(
    marked_server: tuple[LiveServer, Path], live_server: LiveServer
) -> None:
    """Answered before gzip and the validators' layer, a packed document still says all they
    would: the same headers as a server without a pack (Vary, Cache-Control, validators, CORS,
    security headers), the same content, and 304 for the conditions that still match."""
    packed, _ = marked_server
    asked = [
        ("question/5-8916", {"Accept": "text/turtle"}),
        ("question/5-8916", {"Accept": "text/turtle", "Accept-Encoding": "gzip"}),
        ("question/5-8916", {"Accept": "application/n-triples", "Origin": "https://example.org"}),
        ("question/5-8916", {"Accept": "text/html"}),
        ("question/5-8916", {"Accept": "text/html", "Accept-Encoding": "gzip, deflate"}),
        ("question/5-8916.ttl", {}),
    ]
    for path, headers in asked:
        for method in ("GET", "HEAD"):
            answers = [
                httpx.request(method, server.url + "doc/" + path, headers={"Accept-Encoding": "identity", **headers})
                for server in (packed, live_server)
            ]
            assert answers[0].status_code == answers[1].status_code == 200, (path, headers)
            own = _OWN + (("content-length",) if "gzip" in headers.get("Accept-Encoding", "") else ())
            kept = [{k: v for k, v in a.headers.multi_items() if k not in own} for a in answers]
            assert kept[0] == kept[1], (method, path, headers)
            assert answers[0].content == answers[1].content, (method, path, headers)
            tag, modified = answers[0].headers["etag"], answers[0].headers["last-modified"]
            for condition in ({"If-None-Match": tag}, {"If-Modified-Since": modified}):
                again = httpx.request(method, packed.url + "doc/" + path, headers={**headers, **condition})
                assert again.status_code == 304 and again.content == b"", (path, headers, condition)
                assert again.headers["etag"] == tag and again.headers["vary"] == answers[0].headers["vary"]
            stale = httpx.request(method, packed.url + "doc/" + path, headers={**headers, "If-None-Match": '"other"'})
            assert stale.status_code == 200


def test_accept_encoding_is_read_with_its_qualities() -> None:
    assert document_pack.accepts_gzip("gzip, deflate, br")
    assert document_pack.accepts_gzip("br;q=1.0, GZIP;q=0.5")
    assert document_pack.accepts_gzip("*")
    assert not document_pack.accepts_gzip("gzip;q=0")
    assert not document_pack.accepts_gzip("identity")
    assert not document_pack.accepts_gzip(None)
    assert not document_pack.accepts_gzip("gzip;q=x")


def test_an_update_through_the_token_is_served_at_once_not_the_pack(marked_server: tuple[LiveServer, Path]) -> None:
    server, _ = marked_server
    question = f"http://localhost:8000/id/{QUESTION}"
    response = httpx.post(
        server.url + "sparql",
        data={"update": f'INSERT DATA {{ <{question}> <http://www.w3.org/2000/01/rdf-schema#comment> "Said later" }}'},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=30,
    )
    assert response.status_code in (200, 204), response.text
    after = turtle(server, QUESTION)
    assert after.status_code == 200
    assert "Said later" in after.text and not after.content.startswith(MARK)


def test_a_pack_written_for_another_build_is_not_used(seeds_out: Path, tmp_path: Path) -> None:
    data = copy_build(seeds_out, tmp_path / "data")
    server = start_server(data, "--prepare-documents", "--prepare-first")
    stop_server(server)
    mark_in_pack(data, QUESTION)
    index = json.loads((data / KEPT_FOLDER / f"{INDEX}.json").read_bytes())
    index["key"] = "another build"
    (data / KEPT_FOLDER / f"{INDEX}.json").write_text(json.dumps(index))
    server = start_server(data)  # without the option: a pack that fits would still be read
    try:
        answer = turtle(server, QUESTION)
        assert answer.status_code == 200 and not answer.content.startswith(MARK)
    finally:
        stop_server(server)


@pytest.mark.parametrize("when", ["--prepare-first", "while serving"])
def test_a_stop_while_documents_are_written_ahead_ends_the_server_and_keeps_nothing(
    seeds_out: Path, tmp_path: Path, when: str
) -> None:
    """SIGTERM during the writing (three languages of pages: long enough to be caught at it),
    before listening or while serving: the server exits within seconds, not once every document
    is written, and leaves no pack behind."""
    data = copy_build(seeds_out, tmp_path / "data")
    command = [sys.executable, "-m", "kg.cli", "serve", "--data", str(data), "--host", "127.0.0.1"]
    command += ["--port", str(free_port()), "--prepare-documents", "--prepare-languages", "en,nl,fr"]
    command += [when] if when.startswith("--") else []
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if "documents ahead with" in line:
                break
        process.send_signal(signal.SIGTERM)
        stopped_at = time.monotonic()
        rest, _ = process.communicate(timeout=60)
        lines.append(rest)
    finally:
        process.kill()
    output = "".join(lines)
    assert time.monotonic() - stopped_at < 30, output
    assert "none kept" in output and "wrote" not in output, output
    assert process.returncode == -signal.SIGTERM, output  # as any stop by SIGTERM: uvicorn raises it again
    folder = data / KEPT_FOLDER
    assert not (folder / PACK).exists() and not (folder / f"{INDEX}.json").exists()
    assert not list(folder.glob(f".{PACK}.*")), list(folder.iterdir())


def test_documents_are_written_while_serving_by_one_process_then_served(seeds_out: Path, tmp_path: Path) -> None:
    """Without --prepare-first the server listens at once, answers documents made on request
    while the pack is written (three languages of pages: long enough to be seen at it), one web
    process of two writing it, then serves from it."""
    data = copy_build(seeds_out, tmp_path / "data")
    index = data / KEPT_FOLDER / f"{INDEX}.json"
    server = start_server(data, "--prepare-documents", "--prepare-languages", "en,nl,fr", "--processes", "2")
    try:
        assert not index.exists()  # listening before the documents are written
        assert turtle(server, QUESTION).status_code == 200
        deadline = time.monotonic() + 180
        while not index.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert index.exists()
        served = turtle(server, QUESTION)
        assert served.status_code == 200 and served.content == turtle(server, QUESTION + "?page=1").content
    finally:
        stop_server(server)
    output = server.process.stdout.read().decode()
    assert output.count("documents ahead with") == 1, output  # written once, not by each process
    assert "served from them from now on" in output, output


def test_packs_left_by_killed_servers_are_removed_those_being_written_stay(tmp_path: Path) -> None:
    dead_pid = subprocess.Popen(["true"])  # a process that has ended: its PID names no process
    dead_pid.wait()
    left = tmp_path / f".{PACK}.{dead_pid.pid}.tmp"
    mine = tmp_path / f".{PACK}.{os.getpid()}.tmp"
    other = tmp_path / "notes.tmp"
    for path in (left, mine, other):
        path.write_bytes(b"half a pack")
    assert document_pack.remove_stale(tmp_path) == [left]
    assert not left.exists() and mine.exists() and other.exists()


def test_unknown_or_repeated_page_languages_are_refused_before_anything_starts(tmp_path: Path) -> None:
    for value in ("de", "en,en"):
        command = [sys.executable, "-m", "kg.cli", "serve", "--data", str(tmp_path), "--prepare-languages", value]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and "each once, among en, nl, fr" in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == []  # nothing built or written
