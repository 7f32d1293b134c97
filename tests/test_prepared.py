"""Documents from the build's prepared lines (`graph.nt.gz.blocks`): for every resource of the
seeds the same bytes (Turtle, N-Triples, JSON-LD, RDF/XML) as the document `describe` reads from
the store; the store read again at once after an update through the token, over HTTP; a
missing, stale or damaged index read around (never a 500); an incremental build's change served."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import LiveServer, copy_build, start_server, stop_server

from kg.build.pipeline import build
from kg.paths import SEEDS_DIR
from kg.rdf.vocab import prefixes
from kg.stores.embedded import EmbeddedStore, prepare
from kg.stores.prepared import PreparedGraph, blocks_path, write_blocks
from kg.uris import DEFAULT_BASE, UriMinter
from kg.web import rdf_formats
from kg.web.describe import DescriptionCache, describe

TOKEN = "prepared-operator-token"
QUESTION = "question/5-8913"  # a seed, with its answer, texts and facts


def open_store(out: Path) -> EmbeddedStore:
    prepare(out)
    return EmbeddedStore.open(out)


def subjects(store: EmbeddedStore, base: str) -> list[str]:
    """Every resource of the dataset with a document: the IRIs under `{base}id/`."""
    found = {t.subject.value for t in store.match() if isinstance(t.subject, ox.NamedNode)}
    return sorted(s for s in found if s.startswith(base + "id/"))


def triples_of(data: bytes, fmt: rdf_formats.Format) -> set[str]:
    assert fmt.rdf is not None
    return {str(q.triple) for q in ox.parse(data, format=fmt.rdf)}


@pytest.fixture(scope="module")
def seeds_store(seeds_out: Path, tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    return open_store(copy_build(seeds_out, tmp_path_factory.mktemp("prepared-seeds")))


def test_prepared_documents_are_the_store_documents_for_every_seeds_resource(seeds_store: EmbeddedStore) -> None:
    graph = PreparedGraph.open(seeds_store.loaded_graph())
    assert graph is not None
    minter = UriMinter(DEFAULT_BASE)
    table = prefixes(minter.ns_iri)
    cache = DescriptionCache()
    every = subjects(seeds_store, minter.base)
    assert len(every) > 1000
    for uri in every:
        doc = minter.document_of(uri)
        read = describe(seeds_store, uri, doc, cache=cache, dataset=minter.base + "void")
        prepared = describe(seeds_store, uri, doc, cache=cache, dataset=minter.base + "void", prepared=graph)
        assert prepared.lines is not None, uri  # nothing in the seeds needs the store's walk
        assert {str(t) for t in prepared.own} == {str(t) for t in read.own}, uri
        assert {str(t) for t in prepared.parts} == {str(t) for t in read.parts}, uri
        nt = prepared.ntriples()
        assert nt is not None
        for fmt in rdf_formats.RDF_FORMATS:
            expected = rdf_formats.serialize_triples(read.triples(), fmt, table, ordered=True)
            written = rdf_formats.serialize_ntriples(nt, fmt, table)
            assert triples_of(written, fmt) == triples_of(expected, fmt), (uri, fmt.name)
            if fmt.extension in ("ttl", "nt"):
                assert written == expected, (uri, fmt.name)


def test_typed_literals_are_served_in_the_stores_form(seeds_store: EmbeddedStore) -> None:
    """The graph file says `"82.0"^^xsd:decimal` and `xsd:nonNegativeInteger`; the store holds
    `"82"` and `xsd:integer`, and so does the prepared document."""
    graph = PreparedGraph.open(seeds_store.loaded_graph())
    assert graph is not None
    raw = b"\n".join(graph.under(DEFAULT_BASE + "id/dataset/"))
    assert b'.0"^^<http://www.w3.org/2001/XMLSchema#decimal>' in raw
    uri = DEFAULT_BASE + "id/dataset/answer-times/asker/days"
    d = describe(seeds_store, uri, UriMinter(DEFAULT_BASE).document_of(uri), prepared=graph, parse=False)
    nt = d.ntriples()
    assert nt is not None and b'"^^<http://www.w3.org/2001/XMLSchema#decimal>' in nt
    assert b'.0"^^<http://www.w3.org/2001/XMLSchema#decimal>' not in nt


def damage(index: Path) -> list[str]:
    """Move the boundary between each pair of members by 7 bytes (the total stays right, so the
    index is opened); returns the first subject of each damaged member."""
    data = json.loads(index.read_bytes())
    sizes = data["sizes"]
    for n in range(0, len(sizes) - 1, 2):
        sizes[n] += 7
        sizes[n + 1] -= 7
    index.write_text(json.dumps(data))
    return [key.strip()[1:-1] for key in data["keys"][: len(sizes) - len(sizes) % 2]]


def test_a_missing_stale_or_damaged_index_is_not_used(seeds_out: Path, tmp_path: Path) -> None:
    out = copy_build(seeds_out, tmp_path / "data")
    store = open_store(out)
    index = blocks_path(out / "graph.nt.gz")
    good = index.read_bytes()
    assert PreparedGraph.open(store.loaded_graph()) is not None
    index.write_bytes(b"{not json")
    assert PreparedGraph.open(store.loaded_graph()) is None
    data = json.loads(good)
    index.write_text(json.dumps({**data, "sha256": "0" * 64}))  # another build's graph
    assert PreparedGraph.open(store.loaded_graph()) is None
    index.write_text(json.dumps({**data, "sizes": [*data["sizes"][:-1], data["sizes"][-1] + 100]}))  # another size
    assert PreparedGraph.open(store.loaded_graph()) is None
    index.unlink()
    assert PreparedGraph.open(store.loaded_graph()) is None
    # Members cut in the wrong places: read, found wrong, and the description walks the store.
    index.write_bytes(good)
    damaged = damage(index)
    graph = PreparedGraph.open(store.loaded_graph())
    assert graph is not None
    minter = UriMinter(DEFAULT_BASE)
    for uri in damaged:
        d = describe(store, uri, minter.document_of(uri), prepared=graph)
        assert d.found and d.lines is None, uri
    uri = DEFAULT_BASE + "id/" + QUESTION
    assert describe(store, uri, minter.document_of(uri), prepared=graph).found


@pytest.fixture(scope="module")
def served(seeds_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, LiveServer]]:
    """Two servers over copies of the seeds: one with the block index, one with a damaged one."""
    good = copy_build(seeds_out, tmp_path_factory.mktemp("prepared-served"))
    damaged = copy_build(seeds_out, tmp_path_factory.mktemp("prepared-damaged"))
    damage(blocks_path(damaged / "graph.nt.gz"))
    servers = (start_server(good, env={"KG_UPDATE_TOKEN": TOKEN}), start_server(damaged))
    yield servers
    for server in servers:
        stop_server(server)


def get(server: LiveServer, path: str, accept: str) -> httpx.Response:
    return httpx.get(server.url + path.lstrip("/"), headers={"accept": accept}, timeout=30)


def test_a_damaged_index_serves_the_same_documents(served: tuple[LiveServer, LiveServer], seeds_out: Path) -> None:
    good, damaged = served
    keys = json.loads(blocks_path(seeds_out / "graph.nt.gz").read_bytes())["keys"]
    paths = ["/doc/" + QUESTION] + [
        "/doc/" + key.strip()[1:-1].removeprefix(DEFAULT_BASE + "id/")
        for key in keys
        if key.startswith("<" + DEFAULT_BASE + "id/")
    ]
    assert len(paths) > 3
    for accept in ("text/turtle", "application/n-triples", "text/html"):
        for path in paths:
            a, b = get(good, path, accept), get(damaged, path, accept)
            assert a.status_code == b.status_code == 200, (path, accept)
            if accept != "text/html":
                assert a.content == b.content, (path, accept)


def test_an_update_through_the_token_is_served_at_once(served: tuple[LiveServer, LiveServer]) -> None:
    good, _ = served
    part = f"{DEFAULT_BASE}id/{QUESTION}/answer"
    before = get(good, "/doc/" + QUESTION, "text/turtle")
    assert before.status_code == 200 and "Added by an operator" not in before.text
    response = httpx.post(
        good.url + "sparql",
        data={
            "update": f'INSERT DATA {{ <{part}> <http://www.w3.org/2000/01/rdf-schema#comment> "Added by an operator" }}'
        },
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=30,
    )
    assert response.status_code in (200, 204), response.text
    for accept in ("text/turtle", "application/n-triples", "application/ld+json", "text/html"):
        after = get(good, "/doc/" + QUESTION, accept)
        assert after.status_code == 200 and "Added by an operator" in after.text, accept


def test_an_incremental_build_serves_the_edited_documents_new_triples(tmp_path: Path) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    shutil.copytree(SEEDS_DIR, docs)
    build([docs], out)
    store = open_store(out)
    assert PreparedGraph.open(store.loaded_graph()) is not None
    edited = docs / "5-8913-nl.txt"
    sentence = "Deze zin is later toegevoegd."
    edited.write_text(edited.read_text(encoding="utf-8").rstrip("\n") + f" {sentence}\n", encoding="utf-8")
    report = build([docs], out)
    assert report.pieces[0] < report.pieces[1]  # applied as a change: only some pieces rewritten
    prepare(out, change_file=report.change_file)
    store = EmbeddedStore.open(out)
    graph = PreparedGraph.open(store.loaded_graph())
    assert graph is not None
    uri = DEFAULT_BASE + "id/" + QUESTION
    doc = UriMinter(DEFAULT_BASE).document_of(uri)
    prepared = describe(store, uri, doc, prepared=graph, parse=False)
    read = describe(store, uri, doc)
    nt = prepared.ntriples()
    assert prepared.lines is not None and nt is not None and sentence.encode() in nt
    ttl = rdf_formats.BY_EXTENSION["ttl"]
    table = prefixes(UriMinter(DEFAULT_BASE).ns_iri)
    assert rdf_formats.serialize_ntriples(nt, ttl, table) == rdf_formats.serialize_triples(read.triples(), ttl, table)


def served_log(data: Path) -> str:
    """What `kg serve` said from its start until it was stopped."""
    server = start_server(data)
    assert get(server, "/doc/" + QUESTION, "text/turtle").status_code == 200
    stop_server(server)
    assert server.process.stdout is not None
    return server.process.stdout.read().decode(errors="replace")


def test_the_server_says_where_documents_come_from(seeds_out: Path, tmp_path: Path) -> None:
    with_index = copy_build(seeds_out, tmp_path / "with-index")
    assert "read from graph.nt.gz (graph.nt.gz.blocks)" in served_log(with_index)
    without = copy_build(seeds_out, tmp_path / "without-index")
    blocks_path(without / "graph.nt.gz").unlink()
    assert "resource documents: read from the store" in served_log(without)


EX = "http://example.org/id/"
EDGE_LINES = [
    f'<{EX}a> <{EX}p> "bell\\u0007" .',  # an escape sequence: its member is read around
    f'<{EX}b> <{EX}p> "Hallo"@NL-BE .',  # an upper-case language tag: the store lowers it
    f"<{EX}c/part> <{EX}of> <{EX}c> .",  # a part that only points at its whole
    f'<{EX}c> <{EX}p> "82.0"^^<http://www.w3.org/2001/XMLSchema#decimal> .',  # "82" in the store
    f'<{EX}c> <{EX}q> "7"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> .',
    f'<{EX}d/orphan> <{EX}p> "not linked to d" .',  # under d's IRI, but not one of its parts
    f'<{EX}d> <{EX}p> "d" .',
    f'<{EX}e/x> <{EX}p> "in another member than e" .',
    f"<{EX}e> <{EX}has> <{EX}e/x> .",
]


def test_what_the_lines_cannot_say_is_read_from_the_store(tmp_path: Path) -> None:
    """Escape sequences, upper-case language tags and parts the walk does not reach are read
    from the store; numbers come in the store's form; a resource across members is joined."""
    lines = sorted(line.encode() for line in EDGE_LINES)
    cuts = [0, 1, 2, 7, 8, len(lines)]  # members: a | b | c and d | e's part | e
    members = [gzip.compress(b"\n".join(lines[i:j]) + b"\n", mtime=0) for i, j in pairwise(cuts)]
    graph = tmp_path / "graph.nt.gz"
    graph.write_bytes(b"".join(members))
    keys = [lines[i].split(b" ")[0] + b" " for i in cuts[:-1]]
    sha = hashlib.sha256(graph.read_bytes()).hexdigest()
    write_blocks(blocks_path(graph), sha, keys, [len(m) for m in members])
    store = open_store(tmp_path)
    prepared = PreparedGraph.open(store.loaded_graph())
    assert prepared is not None
    ttl = rdf_formats.BY_EXTENSION["ttl"]
    used = {}
    for name in "abcde":
        uri = EX + name
        doc = "http://example.org/doc/" + name
        read = describe(store, uri, doc)
        lines_read = describe(store, uri, doc, prepared=prepared, parse=False)
        used[name] = lines_read.lines is not None
        written = (
            rdf_formats.serialize_ntriples(lines_read.ntriples() or b"", ttl, {}, lines_read.iris())
            if used[name]
            else rdf_formats.serialize_triples(lines_read.triples(), ttl, {})
        )
        assert written == rdf_formats.serialize_triples(read.triples(), ttl, {}), name
    assert used == {"a": False, "b": False, "c": True, "d": False, "e": True}
    c = describe(store, EX + "c", "http://example.org/doc/c", prepared=prepared, parse=False).ntriples() or b""
    assert b'"82"^^' in c and b"XMLSchema#integer" in c and f"<{EX}c/part>".encode() in c
