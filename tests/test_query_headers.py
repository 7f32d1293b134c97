"""The stored queries' headers (`queries/README.md`): every bundled query declares itself and
runs as written; a broken header is refused with its file and line, never dropped silently."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import sparql_reader
from kg.paths import QUERIES_DIR
from kg.queries import HeaderError, ParamError, load_catalog, parse_value, read_query
from kg.queries.values import bind
from kg.rdf.vocab import KG_NS

QUERY_FILES = sorted(QUERIES_DIR.glob("*.rq"))

GOOD = """# Questions asked on one day.
#+ summary: Questions of a day
#+ param: day date required example=2013-04-30 -- the day
#+ param: lang language default=nl enum=nl,fr example=fr -- title language
#+ column: question iri -- the question
#+ column: title string optional -- its title
#+ pages: yes
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?question ?title WHERE {
  VALUES ?day { "2013-04-30"^^<http://www.w3.org/2001/XMLSchema#date> }
  VALUES ?lang { "nl" }
  ?question dct:date ?day .
  OPTIONAL { ?question dct:title ?title FILTER(LANG(?title) = ?lang) }
}
ORDER BY ?question
"""


def write(tmp_path: Path, text: str, name: str = "day.rq") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_every_stored_query_declares_itself_and_its_prefixes(path: Path) -> None:
    query = read_query(path)
    assert query.header.summary and query.header.description
    reading = sparql_reader.read(query.text)
    assert reading.used_prefixes <= reading.declared_prefixes
    assert query.prefixes.get("kg", KG_NS) == KG_NS
    if query.form == "SELECT":
        assert [c.name for c in query.header.columns]
    for param in query.header.params:
        assert param.example, param.name


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_every_stored_query_runs_as_written_without_given_prefixes(path: Path) -> None:
    """On an empty store and with no prefixes supplied: the file alone is a whole query."""
    ox.Store().query(path.read_text(encoding="utf-8"))


def test_the_catalog_holds_every_file() -> None:
    assert sorted(load_catalog()) == sorted(p.stem for p in QUERY_FILES)


def test_a_good_header_reads_into_typed_parameters(tmp_path: Path) -> None:
    query = read_query(write(tmp_path, GOOD))
    day, lang = query.header.params
    assert (day.name, day.type, day.required, day.example) == ("day", "date", True, ("2013-04-30",))
    assert (lang.default, lang.enum) == (("nl",), ("nl", "fr"))
    assert query.header.pages and [c.optional for c in query.header.columns] == [False, True]
    assert query.header.description == "Questions asked on one day."


S = "#+ summary: Questions of a day\n"
BROKEN = [
    (S, S + "#+ param: day moment example=1 -- d\n", 3, "unknown type 'moment'"),
    ("example=2013-04-30 -- the day", "example=1 -- the day", 3, "expected a date"),
    (S, S + "#+ pram: day date -- d\n", 3, "unknown directive 'pram'"),
    (S, S + "#+ param: day date required -- d\n", 3, "no example="),
    (S, S + "#+ param: day date example=2013-01-01\n", 3, "needs a description"),
    (S, S + "#+ param: day date bogus example=2013-01-01 -- d\n", 3, "unknown option"),
    (S, S + "#+ param: other date example=2013-01-01 -- d\n", 3, "VALUES ?other"),
    (S, S + "#+ param: limit integer example=1 -- d\n", 3, "reserved"),
    (
        "#+ column: title string optional -- its title\n",
        "",
        5,
        "columns are question, title; the header declares question",
    ),
    ("#+ column: title string optional -- its title\n", "#+ column: title text -- t\n", 6, "unknown column type"),
    (S, "", 1, "no `#+ summary:`"),
    ("PREFIX dct: <http://purl.org/dc/terms/>\n", "", 11, "not declared: dct"),
    ("ORDER BY ?question\n", "ORDER BY ?question LIMIT 5\n", 1, "ends without LIMIT"),
    ("  ?question dct:date ?day .\n", "  ?question dct:date ?day FILTER(?day = ex:x) .\n", 12, "not declared: ex"),
    (
        "  ?question dct:date ?day .\n",
        "  ?question dct:date ?day . FILTER(STRLEN(?day, 1))\n",
        1,
        "example does not run",
    ),
    ("  ?question dct:date ?day .\n", "  ?question dct:date ?day ] .\n", 1, "example does not run"),
    ("  ?question dct:date ?day .\n", "  ?question dct:date ?day ` .\n", 12, "not SPARQL"),
]


@pytest.mark.parametrize(("old", "new", "line", "message"), BROKEN)
def test_a_broken_query_is_refused_with_its_file_and_line(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(HeaderError) as caught:
        read_query(path)
    assert str(caught.value).startswith(f"{path}:{line}: "), str(caught.value)
    assert message in str(caught.value)


def test_a_name_given_twice_is_refused(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "government-on-date.rq")
    with pytest.raises(HeaderError, match="already the name of"):
        load_catalog([tmp_path])


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("iri", "http://x/a> } ; DROP ALL ; <http://x/b"),
        ("iri", "javascript:alert(1)"),
        ("iri", "http://x/a b"),
        ("date", '2013-04-30"^^xsd:date } UNION { ?s ?p ?o'),
        ("date", "2013-02-30"),
        ("integer", "1 } UNION { ?s ?p ?o"),
        ("integer", "1e3"),
        ("boolean", "true } ?s ?p ?o {"),
        ("language", 'nl" } ?s ?p ?o { "'),
        ("string", "a\x00b"),
    ],
)
def test_values_that_are_not_of_their_type_are_refused(kind: str, text: str) -> None:
    from kg.queries import Param

    with pytest.raises(ParamError, match="parameter p: expected"):
        parse_value(Param("p", kind, "d", 1, example=("x",)), text)


def test_a_string_that_looks_like_sparql_stays_one_string(tmp_path: Path) -> None:
    """Quotes, braces and line breaks in a value are escaped in the term, not read as query."""
    from kg.queries import Param

    hostile = '" } ?s ?p ?o . { "\n# comment\n'
    term = parse_value(Param("p", "string", "d", 1, example=("x",)), hostile)
    text = 'SELECT ?p WHERE { VALUES ?p { "x" } }'
    bound = bind(text, {"p": [term]})
    rows = list(ox.Store().query(bound))  # type: ignore[arg-type]
    assert [row[0].value for row in rows] == [hostile]  # type: ignore[index, union-attr]


def test_a_broken_stored_query_stops_kg_build_with_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kg.cli import main

    folder = tmp_path / "queries"
    folder.mkdir()
    broken = write(folder, GOOD.replace("day date required", "day moment required"))
    monkeypatch.setattr("kg.queries.catalog.QUERIES_DIR", folder)
    status = main(["build", "--quiet", "--out", str(tmp_path / "out")])
    assert status == 2
    assert f"kg build: {broken}:3: unknown type 'moment'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()  # stopped before anything was written
