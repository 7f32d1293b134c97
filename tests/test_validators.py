"""Documents and pages carry an ETag and a Last-Modified, a conditional GET that still matches gets
304 without a body, the Cache-Control is the operator's, and an update through the token changes
the ETag and the content at once. Real servers over a copy of the seeds, real HTTP clients."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

import httpx
import pytest
from conftest import LiveServer, copy_build, start_server, stop_server

from kg.uris import DEFAULT_BASE
from kg.web.settings import CACHE_CONTROL

TOKEN = "validators-operator-token"
QUESTION = "/doc/question/5-8900"

# Every kind of document and page a crawler or a browser revalidates: (path, Accept).
ANSWERS = [
    (QUESTION, "text/turtle"),
    (QUESTION, "application/n-triples"),
    (QUESTION, "application/ld+json"),
    (QUESTION, "application/rdf+xml"),
    (QUESTION, "text/html"),
    (QUESTION + ".ttl", "*/*"),
    ("/ns/kg", "text/turtle"),
    ("/ns/kg", "text/html"),
    ("/", "text/html"),
    ("/list/questions", "text/html"),
    ("/dumps/", "application/json"),
    ("/dumps/", "text/html"),
    ("/.well-known/void", "text/turtle"),
    ("/.well-known/void", "text/html"),
    ("/stats", "text/html"),
    ("/stats.json", "application/json"),
]


@pytest.fixture(scope="module")
def data(seeds_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_build(seeds_out, tmp_path_factory.mktemp("validators-data"))


@pytest.fixture(scope="module")
def server(data: Path) -> Iterator[LiveServer]:
    live = start_server(data, env={"KG_UPDATE_TOKEN": TOKEN})
    yield live
    stop_server(live)


def get(server: LiveServer, path: str, accept: str = "*/*", **headers: str) -> httpx.Response:
    return httpx.get(server.url + path.lstrip("/"), headers={"accept": accept, **headers}, timeout=30)


def update(server: LiveServer, sparql: str) -> None:
    response = httpx.post(
        server.url + "sparql", data={"update": sparql}, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
    )
    assert response.status_code in (200, 204), response.text


@pytest.mark.parametrize(("path", "accept"), ANSWERS)
def test_documents_and_pages_carry_validators_and_answer_304_when_unchanged(
    server: LiveServer, path: str, accept: str
) -> None:
    first = get(server, path, accept)
    assert first.status_code == 200, first.text
    tag, modified = first.headers["etag"], first.headers["last-modified"]
    assert tag.startswith('W/"') and tag.endswith('"')
    assert parsedate_to_datetime(modified).tzinfo is not None
    assert first.headers["cache-control"] == CACHE_CONTROL
    again = get(server, path, accept)
    assert again.headers["etag"] == tag and again.content == first.content

    for condition in (tag, tag.removeprefix("W/"), f'"other", {tag}', "*"):
        revalidated = get(server, path, accept, **{"if-none-match": condition})
        assert revalidated.status_code == 304, condition
        assert revalidated.content == b""
        assert revalidated.headers["etag"] == tag
        assert revalidated.headers["last-modified"] == modified
    assert get(server, path, accept, **{"if-modified-since": modified}).status_code == 304
    assert get(server, path, accept, **{"if-none-match": '"other"'}).status_code == 200


def test_if_none_match_wins_over_if_modified_since(server: LiveServer) -> None:
    first = get(server, QUESTION, "text/turtle")
    conditions = {"if-none-match": '"something-else"', "if-modified-since": first.headers["last-modified"]}
    answer = get(server, QUESTION, "text/turtle", **conditions)
    assert answer.status_code == 200 and answer.content == first.content


def test_an_older_or_invalid_if_modified_since_gets_the_document(server: LiveServer) -> None:
    modified = parsedate_to_datetime(get(server, QUESTION, "text/turtle").headers["last-modified"])
    earlier = format_datetime(modified.replace(year=modified.year - 1), usegmt=True)
    assert get(server, QUESTION, "text/turtle", **{"if-modified-since": earlier}).status_code == 200
    assert get(server, QUESTION, "text/turtle", **{"if-modified-since": "yesterday"}).status_code == 200


def test_each_document_format_language_and_query_has_its_own_etag(server: LiveServer) -> None:
    tags = {
        get(server, path, accept, **{"accept-language": language}).headers["etag"]
        for path, accept, language in [
            (QUESTION, "text/turtle", "en"),
            (QUESTION, "application/ld+json", "en"),
            (QUESTION, "text/html", "en"),
            (QUESTION, "text/html", "fr"),
            (QUESTION, "text/html", "nl"),
            ("/doc/question/5-8901", "text/turtle", "en"),
            ("/list/questions?page=1", "text/html", "en"),
            ("/list/questions?page=1&sort=date", "text/html", "en"),
        ]
    }
    assert len(tags) == 8
    # An RDF document is the same whatever the reader's language: one tag.
    turtle = {
        get(server, QUESTION, "text/turtle", **{"accept-language": lang}).headers["etag"] for lang in "nl fr".split()
    }
    assert len(turtle) == 1


def test_negotiated_answers_vary_on_what_was_negotiated(server: LiveServer) -> None:
    for accept in ("text/turtle", "text/html"):
        vary = {v.strip().lower() for v in get(server, QUESTION, accept).headers["vary"].split(",")}
        assert {"accept", "accept-language"} <= vary
    home = get(server, "/", "text/html", **{"accept-language": "fr"})
    assert "accept-language" in home.headers["vary"].lower()


def test_a_gzipped_answer_has_the_same_weak_etag(server: LiveServer) -> None:
    plain = get(server, QUESTION, "text/turtle", **{"accept-encoding": "identity"})
    zipped = get(server, QUESTION, "text/turtle", **{"accept-encoding": "gzip"})
    assert zipped.headers.get("content-encoding") == "gzip"
    assert plain.headers["etag"] == zipped.headers["etag"]
    assert get(server, QUESTION, "text/turtle", **{"if-none-match": plain.headers["etag"]}).status_code == 304


def test_a_thing_redirects_to_a_document_that_revalidates(server: LiveServer) -> None:
    redirect = get(server, "/id/question/5-8900", "text/turtle")
    assert redirect.status_code == 303 and "etag" not in redirect.headers
    document = get(server, redirect.headers["location"], "text/turtle")
    assert (
        get(server, "/doc/question/5-8900", "text/turtle", **{"if-none-match": document.headers["etag"]}).status_code
        == 304
    )


def test_errors_and_searches_are_not_validated(server: LiveServer) -> None:
    missing = get(server, "/doc/question/9-9999", "text/turtle")
    assert missing.status_code == 404 and "etag" not in missing.headers
    assert get(server, "/doc/question/9-9999", "text/turtle", **{"if-none-match": "*"}).status_code == 404
    query = httpx.get(server.url + "sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert query.status_code == 200 and "etag" not in query.headers


def test_an_update_through_the_token_changes_the_etag_and_the_content_at_once(server: LiveServer) -> None:
    before = get(server, QUESTION, "text/turtle")
    page_before = get(server, QUESTION, "text/html")
    home_before = get(server, "/", "text/html")
    label = "Relabelled by an operator"
    update(
        server,
        f'INSERT DATA {{ <{DEFAULT_BASE}id/question/5-8900> <http://www.w3.org/2000/01/rdf-schema#comment> "{label}"@en }}',
    )

    after = get(server, QUESTION, "text/turtle", **{"if-none-match": before.headers["etag"]})
    assert after.status_code == 200
    assert label in after.text and label not in before.text
    assert after.headers["etag"] != before.headers["etag"]
    assert parsedate_to_datetime(after.headers["last-modified"]) > parsedate_to_datetime(
        before.headers["last-modified"]
    )
    stale = {"if-modified-since": before.headers["last-modified"]}
    assert get(server, QUESTION, "text/turtle", **stale).status_code == 200
    page = get(server, QUESTION, "text/html", **{"if-none-match": page_before.headers["etag"]})
    assert page.status_code == 200 and label in page.text
    assert get(server, "/", "text/html").headers["etag"] != home_before.headers["etag"]
    assert get(server, QUESTION, "text/turtle", **{"if-none-match": after.headers["etag"]}).status_code == 304


def test_validators_hold_across_a_restart_and_follow_a_persisted_update(data: Path, server: LiveServer) -> None:
    """The same data served again gives the same tags (caches keep their copies); an update made
    before the restart is not forgotten."""
    before = get(server, QUESTION, "text/turtle").headers["etag"]
    update(
        server,
        f'INSERT DATA {{ <{DEFAULT_BASE}id/question/5-8900> <http://www.w3.org/2000/01/rdf-schema#comment> "kept"@en }}',
    )
    tag = get(server, QUESTION, "text/turtle").headers["etag"]
    assert tag != before
    again = start_server(data, "--cache-control", "public, max-age=60")
    try:
        answer = get(again, QUESTION, "text/turtle")
        assert answer.headers["etag"] == tag
        assert answer.headers["cache-control"] == "public, max-age=60"
        assert get(again, "/.well-known/void", "text/turtle").headers["cache-control"] == "public, max-age=60"
        assert get(again, "/dumps/ontology.ttl").headers["cache-control"] == "public, max-age=60"
    finally:
        stop_server(again)


def test_a_cache_control_that_is_not_one_line_is_a_usage_error(data: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "serve", "--data", str(data), "--cache-control", "public\r\nX-Evil: 1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Cache-Control" in result.stderr
