"""`kg build` on the seeds and on bad input: the graph says what the documents say, is
deterministic, and a bad document costs only itself."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from conftest import ROOT

import kg.build.pipeline
from kg.build.pipeline import build, collect_inputs
from kg.paths import SEEDS_DIR
from kg.rdf.vocab import KG_NS

BASE = "http://localhost:8000/"
PREFIXES = f"""
PREFIX kg: <https://w3id.org/written-questions/kg#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX schema: <http://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX id: <{BASE}id/>
"""


def run_command(name: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run a kg subcommand module in a real process, as `kg NAME ARGS` does."""
    code = (
        f"import argparse, sys, kg.commands.{name} as m; p = argparse.ArgumentParser(); "
        "m.add_arguments(p); sys.exit(m.run(p.parse_args(sys.argv[1:])))"
    )
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, cwd=cwd)


@pytest.fixture(scope="module")
def store(seeds_out: Path) -> ox.Store:
    graph = ox.Store()
    graph.load(path=str(seeds_out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    return graph


def select(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    return sorted(tuple(str(term.value) for term in row) for row in store.query(PREFIXES + query))


def test_two_questions_with_text_in_a_sibling_set_of_nineteen(store: ox.Store) -> None:
    assert select(store, "SELECT ?q { ?q kg:questionText ?t ; kg:hasAnswer/kg:answerText ?a }") == [
        (f"{BASE}id/question/5-8913",),
        (f"{BASE}id/question/5-8916",),
    ]
    family = select(
        store,
        """SELECT DISTINCT ?s { { id:question\\/5-8913 kg:sibling ?s } UNION
                              { BIND(id:question\\/5-8913 AS ?s) } ?s a kg:Question ; kg:number ?n ;
                              kg:legislature/kg:legislatureNumber 5 }""",
    )
    assert [row[0].rsplit("/", 1)[1] for row in family] == [f"5-{n}" for n in range(8900, 8919)]


def test_martine_taelman_of_open_vld_wrote_both(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?q ?name ?party { ?q dct:creator ?p . ?p foaf:name ?name .
                            ?m a org:Membership ; org:member ?p ; org:organization/foaf:name ?party }""",
    )
    assert [(row[1], row[2]) for row in rows] == [("Martine Taelman", "Open Vld")] * 2


@pytest.mark.parametrize(
    "question, holder, offices",
    [
        ("5-8913", "Melchior Wathelet", 2),
        ("5-8916", "Maggie De Block", 1),
    ],
)
def test_offices_with_portfolio_and_holder_on_the_question_date(
    store: ox.Store, question: str, holder: str, offices: int
) -> None:
    rows = select(
        store,
        f"""
        SELECT ?office (SAMPLE(?item) AS ?portfolio) ?name {{
          id:question\\/{question} kg:addressedTo ?office ; dct:dateSubmitted ?day ; kg:addressee ?person .
          ?office kg:portfolio ?item ; kg:incumbency ?inc .
          ?inc kg:incumbent ?person ; schema:startDate ?start ; schema:endDate ?end .
          ?person foaf:name ?name .
          FILTER(?start <= ?day && ?day <= ?end && ?day = "2013-04-30"^^xsd:date)
        }} GROUP BY ?office ?name""",
    )
    assert len(rows) == offices
    assert {row[2] for row in rows} == {holder}


def test_state_secretary_offices_are_attached_to_ministers(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?attached { id:question\\/5-8913 kg:addressedTo/kg:attachedTo ?a .
                            ?a skos:prefLabel ?attached FILTER(LANG(?attached) = "nl") }""",
    )
    assert rows == [("eerste minister",), ("minister van Binnenlandse Zaken en Gelijke Kansen",)]


def test_five_shared_descriptors_with_dutch_labels(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT DISTINCT ?c ?label { ?q dct:subject ?c . ?c a skos:Concept ;
                            skos:prefLabel ?label FILTER(LANG(?label) = "nl") }""",
    )
    assert [row[1] for row in rows] == [
        "betrekking tussen overheid en burger",
        "bewustmaking van de burgers",
        "ministerie",
        "sociale media",
        "virtuele gemeenschap",
    ]
    per_question = select(store, "SELECT ?q (COUNT(?c) AS ?n) { ?q dct:subject ?c } GROUP BY ?q")
    assert [row[1] for row in per_question] == ["5", "5"]


def test_dates_are_xsd_dates(store: ox.Store) -> None:
    dates = select(
        store,
        """SELECT DISTINCT ?d { { ?q kg:questionText ?t ; dct:dateSubmitted ?d } UNION
                             { ?a a kg:Answer ; dct:date ?d } }""",
    )
    assert dates == [("2013-04-30",), ("2013-06-04",), ("2013-09-06",)]
    assert (
        select(
            store,
            "SELECT ?d { ?s dct:date|dct:dateSubmitted|<http://data.europa.eu/eli/ontology#date_document> ?d FILTER(DATATYPE(?d) != xsd:date) }",
        )
        == []
    )


def test_build_is_byte_identical_and_the_dump_matches(
    seeds_out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The second build goes through the process pool: both paths must give the same bytes.
    monkeypatch.setattr(kg.build.pipeline, "POOL_THRESHOLD", 1)
    build([SEEDS_DIR], tmp_path)
    for name in ("graph.ttl", "graph.nt.gz", "ontology.ttl", "build.json"):
        assert (tmp_path / name).read_bytes() == (seeds_out / name).read_bytes(), name
    lines = gzip.decompress((seeds_out / "graph.nt.gz").read_bytes()).decode().splitlines()
    assert lines == sorted(set(lines))
    from_dump = set(ox.parse(("\n".join(lines) + "\n").encode(), format=ox.RdfFormat.N_TRIPLES))
    from_turtle = set(ox.parse(path=str(seeds_out / "graph.ttl"), format=ox.RdfFormat.TURTLE))
    assert from_dump == from_turtle
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [".cache"]  # no temp files left


def test_build_is_byte_identical_across_processes_with_other_hash_seeds(tmp_path: Path) -> None:
    """`kg build` run twice, each in a fresh process with another string-hash seed (so other set
    and dict-of-set orders) and a cold cache, into two folders: the same files, byte for byte."""
    from kg.synth import write_corpus

    write_corpus(40, tmp_path / "generated", seed=3)
    outs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"out-{hash_seed}"
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "kg.cli",
                "build",
                str(SEEDS_DIR),
                str(tmp_path / "generated"),
                "--out",
                str(out),
                "--quiet",
            ],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        outs.append(out)
    published = sorted(p.name for p in outs[0].iterdir() if p.is_file())
    assert {"graph.ttl", "graph.nt.gz", "ontology.ttl", "build.json"} <= set(published)
    assert sorted(p.name for p in outs[1].iterdir() if p.is_file()) == published
    for name in published:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_build_json_reports_the_build(seeds_out: Path) -> None:
    info = json.loads((seeds_out / "build.json").read_text())
    assert info["base"] == BASE and info["converted"] == 2 and info["failed"] == 0
    assert info["questions"] == 2 and info["triples"] > 1000 and info["failures"] == []


def test_turtle_is_readable(seeds_out: Path) -> None:
    text = (seeds_out / "graph.ttl").read_text()
    assert text.startswith("@prefix dcat: ")
    header, _, body = text.partition("\n\n")
    names = [line.split()[1].rstrip(":") for line in header.splitlines()]
    assert names == sorted(names) and all(line.startswith("@prefix ") for line in header.splitlines())
    # one block per subject, a blank line between blocks, predicates and objects abbreviated
    block = body[body.index(f"\n\n<{BASE}id/question/5-8913> ") + 2 :]
    block = block[: block.index("\n\n")]
    assert "\ta eli:Work , kg:Question ;\n" in block
    assert '\tdct:dateSubmitted "2013-04-30"^^xsd:date ;\n' in block and "\tkg:number 8913 ;\n" in block
    subjects = [chunk.split(" ", 1)[0] for chunk in body.split("\n\n")]
    assert len(subjects) == len(set(subjects)) and subjects == sorted(subjects)
    assert not text.endswith("\n\n")


BAD_DOCUMENTS = {
    "empty.txt": "",
    "garbage.txt": "Dit is geen schriftelijke vraag.\nHelemaal niet.\n",
    "truncated.txt": "Schriftelijke vraag nr. 5-9999\n\nvan Iemand (Partij) d.d. 99 maart 2013\n",
}


def test_bad_documents_are_reported_and_the_good_ones_converted(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(SEEDS_DIR, folder / "good")
    for name, content in BAD_DOCUMENTS.items():
        (folder / "bad" / name).parent.mkdir(exist_ok=True)
        (folder / "bad" / name).write_text(content)
    (folder / ".hidden.txt").write_text("editor litter")
    (folder / "notes.md").write_text("not a document")
    result = run_command("build", str(folder), "--out", str(tmp_path / "out"), "--quiet")
    assert result.returncode == 1, result.stderr
    assert "converted 2, failed 3" in result.stdout
    for name in BAD_DOCUMENTS:
        assert any(name in line and "expected" in line for line in result.stderr.splitlines()), name
    info = json.loads((tmp_path / "out" / "build.json").read_text())
    assert info["converted"] == 2 and sorted(Path(f["path"]).name for f in info["failures"]) == sorted(BAD_DOCUMENTS)
    graph = (tmp_path / "out" / "graph.ttl").read_text()
    for number in ("5-8913", "5-8916"):  # their blocks
        assert re.search(rf"^<[^>]*id/question/{number}> ", graph, re.MULTILINE), number


def test_cli_build_all_good_exits_zero_with_another_base(tmp_path: Path) -> None:
    base = "https://data.example.org/senate/"
    result = run_command("build", str(SEEDS_DIR / "5-8916-nl.txt"), "--out", str(tmp_path), "--base-uri", base)
    assert result.returncode == 0, result.stderr
    assert "converted 1, failed 0" in result.stdout
    graph = (tmp_path / "graph.ttl").read_text()
    assert f"<{base}id/question/5-8916>" in graph and "localhost:8000" not in graph
    assert "<https://w3id.org/written-questions/kg#" in (tmp_path / "ontology.ttl").read_text()


def test_two_bases_share_every_vocabulary_iri(tmp_path: Path) -> None:
    """The graph's things move with --base-uri; the terms it uses (predicates and classes) do not."""
    seen = []
    for base in ("https://data.example.org/senate/", "http://localhost:9999/kg/"):
        out = tmp_path / str(len(seen))
        result = run_command("build", str(SEEDS_DIR), "--out", str(out), "--base-uri", base)
        assert result.returncode == 0, result.stderr
        graph = rdflib.Graph().parse(out / "graph.ttl")
        terms = {str(p) for p in graph.predicates()} | {str(o) for o in graph.objects(None, rdflib.RDF.type)}
        assert not any(term.startswith(base) for term in terms), base
        assert any(term.startswith(KG_NS) for term in terms)
        seen.append(terms)
    assert seen[0] == seen[1]


@pytest.mark.parametrize("args", [["does-not-exist/"], ["--base-uri", "ftp://nope/"], ["--bogus"]])
def test_usage_errors_exit_two(tmp_path: Path, args: list[str]) -> None:
    result = run_command("build", *args, "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_collect_inputs_sorts_recurses_and_skips_litter(tmp_path: Path) -> None:
    for name in ("b/2.txt", "a/1.txt", "a/.x/3.txt", ".4.txt", "a/5.TXT", "a/6.pdf", "7.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    explicit = tmp_path / "a" / "6.pdf"
    found = [p.relative_to(tmp_path).as_posix() for p in collect_inputs([tmp_path, explicit])]
    assert found == ["7.html", "a/1.txt", "a/5.TXT", "a/6.pdf", "b/2.txt"]


def test_progress_goes_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = build([SEEDS_DIR], tmp_path, progress=True)
    captured = capsys.readouterr()
    assert "2/2 documents" in captured.err and captured.out == ""
    assert f"{report.triples:,} triples written" in captured.err
    assert [Path(p).name for p in report.converted] == ["5-8913-nl.txt", "5-8916-nl.txt"]


def run_example(store: ox.Store, name: str) -> list[tuple[str, ...]]:
    """An example query as the endpoint runs it: with kg's prefixes declared for it."""
    from kg.rdf.vocab import prefixes

    text = (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    assert text.startswith("# ")  # the comment the query pages describe it with
    rows = store.query(text, prefixes=prefixes("https://w3id.org/written-questions/kg#"))
    return [tuple("" if term is None else str(term.value) for term in row) for row in rows]


def test_example_queries_answer_on_the_seeds(store: ox.Store) -> None:
    by_author = run_example(store, "questions-by-author")
    assert [row[0].rsplit("/", 1)[1] for row in by_author] == ["5-8913", "5-8916"]
    assert {row[3] for row in by_author} == {"2013-09-06", "2013-06-04"}
    addressees = run_example(store, "question-addressees")
    assert [(row[2], row[4], row[5]) for row in addressees] == [
        (
            "staatssecretaris voor Leefmilieu, Energie en Mobiliteit",
            "minister van Binnenlandse Zaken en Gelijke Kansen",
            "Melchior Wathelet",
        ),
        ("staatssecretaris voor Staatshervorming", "eerste minister", "Melchior Wathelet"),
    ]
    delays = run_example(store, "answer-delay")
    assert sorted((row[0], row[2]) for row in delays) == [("Maggie De Block", "35"), ("Melchior Wathelet", "129")]
    on_date = run_example(store, "government-on-date")
    assert ("minister van Financiën, belast met Ambtenarenzaken", "Koen Geens", "CD&V") in on_date
    assert len(run_example(store, "questions-by-descriptor")) == 5
    assert [row[2] for row in run_example(store, "sibling-sets")] == ["18", "18"]
    assert run_example(store, "unanswered-questions") == []
    holders = run_example(store, "office-holders")
    assert (
        "Regering-Di Rupo",
        "minister van Pensioenen",
        "Alexander De Croo",
        "Open Vld",
        "2012-10-22",
        "2014-10-11",
    ) in holders
    assert run_example(store, "person-roles") == []  # the seeds' author never held office


@pytest.mark.parametrize("span", [1, 3, 40])
def test_graph_files_cut_anywhere_are_the_same(
    seeds_out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, span: int
) -> None:
    """graph.ttl and graph.nt.gz are written piece by piece; wherever the cuts fall, the Turtle
    is the same bytes and the gzip the same lines."""

    import kg.build.pieces
    from kg.rdf.vocab import prefixes

    monkeypatch.setattr(kg.build.pieces, "SPAN", span)
    lines = gzip.decompress((seeds_out / "graph.nt.gz").read_bytes()).splitlines()
    merged = tmp_path / "merged.nt"
    merged.write_bytes(b"".join(line + b"\n" for line in lines))
    where = kg.build.pieces.Paths(tmp_path / "graph.nt.gz", tmp_path / "graph.ttl", tmp_path / "counts")
    index = kg.build.pieces.write_all(merged, where, prefixes("https://w3id.org/written-questions/kg#"))
    assert len(index.pieces) > (1 if span == 40 else 20)
    assert where.ttl.read_bytes() == (seeds_out / "graph.ttl").read_bytes()
    assert gzip.decompress(where.gz.read_bytes()).splitlines() == lines


def test_turtle_blocks_survive_tricky_literals_and_any_write_size(tmp_path: Path) -> None:
    """Blank lines go after a line ending in " ." (the end of a block); a literal holding
    " .", line breaks or "@prefix" must not be cut, whatever size the serializer writes in."""
    import io

    from kg.build.pieces import render
    from kg.rdf.turtle import _Spaced, turtle_header

    prefixes = {"ex": "http://example.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}
    tricky = ["end .\n<http://example.org/b> x .", "@prefix ex: <x> .", "tab\there .\r\n", " ."]
    triples = sorted(
        {
            ox.Triple(
                ox.NamedNode(f"http://example.org/s{index}"), ox.NamedNode("http://example.org/p"), ox.Literal(text)
            )
            for index, text in enumerate(tricky)
        }
        | {
            ox.Triple(
                ox.NamedNode("http://example.org/s0"),
                ox.NamedNode("http://example.org/q"),
                ox.Literal("7", datatype=ox.NamedNode(prefixes["xsd"] + "integer")),
            )
        },
        key=str,
    )
    lines = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines()
    text = (turtle_header(prefixes) + render(lines, [1] * len(lines), prefixes).ttl).decode()
    assert {quad.triple for quad in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)} == set(triples)
    header, body = text.split("\n\n", 1)
    assert header + "\n" == turtle_header(prefixes).decode()
    blocks = body.split("\n\n")
    assert [block.split(" ", 1)[0] for block in blocks] == [f"ex:s{index}" for index in range(len(tricky))]
    assert blocks[0].endswith(";\n\tex:q 7 .") and text.endswith(" .\n") and not text.endswith("\n\n")
    # the serializer's writes cut anywhere: the same bytes
    whole = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    for size in (1, 2, 3, 7):
        out = io.BytesIO()
        spaced = _Spaced(out, turtle_header(prefixes))
        for start in range(0, len(whole), size):
            spaced.write(whole[start : start + size])
        spaced.close()
        assert out.getvalue() == body.encode() + b"\n", size
    with pytest.raises(ValueError):
        _Spaced(io.BytesIO(), turtle_header(prefixes)).write(b"@prefix other: <http://other/> .\n" + whole)


def test_literal_escaping_is_oxigraphs_for_every_character() -> None:
    """The mapping writes N-Triples itself: each literal must be what pyoxigraph would write,
    or graphs would differ by who wrote them (and the sort, dedup and dumps with them)."""
    from kg.rdf.terms import lang, quote

    text = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    subject, predicate = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")

    def oxigraph(literal: ox.Literal) -> str:
        line = ox.serialize([ox.Triple(subject, predicate, literal)], format=ox.RdfFormat.N_TRIPLES).decode()
        return line[len("<http://example.org/s> <http://example.org/p> ") : -len(" .\n")]

    assert quote(text) == oxigraph(ox.Literal(text))
    ascii_samples = [f"a{chr(code)}b" for code in range(0x80)]  # ASCII texts take a path of their own
    for sample in ('"', "\\", "a\tb\nc\r", "\x00\x1f\x7f", "\ufffe\uffff", "potentiële", "😀", *ascii_samples):
        assert quote(sample) == oxigraph(ox.Literal(sample)), repr(sample)
        assert lang(sample, "nl") == oxigraph(ox.Literal(sample, language="nl")), repr(sample)
    parsed = next(
        ox.parse(
            f"<http://example.org/s> <http://example.org/p> {quote(text)} .\n".encode(), format=ox.RdfFormat.N_TRIPLES
        )
    )
    assert parsed.object.value == text  # and it reads back as the same text


def test_typed_terms_are_oxigraphs() -> None:
    from datetime import date

    from kg.rdf.terms import boolean, checked_iri, day, integer, language_tag

    assert integer(8913) == str(ox.Literal(8913)) and integer(-2) == str(ox.Literal(-2))
    assert boolean(True) == str(ox.Literal(True)) and boolean(False) == str(ox.Literal(False))
    assert day(date(2013, 4, 30)) == str(
        ox.Literal("2013-04-30", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    )
    assert language_tag("nl") == str(
        ox.Literal("nl", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#language"))
    )
    assert checked_iri("https://www.senate.be/x?a=1&b=2") == "<https://www.senate.be/x?a=1&b=2>"
    with pytest.raises(ValueError):
        checked_iri("https://example.org/a b")  # not an IRI: refused as pyoxigraph refuses it


@pytest.fixture
def memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder standing for /dev/shm, and no KG_SCRATCH."""
    folder = tmp_path / "shm"
    folder.mkdir()
    monkeypatch.setattr(kg.build.pipeline, "MEMORY_SCRATCH", folder)
    monkeypatch.delenv(kg.build.pipeline.SCRATCH_ENV, raising=False)
    return folder


def test_runs_go_to_memory_when_there_is_room_else_beside_the_output(
    tmp_path: Path, memory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert kg.build.pipeline.scratch_root(out, 100) == memory
    monkeypatch.setattr(kg.build.pipeline, "memory_available", lambda: 10 * kg.build.pipeline.RUN_BYTES)
    assert kg.build.pipeline.scratch_root(out, 100) == out  # not that much memory free
    monkeypatch.setenv(kg.build.pipeline.SCRATCH_ENV, str(tmp_path / "chosen"))
    assert kg.build.pipeline.scratch_root(out, 100) == tmp_path / "chosen"


def test_the_same_files_whichever_folder_holds_the_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.synth import write_corpus

    write_corpus(250, tmp_path / "docs", seed=4)  # past the pool threshold: runs from the workers
    seen: list[str] = []
    real = kg.build.pipeline.scratch_root
    monkeypatch.setattr(
        kg.build.pipeline, "scratch_root", lambda out, n: Path(seen.append(str(real(out, n))) or real(out, n))
    )
    monkeypatch.setenv(kg.build.pipeline.SCRATCH_ENV, str(tmp_path / "runs"))  # made when missing
    build([tmp_path / "docs"], tmp_path / "a")
    monkeypatch.setattr(kg.build.pipeline, "RUN_BYTES", 1 << 60)  # never room in memory
    monkeypatch.delenv(kg.build.pipeline.SCRATCH_ENV)
    build([tmp_path / "docs"], tmp_path / "b")
    assert str(tmp_path / "runs") in seen and str(tmp_path / "b") in seen
    assert not list((tmp_path / "runs").iterdir())  # nothing left behind
    for name in ("graph.ttl", "graph.nt.gz", "build.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_a_killed_builds_runs_in_memory_are_swept_and_nothing_else(tmp_path: Path, memory: Path) -> None:
    process = subprocess.Popen(["true"])
    process.wait()
    stale = memory / f".kg-build-{process.pid}-abc"
    stale.mkdir()
    (stale / "run-0000000.nt").write_bytes(b"x\n")
    others = [memory / f".other.{process.pid}.tmp", memory / f".kg-build-{os.getpid()}-live"]
    others[0].write_bytes(b"another program's")
    others[1].mkdir()
    build([SEEDS_DIR], tmp_path / "out")
    assert not stale.exists() and all(path.exists() for path in others)


def test_a_document_is_read_whole_whatever_its_size(tmp_path: Path) -> None:
    for size in (0, 1, 4095, 70_000, 300_001):
        path = tmp_path / f"{size}.txt"
        path.write_bytes(bytes(range(256)) * (size // 256) + b"x" * (size % 256))
        st, data = kg.build.pipeline._read_file(str(path))
        assert data == path.read_bytes() and st.st_size == size
    with pytest.raises(OSError):
        kg.build.pipeline._read_file(str(tmp_path / "missing.txt"))
