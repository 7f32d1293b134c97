"""The store over a data directory: loading once, reusing the on-disk store, reloading after a
rebuild, the ontology in its own graph, updates, and clear errors for unusable data."""

from __future__ import annotations

import gzip
import json
import os
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import copy_build

from kg.stores.embedded import COUNT_FILE, DB_DIR, FINGERPRINT_FILE, STORE_DIR, EmbeddedStore
from kg.stores.errors import StoreError
from kg.uris import DEFAULT_BASE

ONTOLOGY_GRAPH = DEFAULT_BASE + "ns/kg"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count(store: EmbeddedStore, **options: object) -> int:
    return int(next(iter(store.query(COUNT, **options)))["n"].value)


def dump_lines(data: Path) -> list[bytes]:
    with gzip.open(data / "graph.nt.gz", "rb") as handle:
        return [line for line in handle.read().splitlines() if line.strip()]


@pytest.fixture
def data(seeds_out: Path, tmp_path: Path) -> Path:
    return copy_build(seeds_out, tmp_path / "data")


def test_open_loads_the_dump_into_the_default_graph(data: Path) -> None:
    store = EmbeddedStore.open(data)
    expected = len(dump_lines(data))
    assert expected == json.loads((data / "build.json").read_text())["triples"]
    assert store.triple_count() == expected == count(store)
    assert (data / STORE_DIR / DB_DIR).is_dir()
    fingerprint = json.loads((data / STORE_DIR / FINGERPRINT_FILE).read_text())
    assert set(fingerprint["files"]) == {"graph.nt.gz", "ontology.ttl"}


def test_ontology_is_in_its_own_named_graph(data: Path) -> None:
    store = EmbeddedStore.open(data)
    assert store.ontology_graph == ONTOLOGY_GRAPH
    in_ontology = count(store, default_graph=[ONTOLOGY_GRAPH])
    assert in_ontology > 0
    owl_classes = "ASK { ?c a <http://www.w3.org/2002/07/owl#Class> }"
    assert bool(store.query(owl_classes, default_graph=[ONTOLOGY_GRAPH]))
    assert not bool(store.query(owl_classes))  # the default graph is the dataset only
    graphs = {s["g"].value for s in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    assert graphs == {ONTOLOGY_GRAPH}
    none = store.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=["http://example.org/none"])
    assert list(none) == []


def test_second_open_reuses_the_store_without_reloading(data: Path) -> None:
    EmbeddedStore.open(data)
    db = data / STORE_DIR / DB_DIR
    marker = (db.stat().st_ino, (data / STORE_DIR / FINGERPRINT_FILE).stat().st_mtime_ns)
    again = EmbeddedStore.open(data)
    assert (db.stat().st_ino, (data / STORE_DIR / FINGERPRINT_FILE).stat().st_mtime_ns) == marker
    assert again.triple_count() == len(dump_lines(data))


def test_a_rebuilt_graph_is_reloaded(data: Path) -> None:
    first = EmbeddedStore.open(data).triple_count()
    extra = b'<http://localhost:8000/id/question/9-1> <http://purl.org/dc/terms/title> "added" .'
    lines = sorted(dump_lines(data) + [extra])
    with gzip.open(data / "graph.nt.gz", "wb") as handle:
        handle.write(b"\n".join(lines) + b"\n")
    store = EmbeddedStore.open(data)
    assert store.triple_count() == first + 1
    assert bool(store.query('ASK { ?s ?p "added" }'))


def test_turtle_is_used_when_there_is_no_dump(data: Path) -> None:
    expected = len(dump_lines(data))
    (data / "graph.nt.gz").unlink()
    assert EmbeddedStore.open(data).triple_count() == expected


def test_nothing_to_serve_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no graph.nt.gz or graph.ttl"):
        EmbeddedStore.open(tmp_path)


def test_a_broken_graph_file_is_reported_and_the_old_store_kept(data: Path) -> None:
    good = EmbeddedStore.open(data).triple_count()
    del_store = data / STORE_DIR / FINGERPRINT_FILE
    before = del_store.read_text()
    (data / "graph.nt.gz").unlink()
    (data / "graph.ttl").write_text("<http://a.example/s> <http://a.example/p> .\n")  # no object
    with pytest.raises(StoreError, match="graph.ttl"):
        EmbeddedStore.open(data)
    assert del_store.read_text() == before  # the previous store is still there, untouched
    assert not list(data.glob(".store.*"))  # no half-loaded directories left behind
    assert good > 0


def test_a_cut_off_dump_is_reported_and_nothing_half_loaded(data: Path) -> None:
    good = EmbeddedStore.open(data).triple_count()
    dump = data / "graph.nt.gz"
    whole = dump.read_bytes()
    dump.write_bytes(whole[: len(whole) // 2])  # a gzip stream cut in the middle
    with pytest.raises(StoreError, match="graph.nt.gz"):
        EmbeddedStore.open(data)
    assert not list(data.glob(".store.*"))
    dump.write_bytes(whole)  # the same bytes again: the store in place is still the good one
    assert EmbeddedStore.open(data).triple_count() == good == count(EmbeddedStore.open(data))


def test_query_binds_values_instead_of_pasting_them(data: Path) -> None:
    store = EmbeddedStore.open(data)
    question = DEFAULT_BASE + "id/question/5-8913"
    s = ox.Variable("s")
    assert bool(store.query("ASK { ?s ?p ?o }", substitutions={s: ox.NamedNode(question)}))
    assert not bool(store.query("ASK { ?s ?p ?o }", substitutions={s: ox.NamedNode(question + "-x")}))


def test_malformed_query_raises_syntax_error_with_position(data: Path) -> None:
    with pytest.raises(SyntaxError, match=r"1:\d+"):
        EmbeddedStore.open(data).query("SELECT * WHERE { ?s ?p }")


def test_the_size_is_counted_at_loading_and_read_back_on_open(data: Path) -> None:
    store = EmbeddedStore.open(data)
    recorded = json.loads((data / STORE_DIR / COUNT_FILE).read_text())["triples"]
    assert recorded == count(store) == len(dump_lines(data))
    # Opening reads the recorded size instead of counting (what makes a large store start fast):
    # a tampered record shows it is the one used.
    (data / STORE_DIR / COUNT_FILE).write_text(json.dumps({"triples": 7}))
    assert EmbeddedStore.open(data).triple_count() == 7
    (data / STORE_DIR / COUNT_FILE).write_text("not json")
    assert EmbeddedStore.open(data).triple_count() == recorded


def test_an_update_drops_the_recorded_size(data: Path) -> None:
    store = EmbeddedStore.open(data)
    store.update('INSERT DATA { <http://localhost:8000/id/x/1> <http://purl.org/dc/terms/title> "operator" }')
    assert not (data / STORE_DIR / COUNT_FILE).exists()
    assert EmbeddedStore.open(data).triple_count() == len(dump_lines(data)) + 1


def test_update_is_seen_and_kept_until_the_graph_changes(data: Path) -> None:
    store = EmbeddedStore.open(data)
    before = store.triple_count()
    store.update('INSERT DATA { <http://localhost:8000/id/x/1> <http://purl.org/dc/terms/title> "operator" }')
    assert store.triple_count() == before + 1
    assert EmbeddedStore.open(data).triple_count() == before + 1  # same graph files: the store is reused
    with pytest.raises(SyntaxError):
        store.update("INSERT DATA { broken")
    assert store.triple_count() == before + 1


def test_concurrent_first_opens_agree(data: Path) -> None:
    results: list[int] = []
    errors: list[BaseException] = []

    def open_store() -> None:
        try:
            results.append(EmbeddedStore.open(data).triple_count())
        except BaseException as error:  # collected and reported below
            errors.append(error)

    threads = [threading.Thread(target=open_store) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert results == [len(dump_lines(data))] * 3
    assert not list(data.glob(".store.*"))


def test_in_memory_store_from_files(data: Path) -> None:
    from kg.stores.sources import Sources

    store = EmbeddedStore.in_memory(Sources.find(data), ONTOLOGY_GRAPH)
    assert store.db_path is None
    assert store.triple_count() == len(dump_lines(data))
    with pytest.raises(StoreError, match="read-only"):
        store.update("INSERT DATA { <http://a.example/s> <http://a.example/p> 1 }")


def test_prepare_loads_once_and_open_then_reads_no_graph_file(data: Path) -> None:
    """After `prepare` (what `kg build` runs), opening trusts the recorded size, time and inode
    of the graph files and does not read them: the store opens at once at any scale."""
    from kg.stores.embedded import prepare

    assert prepare(data) == "loaded"
    assert prepare(data) is None  # up to date: nothing loaded again
    graph = data / "graph.nt.gz"
    before = graph.stat()
    content = graph.read_bytes()
    with graph.open("r+b") as handle:  # same size, inode and time, unreadable content
        handle.write(b"\0" * len(content))
    os.utime(graph, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert EmbeddedStore.open(data).triple_count() == json.loads((data / "build.json").read_text())["triples"]
    with graph.open("r+b") as handle:
        handle.write(content)
    os.utime(graph, ns=(before.st_atime_ns, before.st_mtime_ns + 1))  # touched, same content
    assert prepare(data) is None  # the hashes settle it: no reload for a touched file


def test_kg_build_leaves_a_store_ready_to_serve(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", "--quiet", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"store {out / STORE_DIR} loaded" in done.stdout
    fingerprint = json.loads((out / STORE_DIR / FINGERPRINT_FILE).read_text())
    assert set(fingerprint["stat"]) == {"graph.nt.gz", "ontology.ttl"}
    db = out / STORE_DIR / DB_DIR
    inode = db.stat().st_ino
    assert EmbeddedStore.open(out).triple_count() == len(dump_lines(out))
    assert db.stat().st_ino == inode  # opened as built, not reloaded


# -- patching the store by the difference of the graph files ----------------------------------


def all_quads(data: Path) -> tuple[set[str], int]:
    """The default graph's triples (no blank nodes there), and the size of the ontology's graph
    (whose blank nodes are named afresh by every load)."""
    inner = ox.Store.read_only(str(data / STORE_DIR / DB_DIR))
    dataset = {str(quad) for quad in inner.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert not any("_:" in quad for quad in dataset)
    return dataset, sum(1 for _ in inner.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY_GRAPH)))


def write_dump(data: Path, lines: list[bytes]) -> None:
    """A new graph.nt.gz as `kg build` writes one: a new file renamed over the old."""
    temp = data / ".graph.nt.gz.new"
    with gzip.open(temp, "wb") as handle:
        handle.write(b"".join(line + b"\n" for line in lines))
    os.replace(temp, data / "graph.nt.gz")


def full_load_of(data: Path, target: Path) -> Path:
    """The same graph files in a folder of their own, loaded from scratch."""
    EmbeddedStore.open(copy_build(data, target))
    return target


NEW_LINES = [f'<{DEFAULT_BASE}id/note/{n}> <http://purl.org/dc/terms/title> "note {n}"@nl .'.encode() for n in range(3)]


def test_a_changed_graph_patches_the_store_to_what_a_full_load_gives(data: Path, tmp_path: Path) -> None:
    from kg.stores.embedded import prepare

    EmbeddedStore.open(data)
    lines = dump_lines(data)
    kept = lines[:10] + lines[15:]  # five triples gone
    write_dump(data, sorted(kept + NEW_LINES + [lines[20]]))  # three new, one repeated
    done = prepare(data)
    assert done == "updated (5 triples removed, 3 added)"
    store = EmbeddedStore.open(data)
    assert store.triple_count() == len(lines) - 5 + 3 == count(store)
    assert all_quads(data) == all_quads(full_load_of(data, tmp_path / "full"))
    # and again from the patched store: the link to the graph it holds moved on with it
    write_dump(data, sorted(kept))
    assert prepare(data) == "updated (3 triples removed, 0 added)"
    assert all_quads(data) == all_quads(full_load_of(data, tmp_path / "full-2"))
    assert not list(data.glob(".store.*"))


def test_a_graph_that_is_not_sorted_is_loaded_in_full(data: Path, tmp_path: Path) -> None:
    from kg.stores.embedded import prepare

    EmbeddedStore.open(data)
    lines = dump_lines(data)
    write_dump(data, list(reversed(lines[1:])) + NEW_LINES)
    assert prepare(data) == "loaded"
    assert all_quads(data) == all_quads(full_load_of(data, tmp_path / "full"))


def test_after_an_operator_update_the_next_graph_is_loaded_in_full(data: Path, tmp_path: Path) -> None:
    """The store no longer equals the graph it was loaded from, so a difference of the files
    would keep the operator's triple: the store is loaded afresh instead."""
    from kg.stores.embedded import prepare

    store = EmbeddedStore.open(data)
    store.update(f'INSERT DATA {{ <{DEFAULT_BASE}id/x/1> <http://purl.org/dc/terms/title> "operator" }}')
    write_dump(data, sorted(dump_lines(data)[1:]))
    assert prepare(data) == "loaded"
    assert all_quads(data) == all_quads(full_load_of(data, tmp_path / "full"))


def test_a_graph_rewritten_in_place_is_loaded_in_full(data: Path, tmp_path: Path) -> None:
    """Written into the same file (not renamed over it), the graph the store was loaded from is
    gone: the link kept to it shows the new content, its hash no longer matches, and the store
    is loaded afresh rather than patched by a wrong difference."""
    from kg.stores.embedded import prepare

    EmbeddedStore.open(data)
    with gzip.open(data / "graph.nt.gz", "wb") as handle:
        handle.write(b"".join(line + b"\n" for line in sorted(dump_lines(data)[3:])))
    assert prepare(data) == "loaded"
    assert all_quads(data) == all_quads(full_load_of(data, tmp_path / "full"))


def test_a_changed_ontology_is_loaded_in_full(data: Path) -> None:
    from kg.stores.embedded import prepare

    EmbeddedStore.open(data)
    ontology = data / "ontology.ttl"
    ontology.write_text(ontology.read_text() + "\n# changed\n<http://a.example/s> <http://a.example/p> 1 .\n")
    write_dump(data, sorted(dump_lines(data)[1:]))
    assert prepare(data) == "loaded"
