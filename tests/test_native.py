"""The build's C loops (`kg._native`) write the bytes their Python counterparts write: Turtle as
Oxigraph serializes it, counted lines as the Python readers read them, whole builds with and
without the C loops are the same files, and a resource's prepared lines are read the same way."""

from __future__ import annotations

import gzip
import hashlib
import io
import random
from array import array
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kg.build.lines
import kg.native
import kg.rdf.turtle
import kg.stores.prepared
from kg.build.pipeline import build
from kg.rdf.turtle import turtle_blocks, write_turtle
from kg.rdf.vocab import prefixes as kg_prefixes
from kg.stores.prepared import LoadedGraph, PreparedGraph, StoredLines, as_stored, as_stored_python
from kg.synth import write_corpus
from kg.uris import DEFAULT_BASE, UriMinter
from kg.web.prepared import reached_terms

native = pytest.importorskip("kg._native", reason="kg was installed without its C loops (no C compiler)")

XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = kg_prefixes(UriMinter(DEFAULT_BASE).ns_iri)
PAIRS = tuple((name.encode(), ns.encode()) for name, ns in sorted(PREFIXES.items()))


def oxigraph_turtle(nt: bytes, prefixes: dict[str, str]) -> bytes:
    out = io.BytesIO()
    write_turtle(io.BytesIO(nt), out, prefixes)
    return out.getvalue()


def nt_of(triples: list[ox.Triple]) -> bytes:
    """Sorted, unique N-Triples lines as the build holds them."""
    lines = sorted(set(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines()))
    return b"".join(line + b"\n" for line in lines)


def test_the_turtle_of_a_built_graph_is_oxigraphs_piece_for_piece(tmp_path: Path) -> None:
    write_corpus(120, tmp_path / "docs", seed=3)
    build([tmp_path / "docs"], tmp_path / "out")
    lines = gzip.decompress((tmp_path / "out" / "graph.nt.gz").read_bytes()).split(b"\n")[:-1]
    assert len(lines) > 20_000
    for start in range(0, len(lines), 700):
        nt = b"".join(line + b"\n" for line in lines[start : start + 700])
        written = native.turtle(nt, PAIRS)
        assert written is not None, "every line kg writes has a Turtle form the C writer is sure of"
        assert written == oxigraph_turtle(nt, PREFIXES)


TERMS_SURE = [
    "<http://example.org/a>",
    "<http://schema.org/Thing>",
    "<http://schema.org/a-b>",
    "<http://schema.org/4x>",
    "<http://schema.org/_x>",
    '"plain"',
    '"with \\"quotes\\" and \\\\ and \\t\\n\\r"',
    '"é ü ∑ 𝄞"',
    '"x"@nl',
    '"x"@nl-be',
    '"5"^^<%sinteger>' % XSD,
    '"+5"^^<%sinteger>' % XSD,
    '"-007"^^<%sinteger>' % XSD,
    '"true"^^<%sboolean>' % XSD,
    '"false"^^<%sboolean>' % XSD,
    '"1"^^<%sboolean>' % XSD,
    '"5 6"^^<%sinteger>' % XSD,
    '"2013-04-30"^^<%sdate>' % XSD,
    '"x"^^<%sstring>' % XSD,
    '"1.5"^^<%sdecimal>' % XSD,
    '"-0.5000"^^<%sdecimal>' % XSD,
    '"+.5"^^<%sdecimal>' % XSD,
    '"2013"^^<%sgYear>' % XSD,
    '"2013-05"^^<%sgYearMonth>' % XSD,
    '"x"^^<http://example.org/dt>',
    '"x"^^<http://schema.org/dt>',
    '""',
    '" . "',
    '"@prefix a: <b> ."',
]
TERMS_UNSURE = [  # Oxigraph decides these; the C writer hands the piece back
    "<http://schema.org/a.b>",
    "<http://schema.org/a/b>",
    "<http://schema.org/>",
    "<http://schema.org/é>",
    "<http://schema.org/-a>",
    '"x"@EN',
    '"\\u0001"',
    '"1"^^<%sdecimal>' % XSD,
    '"1."^^<%sdecimal>' % XSD,
    '"1e5"^^<%sdecimal>' % XSD,
    '"1e5"^^<%sdouble>' % XSD,
    "_:b0",
]


@pytest.mark.parametrize("term", TERMS_SURE)
def test_terms_the_c_writer_is_sure_of_are_written_as_oxigraph_writes_them(term: str) -> None:
    nt = (
        f"<http://example.org/s> <http://schema.org/p> {term} .\n"
        f"<http://example.org/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/T> .\n"
        f"<http://schema.org/s2> <http://schema.org/p> {term} .\n"
    ).encode()
    nt = b"".join(sorted(nt.splitlines(keepends=True)))
    written = native.turtle(nt, PAIRS)
    assert written is not None
    assert written == oxigraph_turtle(nt, PREFIXES)


@pytest.mark.parametrize("term", TERMS_UNSURE)
def test_terms_the_c_writer_is_not_sure_of_go_to_oxigraph(term: str) -> None:
    nt = f"<http://example.org/s> <http://schema.org/p> {term} .\n".encode()
    assert native.turtle(nt, PAIRS) is None
    if not term.startswith("_:"):
        assert turtle_blocks(nt, PREFIXES) == oxigraph_turtle(nt, PREFIXES)


def test_a_namespace_inside_another_leaves_the_choice_of_prefix_to_oxigraph() -> None:
    prefixes = {"a": "http://example.org/", "b": "http://example.org/x/"}
    nt = b'<http://example.org/x/y> <http://example.org/p> "v" .\n'
    assert kg.rdf.turtle._prefix_pairs(tuple(sorted(prefixes.items()))) is None
    assert turtle_blocks(nt, prefixes) == oxigraph_turtle(nt, prefixes)


_local = st.text(alphabet="abAB09_-./é~", min_size=0, max_size=6)
_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


@st.composite
def _triples(draw: st.DrawFn) -> list[ox.Triple]:
    namespaces = ["http://schema.org/", XSD, "http://example.org/", "https://w3id.org/written-questions/kg#"]

    def iri() -> ox.NamedNode:
        return ox.NamedNode(draw(st.sampled_from(namespaces)) + draw(_local))

    def literal() -> ox.Literal:
        kind = draw(st.sampled_from(["plain", "lang", "integer", "boolean", "date", "other"]))
        value = draw(
            st.one_of(_text, st.from_regex(r"[+-]?[0-9]{1,3}", fullmatch=True), st.sampled_from(["true", "false"]))
        )
        if kind == "lang":
            return ox.Literal(value, language=draw(st.sampled_from(["nl", "fr", "nl-be", "EN"])))
        if kind == "plain":
            return ox.Literal(value)
        return ox.Literal(value, datatype=ox.NamedNode(XSD + kind) if kind != "other" else iri())

    return [
        ox.Triple(iri(), iri(), iri() if draw(st.booleans()) else literal()) for _ in range(draw(st.integers(1, 12)))
    ]


@settings(max_examples=300, deadline=None)
@given(_triples())
def test_any_graph_is_written_as_oxigraph_writes_it_or_handed_back(triples: list[ox.Triple]) -> None:
    nt = nt_of(triples)
    written = native.turtle(nt, PAIRS)
    if written is not None:
        assert written == oxigraph_turtle(nt, PREFIXES)
    assert turtle_blocks(nt, PREFIXES) == oxigraph_turtle(nt, PREFIXES)


def test_adjacent_repeats_are_counted_as_the_python_version_counts_them(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    lines = sorted(
        b'<http://example.org/s%d> <http://example.org/p> "%d" .' % (rng.randrange(50), rng.randrange(300))
        for _ in range(3000)
    )
    block = b"".join(line + b"\n" for line in lines)
    distinct, counts = native.count_adjacent(block)
    assert distinct == b"".join(line + b"\n" for line in sorted(set(lines)))
    assert array("I", counts).tolist() == [lines.count(line) for line in sorted(set(lines))]
    with_c = kg.build.lines.count_adjacent(block)
    monkeypatch.setattr(kg.native, "loops", None)
    assert kg.build.lines.count_adjacent(block) == with_c
    assert kg.build.lines.count_adjacent(b"a\na\nb\nc") == (b"a\nb\n", [2, 1])  # only whole lines
    monkeypatch.undo()
    assert kg.build.lines.count_adjacent(b"a\na\nb\nc") == (b"a\nb\n", [2, 1])
    assert native.count_adjacent(b"") == (b"", b"")


def test_a_build_without_the_c_loops_writes_the_same_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_corpus(60, tmp_path / "docs", seed=11)
    build([tmp_path / "docs"], tmp_path / "with")
    monkeypatch.setattr(kg.native, "loops", None)
    build([tmp_path / "docs"], tmp_path / "without")
    for name in ("graph.ttl", "graph.nt.gz", "build.json"):
        assert (tmp_path / "with" / name).read_bytes() == (tmp_path / "without" / name).read_bytes(), name


def test_a_documents_block_and_a_batchs_run_are_the_python_versions_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(8)
    words = ["<http://example.org/é>", "<http://example.org/e>", '"∑"', '"x"@nl', "<http://example.org/e/f>", ""]
    documents = [
        [" ".join(rng.choice(words) for _ in range(3)) + " ." for _ in range(rng.randrange(0, 40))] for _ in range(30)
    ]
    with_c = [kg.build.lines.document_block(lines) for lines in documents]
    run_c = kg.build.lines.merge_blocks(with_c)
    monkeypatch.setattr(kg.native, "loops", None)
    assert [kg.build.lines.document_block(lines) for lines in documents] == with_c
    assert kg.build.lines.merge_blocks(with_c) == run_c
    assert run_c.count(b"\n") == sum(block.count(b"\n") for block in with_c)
    lines = kg.build.lines.block_lines(run_c)
    assert lines == sorted(lines)
    assert kg.build.lines.merge_blocks([b"\n", b"", b"a\n"]) == b"\na\n"  # an empty line is a line
    monkeypatch.undo()
    assert native.merge_blocks([b"\n", b"", b"a\n"]) == b"\na\n"
    with pytest.raises(ValueError, match="line end"):
        native.merge_blocks([b"a"])
    with pytest.raises(UnicodeEncodeError):
        native.document_block(["\ud800"])


@pytest.mark.parametrize("span", [1, 3, 128])
def test_pieces_cut_and_rendered_in_c_are_the_python_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, span: int
) -> None:
    import zlib

    monkeypatch.setattr(kg.build.pieces, "SPAN", span)
    rng = random.Random(span)
    values = ['"v"', '"x"@nl', '"7"^^<%sinteger>' % XSD, "<http://schema.org/Thing>", '"a\\tb"', '"\\u0001"']
    lines = sorted(
        b"<http://example.org/s%d> <http://schema.org/p%d> %s ."
        % (rng.randrange(300), rng.randrange(3), rng.choice(values).encode())
        for _ in range(4000)
    )
    merged = tmp_path / "merged.nt"
    merged.write_bytes(b"".join(line + b"\n" for line in lines))
    for subject in (b"<http://example.org/s%d>" % i for i in range(300)):  # cut where Python cuts
        cut = native.segment(subject + b" <http://schema.org/p> <o> .\n", span, ())[2] is not None
        assert cut == (zlib.crc32(subject) % span == 0)
    outputs = []
    for with_c in (True, False):
        if not with_c:
            monkeypatch.setattr(kg.native, "loops", None)
        where = kg.build.pieces.Paths(
            tmp_path / f"{with_c}.nt.gz", tmp_path / f"{with_c}.ttl", tmp_path / f"{with_c}.counts"
        )
        index = kg.build.pieces.write_all(merged, where, PREFIXES, processes=1)
        outputs.append((index.pieces, where.gz.read_bytes(), where.ttl.read_bytes(), where.counts.read_bytes()))
    assert outputs[0] == outputs[1]
    assert len(outputs[0][0]) > (5 if span < 128 else 0)


def test_a_merge_of_bad_runs_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "cut.nt").write_bytes(b"<a> <b> <c> .\n<a> <b> <d>")
    with pytest.raises(ValueError, match="cut.nt: a run must end with a line end"):
        native.plan_blocks([str(tmp_path / "cut.nt")], 100)
    with pytest.raises(FileNotFoundError, match="missing.nt"):
        native.plan_blocks([str(tmp_path / "missing.nt")], 100)


def test_the_merge_in_blocks_is_the_merge_in_one(tmp_path: Path) -> None:
    """Blocks planned over runs whose subjects interleave unevenly (one run holding only the
    first subjects, one only the last) are each about the step and together the whole merge."""
    import os

    runs = []
    for number, subjects in enumerate([range(0, 40), range(0, 4000, 7), range(3900, 4000), range(0, 4000, 3), ()]):
        lines = sorted(
            b'<http://example.org/s%05d> <http://example.org/p> "%d" .' % (s, v) for s in subjects for v in range(3)
        )
        if number == 1:  # a line longer than a read of the merge
            lines = sorted(
                lines + [b'<http://example.org/s00700> <http://example.org/q> "' + b"x" * (1 << 20) + b'" .']
            )
        run = tmp_path / f"run-{number}.nt"
        run.write_bytes(b"".join(line + b"\n" for line in lines))
        runs.append(str(run))
    whole = b"".join(sorted(line for run in runs for line in Path(run).read_bytes().splitlines(keepends=True)))
    plan = native.plan_blocks(runs, 20_000)
    fds = [os.open(run, os.O_RDONLY) for run in runs]
    try:
        blocks = [native.merge_slices(fds, starts, ends) for starts, ends in zip(plan, plan[1:])]
    finally:
        for fd in fds:
            os.close(fd)
    assert b"".join(blocks) == whole
    assert len(blocks) > 10 and sorted(map(len, blocks))[-2] < 4 * 20_000  # the longest holds the long line
    for before, block in zip(blocks, blocks[1:]):  # each block starts at a subject's first line
        if before and block:
            assert before.splitlines()[-1].split(b" ")[0] != block.split(b" ", 1)[0]


# -- a resource's prepared lines (kg.stores.prepared.as_stored, kg.web.prepared.reached_terms) --------


@pytest.fixture
def with_c_loops(monkeypatch: pytest.MonkeyPatch) -> None:
    """The C loops on, whatever `KG_NATIVE` says (the Python versions are called by name)."""
    monkeypatch.setattr(kg.native, "loops", native)


def stored_both_ways(lines: list[bytes]) -> StoredLines | None:
    """`as_stored` with the C loops, first with no typed literal known (they are learned between
    two calls), then with all known, each the Python version's result."""
    assert kg.native.loops is native
    kg.stores.prepared._canonical.clear()
    with_c = as_stored(lines)
    assert as_stored(lines) == with_c
    assert as_stored_python(lines) == with_c
    return with_c


def walks_agree(stored: StoredLines, uri: str) -> list[tuple[frozenset[str], frozenset[str]] | None]:
    """`reached_terms` in C and in Python on `stored`, as a hub or not, with room for few parts or
    many: the same answers (returned)."""
    root, head = b"<" + uri.encode() + b">", b"<" + uri.encode() + b"/"
    answers = []
    for hub in (False, True):
        for max_parts in (2, 10_000):
            fields = (stored.subjects, stored.predicates, stored.objects, stored.link_subjects, stored.link_objects)
            args = (*fields, stored.datatypes, root, head, hub, max_parts)
            answer = native.reached_terms(*args)
            assert answer == reached_terms(*args), (uri, hub, max_parts)
            answers.append(answer)
    return answers


def test_every_seeds_resources_prepared_lines_are_read_in_c_as_in_python(seeds_out: Path, with_c_loops: None) -> None:
    path = seeds_out / "graph.nt.gz"
    graph = PreparedGraph.open(LoadedGraph(path, hashlib.sha256(path.read_bytes()).hexdigest()))
    assert graph is not None
    every = sorted({line.split(b" ", 1)[0] for line in gzip.decompress(path.read_bytes()).splitlines()})
    uris = [s[1:-1].decode() for s in every if s.startswith(b"<" + DEFAULT_BASE.encode() + b"id/")]
    assert len(uris) > 1000
    rewritten = walked = 0
    for uri in uris:
        lines = graph.under(uri + "/") + graph.subject(uri)
        stored = stored_both_ways(lines)
        assert stored is not None, uri  # nothing in the seeds is left to the store
        rewritten += stored.lines != lines
        walked += sum(answer is not None for answer in walks_agree(stored, uri))
    assert rewritten > 100  # typed literals put in the store's form (xsd:nonNegativeInteger is xsd:integer)
    assert walked > len(uris)


XSD_B = XSD.encode()
S = b"<http://example.org/r>"
R = "<http://example.org/r>"
EDGE_CASES = {  # N-Triples lines as str (the graph file's UTF-8, no escape sequences)
    "plain, tagged and unicode": [
        R + ' <http://example.org/p> "café ∑ 𝄞" .',
        R + ' <http://example.org/p> "x"@nl-be .',
        R + ' <http://example.org/p> "with \\"@en inside" .',
        R + " <http://example.org/é> <http://example.org/r/é> .",
    ],
    "blank node": [R + " <http://example.org/p> _:b0 ."],
    "upper-case tag": [R + ' <http://example.org/p> "x"@EN .'],
    "tag without a letter": [R + ' <http://example.org/p> "x"@12 .'],
    "typed, rewritten and re-sorted": [
        R + f' <http://example.org/n> "05"^^<{XSD}integer> .',
        R + f' <http://example.org/n> "40"^^<{XSD}integer> .',
        R + f' <http://example.org/n> "5"^^<{XSD}integer> .',
        R + f' <http://example.org/n> "7"^^<{XSD}nonNegativeInteger> .',
        R + f' <http://example.org/q> "82.0"^^<{XSD}decimal> .',
        R + f' <http://example.org/q> "x"^^<{XSD}string> .',
        R + f' <http://example.org/q> "a \\"^^<y> b"^^<{XSD}string> .',
        R + " <http://example.org/q> <http://example.org/r/a> .",
    ],
    "typed, kept": [R + f' <http://example.org/d> "2013-04-30"^^<{XSD}date> .'],
    "unsorted, kept as given": [R + ' <http://example.org/q> "b" .', R + ' <http://example.org/p> "a" .'],
    "none": [],
}


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_edge_cases_of_prepared_lines_are_read_in_c_as_in_python(name: str, with_c_loops: None) -> None:
    lines = [line.encode("utf-8") for line in EDGE_CASES[name]]
    stored = stored_both_ways(lines)
    assert (stored is None) == (name in ("blank node", "upper-case tag", "tag without a letter"))
    if stored is not None:
        walks_agree(stored, "http://example.org/r")
    if name == "typed, rewritten and re-sorted":
        assert stored is not None
        assert [line.split(b" ", 2)[2] for line in stored.lines] == [
            b'"40"^^<' + XSD_B + b"integer> .",  # "05" and "5" are one line now, after "40"
            b'"5"^^<' + XSD_B + b"integer> .",
            b'"7"^^<' + XSD_B + b"integer> .",
            b'"82"^^<' + XSD_B + b"decimal> .",
            b'"a \\"^^<y> b" .',
            b'"x" .',
            b"<http://example.org/r/a> .",
        ]
        assert stored.datatypes == {XSD_B + b"integer", XSD_B + b"decimal", XSD_B + b"string"}


def test_typed_literals_not_known_are_handed_back_to_be_learned() -> None:
    literal = b'"05"^^<' + XSD_B + b"integer>"
    lines = [S + b" <http://example.org/n> " + literal + b" ."]
    assert native.stored_lines(lines, {}, None) == [literal]
    stored = native.stored_lines(lines, {}, {literal: b'"5"^^<' + XSD_B + b"integer>"})
    assert stored[0] == [S + b' <http://example.org/n> "5"^^<' + XSD_B + b"integer> ."]
    with pytest.raises(ValueError, match="line 0"):
        native.stored_lines([b"<a> <b>"], {}, None)
    with pytest.raises(TypeError):
        native.stored_lines(["<a> <b> <c> ."], {}, None)


def test_the_walk_in_c_is_the_walk_in_python_on_graphs_of_parts() -> None:
    """Random links between a resource, its parts and others: who is reached, hub or not."""
    rng = random.Random(4)
    uri = "http://example.org/r"
    pool = [b"<%s>" % uri.encode(), b"<http://example.org/other>"] + [b"<%s/%d>" % (uri.encode(), i) for i in range(8)]
    answers = []
    for _ in range(400):
        links = [(rng.choice(pool[:1] + pool[2:]), rng.choice(pool)) for _ in range(rng.randrange(0, 12))]
        subjects = {s for s, _ in links} | ({rng.choice(pool)} if rng.random() < 0.2 else set())
        objects = [o for _, o in links]
        stored = StoredLines([], subjects, {b"<p>"}, set(objects), [s for s, _ in links], objects, set())
        answers += walks_agree(stored, uri)
    assert 200 < sum(answer is None for answer in answers) < len(answers) - 200
