"""What keeps the public endpoint safe: the time limit really stops a query (its worker process
is killed) while other clients keep getting answers, results are capped and say so, and only
operators may update."""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.error import HTTPError

import httpx
import pytest
from conftest import LIMITED_RESULTS, LIMITED_TIMEOUT, UPDATE_TOKEN, children, copy_build, start_server, stop_server
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from kg.uris import DEFAULT_BASE

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
FAST = "ASK { ?s ?p ?o }"
INSERT = f'INSERT DATA {{ <{DEFAULT_BASE}id/note/1> <http://purl.org/dc/terms/title> "operator note" }}'
NOTE_COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{DEFAULT_BASE}id/note/1> ?p ?o }}"


def wait_for_workers(server, count: int) -> set[int]:
    """Poll (without a deadline assertion on speed) until the pool is back to `count` workers."""
    for _ in range(600):
        pids = children(server.process.pid)
        if len(pids) == count:
            return pids
        threading.Event().wait(0.1)
    raise AssertionError(f"the pool did not get back to {count} workers: {children(server.process.pid)}")


def test_slow_query_is_stopped_while_others_get_answers(limited_server) -> None:
    url = limited_server.url + "sparql"
    before = wait_for_workers(limited_server, 2)
    slow: dict[str, httpx.Response] = {}
    thread = threading.Thread(target=lambda: slow.update(r=httpx.get(url, params={"query": SLOW}, timeout=60)))
    thread.start()
    answered_meanwhile = 0
    for _ in range(5):
        response = httpx.get(url, params={"query": FAST}, timeout=60)
        assert response.status_code == 200 and response.json()["boolean"] is True
        if thread.is_alive():
            answered_meanwhile += 1
    thread.join()
    assert answered_meanwhile >= 1  # fast queries were answered while the slow one ran
    response = slow["r"]
    assert response.status_code == 503
    assert f"longer than {LIMITED_TIMEOUT} s" in response.text and "stopped" in response.text
    after = wait_for_workers(limited_server, 2)
    killed = before - after
    assert len(killed) == 1  # the worker that ran the slow query was replaced...
    (pid,) = killed
    assert not Path(f"/proc/{pid}").exists()  # ...and is really gone, not left burning CPU
    # and the endpoint still answers
    assert httpx.get(url, params={"query": FAST}).status_code == 200


def test_slow_query_through_sparqlwrapper_reports_503(limited_server) -> None:
    client = SPARQLWrapper(limited_server.url + "sparql")
    client.setQuery(SLOW)
    client.setReturnFormat(JSON)
    with pytest.raises(HTTPError) as caught:  # SPARQLWrapper passes a 503 on as urllib's error
        client.query()
    assert caught.value.code == 503
    assert "stopped" in caught.value.read().decode()


def test_slow_query_on_the_page_keeps_the_query(limited_server) -> None:
    response = httpx.get(
        limited_server.url + "sparql", params={"query": SLOW}, headers={"Accept": "text/html"}, timeout=60
    )
    assert response.status_code == 503
    assert "stopped" in response.text
    assert "?a ?b ?c" in response.text  # the editor still holds the query


@pytest.mark.parametrize(
    "query,format_name",
    [
        ("SELECT * WHERE { ?s ?p ?o }", "json"),
        ("SELECT * WHERE { ?s ?p ?o }", "csv"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "ntriples"),
    ],
)
def test_results_are_capped_and_the_cap_is_said(limited_server, query, format_name) -> None:
    response = httpx.get(limited_server.url + "sparql", params={"query": query, "format": format_name})
    assert response.status_code == 200
    assert response.headers["x-kg-result-limit"] == str(LIMITED_RESULTS)
    assert response.headers["x-kg-truncated"] == "true"
    assert str(LIMITED_RESULTS) in response.headers["warning"]
    if format_name == "json":
        assert len(response.json()["results"]["bindings"]) == LIMITED_RESULTS
    elif format_name == "csv":
        assert len(response.text.strip().splitlines()) == LIMITED_RESULTS + 1
    else:
        assert len(response.text.strip().splitlines()) == LIMITED_RESULTS


def test_small_results_are_not_marked_truncated(limited_server) -> None:
    query = f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {LIMITED_RESULTS}"
    response = httpx.get(limited_server.url + "sparql", params={"query": query})
    assert len(response.json()["results"]["bindings"]) == LIMITED_RESULTS
    assert "x-kg-truncated" not in response.headers


def test_cap_is_said_on_the_page(limited_server) -> None:
    response = httpx.get(
        limited_server.url + "sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "text/html"}
    )
    assert response.status_code == 200
    assert f"result limit of {LIMITED_RESULTS}" in response.text


@pytest.mark.parametrize("how", ["form", "direct", "query-param", "query-form", "get-update"])
def test_public_updates_are_refused(live_server, how) -> None:
    url = live_server.url + "sparql"
    if how == "form":
        response = httpx.post(url, data={"update": INSERT})
    elif how == "direct":
        response = httpx.post(url, content=INSERT.encode(), headers={"Content-Type": "application/sparql-update"})
    elif how == "query-param":
        response = httpx.get(url, params={"query": "PREFIX x: <http://a/#>\n# note\n" + INSERT})
    elif how == "query-form":
        response = httpx.post(url, data={"query": "DELETE WHERE { ?s ?p ?o }"})
    else:
        response = httpx.get(url, params={"update": INSERT})
    assert response.status_code == 403
    assert "read-only" in response.text
    count = httpx.get(url, params={"query": NOTE_COUNT}).json()["results"]["bindings"][0]["n"]["value"]
    assert count == "0"


def test_sparqlwrapper_update_is_refused(live_server) -> None:
    client = SPARQLWrapper(live_server.url + "sparql")
    client.setMethod(POST)
    client.setQuery(INSERT)
    with pytest.raises(HTTPError) as caught:
        client.query()
    assert caught.value.code == 403
    assert "read-only" in caught.value.read().decode()


def test_operator_updates_must_be_posted(limited_server) -> None:
    response = httpx.get(
        limited_server.url + "sparql", params={"update": INSERT}, headers={"Authorization": f"Bearer {UPDATE_TOKEN}"}
    )
    assert response.status_code == 400 and "POST" in response.text


def test_wrong_token_is_refused(limited_server) -> None:
    response = httpx.post(
        limited_server.url + "sparql", data={"update": INSERT}, headers={"Authorization": "Bearer not-the-token"}
    )
    assert response.status_code == 403


def test_operator_update_reaches_workers_and_void(limited_server) -> None:
    url = limited_server.url + "sparql"
    auth = {"Authorization": f"Bearer {UPDATE_TOKEN}"}
    void_before = void_triples(limited_server)
    bad = httpx.post(
        url, content=b"INSERT DATA { broken", headers={**auth, "Content-Type": "application/sparql-update"}
    )
    assert bad.status_code == 400 and "syntax" in bad.text
    response = httpx.post(
        url, content=INSERT.encode(), headers={**auth, "Content-Type": "application/sparql-update"}, timeout=60
    )
    assert response.status_code == 200, response.text
    for _ in range(3):  # every worker (fresh after the update) sees it
        count = httpx.get(url, params={"query": NOTE_COUNT}, timeout=60).json()
        assert count["results"]["bindings"][0]["n"]["value"] == "1"
    assert void_triples(limited_server) == void_before + 1
    delete = 'DELETE DATA { <%sid/note/1> <http://purl.org/dc/terms/title> "operator note" }' % DEFAULT_BASE
    assert httpx.post(url, data={"update": delete}, headers=auth, timeout=60).status_code == 200
    assert void_triples(limited_server) == void_before


def void_triples(server) -> int:
    import rdflib

    graph = rdflib.Graph().parse(
        data=httpx.get(server.url + ".well-known/void", headers={"Accept": "text/turtle"}).text, format="turtle"
    )
    dataset = rdflib.URIRef(DEFAULT_BASE + ".well-known/void#dataset")
    return int(graph.value(dataset, rdflib.URIRef("http://rdfs.org/ns/void#triples")))


def test_the_word_service_elsewhere_is_fine(live_server) -> None:
    query = 'SELECT ?service WHERE { BIND("SERVICE <http://127.0.0.1:1/>" AS ?service) } # SERVICE'
    response = httpx.get(live_server.url + "sparql", params={"query": query})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["service"]["value"].startswith("SERVICE")


def test_answers_are_kept_until_the_store_changes(limited_server) -> None:
    """A repeated query is answered from the cache of its store version; an operator update
    retires that cache, so the next answer is computed again and shows the change."""
    url = limited_server.url + "sparql"
    auth = {"Authorization": f"Bearer {UPDATE_TOKEN}", "Content-Type": "application/sparql-update"}
    note = f"<{DEFAULT_BASE}id/note/cached>"
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ {note} ?p ?o }}"
    json_accept = {"Accept": "application/sparql-results+json"}

    def ask(headers=json_accept) -> httpx.Response:
        response = httpx.get(url, params={"query": count}, headers=headers, timeout=60)
        assert response.status_code == 200, response.text
        return response

    first, second = ask(), ask()
    assert (first.headers["X-KG-Cache"], second.headers["X-KG-Cache"]) == ("miss", "hit")
    assert first.content == second.content and first.json()["results"]["bindings"][0]["n"]["value"] == "0"
    # Another format is another answer: computed, then kept on its own.
    xml = ask({"Accept": "application/sparql-results+xml"})
    assert xml.headers["X-KG-Cache"] == "miss" and xml.text.lstrip().startswith("<?xml")
    assert ask({"Accept": "application/sparql-results+xml"}).headers["X-KG-Cache"] == "hit"

    insert = f'INSERT DATA {{ {note} <http://purl.org/dc/terms/title> "kept?" }}'
    assert httpx.post(url, content=insert.encode(), headers=auth, timeout=60).status_code == 200
    try:
        after = ask()
        assert after.headers["X-KG-Cache"] == "miss"
        assert after.json()["results"]["bindings"][0]["n"]["value"] == "1"
    finally:
        delete = insert.replace("INSERT DATA", "DELETE DATA")
        assert httpx.post(url, content=delete.encode(), headers=auth, timeout=60).status_code == 200
    assert ask().json()["results"]["bindings"][0]["n"]["value"] == "0"


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (NOW() AS ?t) WHERE {}",
        "SELECT (rand() AS ?r) WHERE {}",
        "SELECT (STRUUID() AS ?u) WHERE {}",
        "SELECT (UUID () AS ?u) WHERE {}",
    ],
)
def test_answers_that_change_between_runs_are_never_kept(live_server, query) -> None:
    url = live_server.url + "sparql"
    for _ in range(2):
        response = httpx.get(url, params={"query": query}, headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200 and response.headers["X-KG-Cache"] == "miss"


QUERY_MEMORY_MIB = 256
# Every pair and triple of triples, sorted: all of it must be held before the first row.
HUNGRY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 1"


@pytest.fixture(scope="module")
def capped_server(seeds_out: Path, tmp_path_factory: pytest.TempPathFactory):
    server = start_server(
        copy_build(seeds_out, tmp_path_factory.mktemp("capped")),
        "--query-memory",
        str(QUERY_MEMORY_MIB),
        "--workers",
        "1",
    )
    yield server
    stop_server(server)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the workers' limits in /proc")
def test_each_query_worker_has_its_memory_capped(capped_server) -> None:
    # A query answered: the worker is past opening its store, where it sets the cap.
    assert httpx.get(capped_server.url + "sparql", params={"query": FAST}, timeout=60).status_code == 200
    (worker,) = wait_for_workers(capped_server, 1)
    limits = Path(f"/proc/{worker}/limits").read_text()
    [line] = [line for line in limits.splitlines() if line.startswith("Max data size")]
    soft, hard = (int(value) for value in line.split()[3:5])
    cap = QUERY_MEMORY_MIB * 1024 * 1024
    # what the worker held once its store was open, and the cap on top of it
    assert soft == hard and cap < soft < cap + 1024 * 1024 * 1024


def test_a_query_needing_too_much_memory_is_stopped_and_the_next_is_answered(capped_server) -> None:
    url = capped_server.url + "sparql"
    response = httpx.get(
        url, params={"query": HUNGRY}, headers={"Accept": "application/sparql-results+json"}, timeout=60
    )
    assert response.status_code == 503
    assert f"more memory than a query may use ({QUERY_MEMORY_MIB} MiB)" in response.text
    answered = httpx.get(url, params={"query": FAST}, headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert answered.status_code == 200 and answered.json()["boolean"] is True
    assert capped_server.process.poll() is None
