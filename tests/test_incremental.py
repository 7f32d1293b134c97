"""Incremental builds: only new and changed documents are converted again, removed documents'
triples go (unless another document still gives them), and the result is the same, byte for
byte, as a full build of the same documents; the store, patched by the difference, holds the
same triples as one loaded from the full build."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path

import pyoxigraph
import pytest

import kg.build.pieces
import kg.build.pipeline
import kg.stores.patch
from kg.build.pipeline import CACHE, build
from kg.paths import SEEDS_DIR
from kg.stores.embedded import DB_DIR, STORE_DIR, prepare
from kg.synth import write_corpus

OUTPUTS = ("graph.ttl", "graph.nt.gz", "ontology.ttl", "build.json")


def lines(out: Path) -> set[str]:
    return set(gzip.decompress((out / "graph.nt.gz").read_bytes()).decode().splitlines())


def store_triples(out: Path) -> set[str]:
    store = pyoxigraph.Store.read_only(str(out / STORE_DIR / DB_DIR))
    return {str(quad) for quad in store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())}


def same_outputs(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def cache_index(out: Path) -> dict[str, list]:
    """The cache's index (document path -> key, entry, file stat, questions, error), checked
    against its packs."""
    [cache] = (p for p in (out / CACHE).iterdir() if p.is_dir())
    _, *lines = (cache / "index.jsonl").read_bytes().splitlines()
    index = {shown: rest for shown, *rest in (json.loads(line.partition(b"\t")[0]) for line in lines)}
    packs = {p.name for p in cache.glob("pack-*")}
    assert packs == {entry[0] for _, entry, *_ in index.values()}  # no pack nothing refers to
    return index


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(30, folder / "docs", seed=3)
    shutil.copytree(SEEDS_DIR, folder / "docs" / "seeds")
    return folder / "docs"


def edit(path: Path) -> None:
    """A real change of content: one more sentence in the last paragraph of the text."""
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + " Deze zin is later toegevoegd.\n", encoding="utf-8")


@pytest.mark.parametrize("merged", [False, True])
def test_incremental_build_equals_a_full_build(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, merged: bool
) -> None:
    if merged:  # a change too big to apply: everything is merged again, from the cache
        monkeypatch.setattr(kg.build.pipeline, "CHANGE_FLOOR", 0)
        monkeypatch.setattr(kg.build.pipeline, "CHANGE_SHARE", 0.05)
    docs = tmp_path / "docs"
    shutil.copytree(corpus, docs)
    incremental, full = tmp_path / "incremental", tmp_path / "full"
    first = build([docs], incremental)
    assert first.reused == 0 and not first.failed
    assert prepare(incremental) == "loaded"

    files = sorted(p for p in docs.rglob("*.txt") if p.parent.name != "seeds")
    removed, changed = files[:3], files[3:6]
    for path in removed:
        path.unlink()
    for path in changed:
        edit(path)
    (docs / "bad.txt").write_text("Dit is geen schriftelijke vraag.\n")  # a new, failing document
    write_corpus(2, tmp_path / "more", seed=99)
    for path in sorted((tmp_path / "more").iterdir()):
        shutil.copy(path, docs / f"added-{path.name}")

    converted: list[str] = []
    real_convert_text = kg.build.pipeline._convert_text

    def counting(data: bytes, shown: str, key: str | None = None):  # records which documents are converted again
        converted.append(Path(shown).name)
        return real_convert_text(data, shown, key)

    kg.build.pipeline._convert_text = counting
    try:
        second = build([docs], incremental)
    finally:
        kg.build.pipeline._convert_text = real_convert_text
    added = [f"added-{p.name}" for p in (tmp_path / "more").iterdir()]
    assert sorted(converted) == sorted([p.name for p in changed] + added + ["bad.txt"])
    total = len(list(docs.rglob("*.txt")))
    assert second.reused == total - len(converted)
    assert [Path(p).name for p, _ in second.failed] == ["bad.txt"]
    written, pieces = second.pieces
    assert (written == pieces) if merged else (written < pieces)

    # the store is brought along by the difference of the graphs, not loaded again
    assert prepare(incremental).startswith("updated (")
    build([docs], full, full=True)
    same_outputs(incremental, full)
    assert prepare(full) == "loaded"
    assert store_triples(incremental) == store_triples(full)
    # one cache entry per current document: the removed and replaced ones are gone
    assert len(cache_index(incremental)) == total


@pytest.mark.parametrize("pool", [False, True])
def test_removing_a_document_keeps_what_another_still_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool: bool
) -> None:
    if pool:  # the same through the process pool, whose workers read and write the cache
        monkeypatch.setattr(kg.build.pipeline, "POOL_THRESHOLD", 1)
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS_DIR, docs)
    out = tmp_path / "out"
    build([docs], out)
    both = lines(out)
    (docs / "5-8913-nl.txt").unlink()
    build([docs], out)
    left = lines(out)
    shared = '<http://localhost:8000/id/person/martine-taelman> <http://xmlns.com/foaf/0.1/name> "Martine Taelman" .'
    sibling = (
        "<http://localhost:8000/id/question/5-8913> <https://w3id.org/written-questions/kg#sibling> "
        "<http://localhost:8000/id/question/5-8916> ."
    )
    assert shared in left and sibling in left  # 5-8916 gives them too
    gone = [line for line in both - left if "/id/question/5-8913/text/" in line]
    assert gone  # the text only 5-8913's document gave
    assert not [line for line in left if "/id/question/5-8913/text/" in line]
    build([docs], tmp_path / "full", full=True)
    same_outputs(out, tmp_path / "full")


def test_unchanged_documents_are_not_converted_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build([SEEDS_DIR], out)
    before = (out / "graph.ttl").read_bytes()

    def fail(data: bytes, shown: str, key: str | None = None):
        raise AssertionError(f"{shown} converted again")

    monkeypatch.setattr(kg.build.pipeline, "_convert_text", fail)
    report = build([SEEDS_DIR], out)
    assert report.reused == 2 and len(report.converted) == 2
    assert (out / "graph.ttl").read_bytes() == before


def test_full_build_and_a_new_fingerprint_convert_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build([SEEDS_DIR], out)
    assert build([SEEDS_DIR], out, full=True).reused == 0
    assert build([SEEDS_DIR], out).reused == 2
    # another kg version (or reference data, or conversion code) is another fingerprint
    monkeypatch.setattr(kg.build.pipeline, "__version__", "999.0")
    assert build([SEEDS_DIR], out).reused == 0
    assert len([p for p in (out / CACHE).iterdir()]) == 1  # the old fingerprint's cache is gone
    # another base URI too
    assert build([SEEDS_DIR], out, base="https://data.example.org/").reused == 0


def test_a_damaged_cache_entry_is_converted_again(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS_DIR, docs)
    out = tmp_path / "out"
    build([docs], out)
    [cache] = (p for p in (out / CACHE).iterdir() if p.is_dir())
    for pack in cache.glob("pack-*"):
        pack.write_bytes(b"\x00not json")
    # A changed document's previous lines cannot be read: everything is merged again, and
    # the documents whose entries are damaged are converted again.
    edit(docs / "5-8913-nl.txt")
    report = build([docs], out)
    assert report.reused == 0
    build([docs], tmp_path / "full", full=True)
    same_outputs(out, tmp_path / "full")


@pytest.mark.parametrize("damage", ["a fact changed", "cut short"])
def test_a_document_index_that_is_not_whole_is_not_trusted(tmp_path: Path, damage: str) -> None:
    """The document index keeps each document's facts (its questions' timings, offices, names)
    undecoded: its length and checksum say whether it is the one the last build wrote. One that
    is not is dropped: every document is converted again, and the outputs are a full build's."""
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS_DIR, docs)
    out = tmp_path / "out"
    build([docs], out)
    [cache] = (p for p in (out / CACHE).iterdir() if p.is_dir())
    index = cache / "index.jsonl"
    data = index.read_bytes()
    assert data.count(b"\n") == 3  # the head and one line per document
    if damage == "a fact changed":  # a year of the last document's dates: the same length, only the checksum tells
        at = data.rindex(b'"20')
        data = data[:at] + b'"21' + data[at + 3 :]
    else:
        data = data[: len(data) - 40]
    index.write_bytes(data)
    edit(docs / "5-8913-nl.txt")
    report = build([docs], out)
    assert report.reused == 0 and len(report.converted) == 2
    build([docs], tmp_path / "full", full=True)
    same_outputs(out, tmp_path / "full")


def test_incremental_build_reports_what_a_full_build_reports(tmp_path: Path) -> None:
    """The report's sums over every document (offices resolved to no holder, people not
    reconciled, documents cut short, coverage, the statistics' reference date) come from the
    facts the document index keeps for the unchanged documents and from the changed ones."""
    docs = tmp_path / "docs"
    write_corpus(12, docs, seed=5)
    shutil.copytree(SEEDS_DIR, docs / "seeds")
    out = tmp_path / "out"
    build([docs], out)
    files = sorted(docs.rglob("*.txt"))
    edit(files[0])
    files[1].unlink()
    incremental = build([docs], out)
    full = build([docs], tmp_path / "full", full=True)
    assert incremental.reused > 0
    assert incremental.summary().split("\n")[1:] == full.summary().split("\n")[1:]
    assert incremental.unresolved == full.unresolved and incremental.unreconciled == full.unreconciled
    assert incremental.incomplete == full.incomplete and incremental.coverage == full.coverage
    assert incremental.reference_date == full.reference_date
    assert (out / "build.json").read_bytes() == (tmp_path / "full" / "build.json").read_bytes()


def test_the_same_content_under_another_path_is_its_own_document(tmp_path: Path) -> None:
    # The path is part of the graph (the source's kg:path), so it is part of the cache key.
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SEEDS_DIR / "5-8916-nl.txt", docs / "a.txt")
    out = tmp_path / "out"
    build([docs], out)
    (docs / "a.txt").rename(docs / "b.txt")
    report = build([docs], out)
    assert report.reused == 0
    graph = (out / "graph.ttl").read_text()
    assert "docs/a.txt" not in graph and "docs/b.txt" in graph


def test_progress_shows_rate_and_time_left(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build([SEEDS_DIR], tmp_path, progress=True)
    build([SEEDS_DIR], tmp_path, progress=True)
    err = capsys.readouterr().err
    assert "2/2 documents, 2 unchanged (" in err and "s left)" in err


def test_incremental_builds_patch_the_graph_files(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rounds of edits, removals and additions, each applied to the previous files (only the
    pieces they fall in written anew), each the same bytes as a full build; the store follows
    by the change the build recorded."""
    monkeypatch.setattr(kg.build.pieces, "SPAN", 8)  # more pieces than a small corpus would have
    docs = tmp_path / "docs"
    shutil.copytree(corpus, docs)
    out = tmp_path / "out"
    build([docs], out)
    assert prepare(out) == "loaded"
    write_corpus(6, tmp_path / "more", seed=7)
    extra = sorted((tmp_path / "more").iterdir())
    files = sorted(p for p in docs.rglob("*.txt") if p.parent.name != "seeds")
    rounds = [
        lambda: edit(files[0]),
        lambda: (files[1].unlink(), shutil.copy(extra[0], docs / "new-0.txt")),
        lambda: (edit(files[2]), edit(files[3]), shutil.copy(extra[1], docs / "new-1.txt")),
        lambda: (docs / "new-0.txt").unlink(),
    ]
    monkeypatch.setattr(kg.stores.patch, "sorted_difference", lambda *args: pytest.fail("graphs compared"))
    for number, change in enumerate(rounds):
        change()
        report = build([docs], out)
        written, pieces = report.pieces
        assert 0 < written < pieces / 2, (number, report.pieces)
        assert prepare(out, change_file=report.change_file).startswith("updated (")
        full = tmp_path / f"full-{number}"
        build([docs], full, full=True)
        same_outputs(out, full)
        assert prepare(full) == "loaded"
        assert store_triples(out) == store_triples(full)


def test_files_as_the_last_build_read_them_are_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS_DIR, docs)
    out = tmp_path / "out"
    monkeypatch.setattr(kg.build.pipeline, "RACY_NS", 0)  # the files' times are trusted at once
    build([docs], out)
    edit(docs / "5-8913-nl.txt")
    given: list[str] = []
    real_results = kg.build.pipeline._results

    def recording(jobs, *args):
        given.extend(Path(job.shown).name for job in jobs)
        return real_results(jobs, *args)

    monkeypatch.setattr(kg.build.pipeline, "_results", recording)
    report = build([docs], out)
    assert given == ["5-8913-nl.txt"] and report.reused == 1
    build([docs], tmp_path / "full", full=True)
    same_outputs(out, tmp_path / "full")


def test_ontology_ttl_is_written_again_only_when_it_would_change(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([SEEDS_DIR], out)
    written = (out / "ontology.ttl").stat()
    build([SEEDS_DIR], out)
    assert (out / "ontology.ttl").stat().st_ino == written.st_ino  # the same file, not rewritten
    expected = (out / "ontology.ttl").read_bytes()
    (out / "ontology.ttl").write_text("# edited by hand\n")
    build([SEEDS_DIR], out)
    assert (out / "ontology.ttl").read_bytes() == expected
    build([SEEDS_DIR], out, base="https://data.example.org/")  # the vocabulary does not follow the base
    assert (out / "ontology.ttl").read_bytes() == expected


def test_a_build_stopped_while_renaming_its_files_leaves_the_next_one_right(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its files are renamed into place one after the other; stopped after any of them, the
    graph files, their piece index and the document index may be of two builds: the next
    build must notice and still give what a full build gives."""
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS_DIR, docs)
    write_corpus(4, docs, seed=5)
    write_corpus(1, tmp_path / "extra", seed=11)
    [extra] = (tmp_path / "extra").iterdir()
    real_commit = kg.build.pipeline._commit
    for renamed in range(8):  # a build renames 6 or 7 files: stopped after each of them
        out = tmp_path / f"out-{renamed}"
        build([docs], out)
        shutil.copy(extra, docs / "added.txt")  # lines only added: nothing to show a mismatch at once

        def stop_after(staged, count=renamed):
            real_commit(staged[:count])
            raise KeyboardInterrupt  # as a kill would, between two renames

        monkeypatch.setattr(kg.build.pipeline, "_commit", stop_after)
        with pytest.raises(KeyboardInterrupt):
            build([docs], out)
        monkeypatch.setattr(kg.build.pipeline, "_commit", real_commit)
        build([docs], out)
        (docs / "added.txt").unlink()  # its lines must go again: counted once, not twice
        build([docs], out)
        build([docs], tmp_path / "full", full=True)
        same_outputs(out, tmp_path / "full")
        assert store_triples_after_prepare(out) == store_triples_after_prepare(tmp_path / "full")
        shutil.rmtree(tmp_path / "full")


def store_triples_after_prepare(out: Path) -> set[str]:
    prepare(out)
    return store_triples(out)


def test_what_killed_builds_left_is_swept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([SEEDS_DIR], out)
    gone = _dead_pid()
    [cache] = (p for p in (out / CACHE).iterdir() if p.is_dir())
    stale = [
        out / f".graph.ttl.{gone}.tmp",
        out / f".kg-build-{gone}-abc",
        cache / f".pack-x.{gone}.tmp",
        out / CACHE / f".change.{gone}.tmp",
    ]
    live = out / f".graph.ttl.{os.getpid()}.tmp"  # a build still running: left alone
    for path in stale[:1] + stale[2:] + [live]:
        path.write_bytes(b"half")
    stale[1].mkdir()
    build([SEEDS_DIR], out)
    assert not any(path.exists() for path in stale) and live.exists()


def test_what_a_build_moves_aside_is_gone_when_it_returns(tmp_path: Path) -> None:
    """The old cache of a full build and the files a build replaces are removed while the rest
    is written, and before the build returns: no name of theirs is left, and the outputs are
    those of a build into an empty folder."""
    docs = tmp_path / "docs"
    write_corpus(6, docs, seed=3)
    out = tmp_path / "out"
    build([docs], out)
    (docs / sorted(os.listdir(docs))[0]).write_text("not a question\n", encoding="utf-8")
    for full in (False, True):
        build([docs], out, full=full)
        hidden = [path for path in out.rglob(".*") if path.name.startswith((".kg-build-", ".graph"))]
        assert hidden == []
    build([docs], tmp_path / "fresh")
    same_outputs(out, tmp_path / "fresh")


def test_files_are_replaced_where_they_cannot_be_linked_aside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without hard links, the rename replaces the files itself: the same outputs."""
    docs = tmp_path / "docs"
    write_corpus(4, docs, seed=5)
    build([docs], tmp_path / "expected")

    def no_link(*args: object, **kwargs: object) -> None:
        raise OSError(1, "no hard links here")

    monkeypatch.setattr(os, "link", no_link)
    out = tmp_path / "out"
    build([docs], out)
    build([docs], out, full=True)
    same_outputs(out, tmp_path / "expected")
    assert not [path for path in out.rglob(".kg-build-*")]


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid
