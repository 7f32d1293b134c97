"""The query API (`/api/{name}`) on real servers: every stored query with its example answers what
the same query answers on `/sparql`, on the seeds and on a generated corpus; parameters, paging,
formats, ETags and bad values behave as `queries/README.md` says."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jsonschema_rs
import pyoxigraph as ox
import pytest
from conftest import UPDATE_TOKEN, LiveServer, copy_build, start_server, stop_server

from kg.queries import StoredQuery, load_catalog, parse_value
from kg.web.api_output import answer_schema, json_value

CATALOG = load_catalog()
NAMES = sorted(CATALOG)
ALL_ROWS = 10_000  # the servers' result limit: one page holds everything


@pytest.fixture(scope="module")
def synth_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real server over a generated corpus: more of every kind of thing than the seeds."""
    from kg.build.pipeline import build
    from kg.synth import write_corpus

    docs = tmp_path_factory.mktemp("api-synth-docs")
    write_corpus(300, docs, seed=11)
    out = tmp_path_factory.mktemp("api-synth-out")
    report = build([docs], out)
    assert not report.failed, report.failed[:3]
    server = start_server(out)
    yield server
    stop_server(server)


def example_params(query: StoredQuery, **extra: Any) -> list[tuple[str, str]]:
    items = [(p.name, value) for p in query.header.params for value in p.example]
    if query.header.pages:
        items.append(("limit", str(ALL_ROWS)))
    return items + list(extra.items())


def sparql_rows(server: LiveServer, text: str, columns: list[str]) -> list[tuple[Any, ...]]:
    response = httpx.post(server.url + "sparql", data={"query": text, "format": "json"}, timeout=60)
    assert response.status_code == 200, response.text
    bindings = response.json()["results"]["bindings"]
    return [tuple(json_value(b.get(c)) for c in columns) for b in bindings]


def triples(body: bytes, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return {quad.triple for quad in ox.parse(body, format=fmt)}


def _key(row: tuple[Any, ...]) -> str:
    """A row as comparable text; GROUP_CONCAT joins values in no defined order."""
    return json.dumps([", ".join(sorted(v.split(", "))) if isinstance(v, str) else v for v in row])


def value_in_data(server: LiveServer, query: StoredQuery, name: str) -> str:
    """A value of a parameter whose values are taken from the data, found in the data (for a
    corpus the example, written for the seeds, is not in)."""
    param = query.param(name)
    assert param is not None
    class_iri, prop = query.class_iri(param), query.values_of(param)
    if class_iri:
        text = f"SELECT ?v WHERE {{ ?v a <{class_iri}> }} ORDER BY ?v LIMIT 1"
    else:
        text = f"SELECT (STR(?o) AS ?v) WHERE {{ ?s <{prop}> ?o }} ORDER BY ?v LIMIT 1"
    ((value,),) = sparql_rows(server, text, ["v"])
    return str(value)


def check_against_sparql(server: LiveServer, name: str) -> int:
    """The query through the API with its example, against the same bound query on /sparql.
    Returns the number of rows (or triples)."""
    query = CATALOG[name]
    params = example_params(query)
    response = httpx.get(server.url + f"api/{name}", params=params, timeout=60)
    if response.status_code == 400 and ("in the data" in response.text or "an instance of" in response.text):
        refused = response.text.split(":")[0].removeprefix("parameter ")
        params = [(k, v) for k, v in params if k != refused] + [(refused, value_in_data(server, query, refused))]
        response = httpx.get(server.url + f"api/{name}", params=params, timeout=60)
    assert response.status_code == 200, response.text
    values = {p.name: [parse_value(p, v) for k, v in params if k == p.name] or None for p in query.header.params}
    bound = query.bound(
        {
            k: v or ([parse_value(p, d) for d in p.default] if (p := query.param(k)) and p.default else None)
            for k, v in values.items()
        }
    )
    if query.kind == "graph":
        assert response.headers["content-type"].startswith("text/turtle")
        got = triples(response.content, ox.RdfFormat.TURTLE)
        direct = httpx.post(server.url + "sparql", data={"query": bound, "format": "ntriples"}, timeout=60)
        assert got == triples(direct.content, ox.RdfFormat.N_TRIPLES)
        return len(got)
    assert response.headers["content-type"] == "application/json"
    rows = response.json()
    jsonschema_rs.validate(answer_schema(query), rows)
    columns = [c.name for c in query.header.columns]
    api_rows = [tuple(row[c] for c in columns) for row in rows]
    expected = sparql_rows(server, bound, columns)
    assert sorted(map(_key, api_rows)) == sorted(map(_key, expected))
    return len(api_rows)


@pytest.mark.parametrize("name", NAMES)
def test_each_query_answers_as_sparql_on_the_seeds(live_server: LiveServer, name: str) -> None:
    check_against_sparql(live_server, name)


def test_each_query_answers_as_sparql_on_a_generated_corpus(synth_server: LiveServer) -> None:
    counts = {name: check_against_sparql(synth_server, name) for name in NAMES}
    empty = sorted(name for name, count in counts.items() if count == 0)
    # Most queries find something in 300 generated documents; the comparison is not of empties.
    assert len(empty) <= 4, empty


def test_the_order_of_a_paged_query_is_kept(live_server: LiveServer) -> None:
    rows = httpx.get(live_server.url + "api/office-holders", params={"limit": ALL_ROWS}).json()
    starts = [row["start"] for row in rows]
    assert len(rows) > 100 and starts == sorted(starts)


# -- parameters --------------------------------------------------------------------------------


def get(server: LiveServer, path: str, params: Any = None, **headers: str) -> httpx.Response:
    return httpx.get(server.url + path.lstrip("/"), params=params, headers=headers, timeout=60)


def test_a_parameter_with_many_values_matches_any_of_them(live_server: LiveServer) -> None:
    def accounts(*platforms: str) -> set[str]:
        params = [("platform", p) for p in platforms] + [("limit", "1000")]
        response = get(live_server, "api/social-media-accounts", params)
        assert response.status_code == 200, response.text
        return {row["account"] for row in response.json()}

    twitter, facebook = accounts("Twitter"), accounts("Facebook")
    assert twitter and facebook and twitter.isdisjoint(facebook)
    assert accounts("Twitter", "Facebook") == twitter | facebook
    assert accounts() >= twitter | facebook  # not given: no filter


def test_many_question_numbers_at_once(synth_server: LiveServer) -> None:
    text = (
        "PREFIX dct: <http://purl.org/dc/terms/> PREFIX kg: <https://w3id.org/written-questions/kg#> "
        "SELECT DISTINCT ?n WHERE { ?q kg:addressedTo ?o ; dct:identifier ?n } ORDER BY ?n LIMIT 2"
    )
    first, second = (str(row[0]) for row in sparql_rows(synth_server, text, ["n"]))

    def questions(*numbers: str) -> list[str]:
        response = get(synth_server, "api/question-addressees", [("identifier", n) for n in numbers])
        assert response.status_code == 200, response.text
        return sorted(json.dumps(row, sort_keys=True) for row in response.json())

    one, two = questions(first), questions(second)
    assert one and two and set(one).isdisjoint(two)
    assert questions(first, second) == sorted(one + two)


def test_a_default_is_the_value_not_given(live_server: LiveServer) -> None:
    assert (
        get(live_server, "api/questions-by-descriptor").json()
        == get(live_server, "api/questions-by-descriptor", {"lang": "nl"}).json()
    )
    french = get(live_server, "api/questions-by-descriptor", {"lang": "fr"}).json()
    dutch = get(live_server, "api/questions-by-descriptor").json()
    assert dutch and french != dutch  # the seeds' descriptors have Dutch labels only
    assert (
        get(live_server, "api/overdue-questions").json()
        == get(live_server, "api/overdue-questions", {"minDays": "0"}).json()
    )


def test_an_optional_boolean_filters_only_when_given(live_server: LiveServer) -> None:
    every = get(live_server, "api/planned-channels").json()
    yes = get(live_server, "api/planned-channels", {"conditional": "true"}).json()
    no = get(live_server, "api/planned-channels", {"conditional": "false"}).json()
    assert yes and no and all(r["conditional"] is True for r in yes) and all(r["conditional"] is False for r in no)
    assert sorted(json.dumps(r, sort_keys=True) for r in yes + no) == sorted(
        json.dumps(r, sort_keys=True) for r in every
    )


def test_an_iri_of_the_declared_class_binds_and_others_are_refused(live_server: LiveServer) -> None:
    agency = "http://localhost:8000/id/agency/dvz"
    body = get(live_server, "api/agency-answered-for-by.nt", {"agency": agency}).content
    found = triples(body, ox.RdfFormat.N_TRIPLES)
    assert found and {t.subject.value for t in found} == {agency}
    office = next(iter(found)).object.value  # an IRI, but not of an agency
    refused = get(live_server, "api/agency-answered-for-by", {"agency": office})
    assert refused.status_code == 400
    assert "agency" in refused.text and "Agency" in refused.text


HOSTILE = [
    # (query, parameter, value): every type, wrong values and attempts to break out of the binding
    ("agency-answered-for-by", "agency", "http://x/a> } ?s ?p ?o { <http://x/b"),
    ("agency-answered-for-by", "agency", "not an iri"),
    ("agency-answered-for-by", "agency", "javascript:alert(1)"),
    ("government-on-date", "day", '2013-04-30"^^xsd:date } UNION { ?incumbency ?p ?o } #'),
    ("government-on-date", "day", "2013-02-30"),
    ("government-on-date", "day", "yesterday"),
    ("overdue-questions", "minDays", "0 } UNION { ?question ?p ?o"),
    ("overdue-questions", "minDays", "1.5"),
    ("overdue-questions", "minDays", "99999999999999999999999"),
    ("planned-channels", "conditional", "true } ?s ?p ?o {"),
    ("planned-channels", "conditional", "yes"),
    ("questions-by-author", "lang", 'nl") || true || ("'),
    ("questions-by-author", "lang", "de"),  # a language, but not one the query takes
    ("questions-by-author", "name", 'Martine Taelman" } ?author ?p ?name { "'),
    ("questions-by-author", "name", "Nobody At All"),  # not a name in the data
    ("question-addressees", "identifier", '5-8913" } ?question ?p ?identifier { "'),
    ("social-media-accounts", "platform", "MySpace"),
    ("social-media-accounts", "limit", "0"),
    ("social-media-accounts", "limit", "10001"),
    ("social-media-accounts", "offset", "-1"),
    ("social-media-accounts", "offset", "1e3"),
]


@pytest.mark.parametrize(("name", "param", "value"), HOSTILE)
def test_a_bad_value_answers_400_naming_the_parameter(
    live_server: LiveServer, name: str, param: str, value: str
) -> None:
    query = CATALOG[name]
    params = [(k, v) for k, v in example_params(query) if k != param] + [(param, value)]
    response = get(live_server, f"api/{name}", params, accept="application/json")
    assert response.status_code == 400, response.text
    message = response.json()["message"]
    assert message.startswith(f"parameter {param}: expected"), message


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("api/government-on-date", {}, "parameter day: is required: expected a date"),
        ("api/government-on-date", [("day", "2013-04-30"), ("day", "2013-05-01")], "parameter day: takes one value"),
        ("api/agencies", {"bogus": "1"}, "unknown parameter bogus"),
        ("api/answer-delay", {"limit": "5"}, "unknown parameter limit"),  # a query that does not page
    ],
)
def test_missing_repeated_and_unknown_parameters_answer_400(
    live_server: LiveServer, path: str, params: Any, message: str
) -> None:
    response = get(live_server, path, params)
    assert response.status_code == 400 and message in response.text, response.text


def test_an_unknown_query_answers_404_listing_the_queries(live_server: LiveServer) -> None:
    response = get(live_server, "api/no-such-query")
    assert response.status_code == 404 and "questions-by-author" in response.text


# -- paging ------------------------------------------------------------------------------------


def test_paging_to_the_last_page_and_past_it(live_server: LiveServer) -> None:
    everything = get(live_server, "api/social-media-accounts", {"limit": ALL_ROWS}).json()
    assert len(everything) == 14
    pages = []
    response = get(live_server, "api/social-media-accounts", {"limit": 5})
    while True:
        assert response.status_code == 200
        pages.append(response.json())
        if "next" not in response.links:
            break
        response = httpx.get(str(response.url.join(response.links["next"]["url"])), timeout=30)
    assert [len(p) for p in pages] == [5, 5, 4]
    assert [row for page in pages for row in page] == everything
    exact = get(live_server, "api/social-media-accounts", {"limit": 7, "offset": 7})
    assert len(exact.json()) == 7 and "next" not in exact.links  # the last page is full: no next
    past = get(live_server, "api/social-media-accounts", {"limit": 5, "offset": 100})
    assert past.status_code == 200 and past.json() == [] and "next" not in past.links


def test_the_next_link_keeps_the_parameters(live_server: LiveServer) -> None:
    response = get(live_server, "api/social-media-accounts.csv", [("platform", "Twitter"), ("limit", "2")])
    target = urlsplit(response.links["next"]["url"])
    assert target.path == "/api/social-media-accounts.csv"
    assert parse_qs(target.query) == {"platform": ["Twitter"], "limit": ["2"], "offset": ["2"]}


# -- formats -----------------------------------------------------------------------------------


class Table(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.links: list[str] = []
        self._cell: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.mark.parametrize(
    ("accept", "extension", "media"),
    [
        ("application/json", "json", "application/json"),
        ("text/csv", "csv", "text/csv"),
        ("text/html", "html", "text/html"),
        ("*/*", None, "application/json"),
    ],
)
def test_select_formats_by_accept_and_by_extension(
    live_server: LiveServer, accept: str, extension: str | None, media: str
) -> None:
    params = {"day": "2013-04-30"}
    by_accept = get(live_server, "api/government-on-date", params, accept=accept)
    assert by_accept.headers["content-type"].split(";")[0] == media
    if extension:
        by_extension = get(live_server, f"api/government-on-date.{extension}", params)
        assert by_extension.headers["content-type"] == by_accept.headers["content-type"]
        assert by_extension.content == by_accept.content
    rows = get(live_server, "api/government-on-date", params).json()
    expected = [[row["office"], row["person"], row["party"] or ""] for row in rows]
    if media == "text/csv":
        table = list(csv.reader(io.StringIO(by_accept.text)))
        assert table == [["office", "person", "party"], *expected]
    if media == "text/html":
        table = Table(by_accept.text)
        assert table.rows[0] == ["office", "person", "party"]
        assert [[c.split(" ")[0] for c in r] for r in table.rows[1:]] == [
            [c.split(" ")[0] for c in r] for r in expected
        ]
        editor = next(link for link in table.links if link.startswith("/sparql?query="))
        assert '"2013-04-30"' in parse_qs(urlsplit(editor).query)["query"][0]


@pytest.mark.parametrize(
    ("accept", "extension", "fmt"),
    [
        ("text/turtle", "ttl", ox.RdfFormat.TURTLE),
        ("application/ld+json", "jsonld", ox.RdfFormat.JSON_LD),
        ("application/n-triples", "nt", ox.RdfFormat.N_TRIPLES),
    ],
)
def test_construct_formats_by_accept_and_by_extension(
    live_server: LiveServer, accept: str, extension: str, fmt: ox.RdfFormat
) -> None:
    expected = triples(get(live_server, "api/agency-answered-for-by.nt").content, ox.RdfFormat.N_TRIPLES)
    assert len(expected) > 10
    for response in (
        get(live_server, "api/agency-answered-for-by", accept=accept),
        get(live_server, f"api/agency-answered-for-by.{extension}"),
    ):
        assert response.headers["content-type"].startswith(accept)
        assert triples(response.content, fmt) == expected
    html = Table(get(live_server, "api/agency-answered-for-by.html").text)
    assert len(html.rows) == len(expected) + 1


def test_a_format_the_query_cannot_give_answers_406(live_server: LiveServer) -> None:
    assert get(live_server, "api/agencies", accept="image/png").status_code == 406
    assert get(live_server, "api/agencies.ttl").status_code == 406  # a SELECT has no Turtle
    assert get(live_server, "api/agency-answered-for-by.csv").status_code == 406


def test_the_json_schema_is_published_and_linked(live_server: LiveServer) -> None:
    response = get(live_server, "api/audience-figures")
    schema_url = response.links["describedby"]["url"]
    schema = get(live_server, schema_url).json()
    assert schema == answer_schema(CATALOG["audience-figures"])
    jsonschema_rs.validate(schema, response.json())
    assert schema["items"]["properties"]["count"]["type"] == "integer"


def test_the_editor_link_runs_the_same_query(live_server: LiveServer) -> None:
    response = get(live_server, "api/government-on-date", {"day": "2003-01-01"})
    editor = response.links["related"]["url"]
    text = parse_qs(urlsplit(editor).query)["query"][0]
    assert '"2003-01-01"^^' in text and "#+" not in text
    columns = ["office", "person", "party"]
    expected = [tuple(r[c] for c in columns) for r in response.json()]
    assert sorted(map(_key, sparql_rows(live_server, text, columns))) == sorted(map(_key, expected))
    assert expected  # a government held office that day


def test_the_editor_link_of_a_page_runs_that_page(live_server: LiveServer) -> None:
    response = get(live_server, "api/office-holders", {"limit": 5, "offset": 10})
    text = parse_qs(urlsplit(response.links["related"]["url"]).query)["query"][0]
    assert text.endswith("LIMIT 5\nOFFSET 10\n")
    columns = [c.name for c in CATALOG["office-holders"].header.columns]
    expected = [tuple(r[c] for c in columns) for r in response.json()]
    assert len(expected) == 5 and sparql_rows(live_server, text, columns) == expected


# -- caching -----------------------------------------------------------------------------------


def test_etag_and_304_per_dataset_version(seeds_out: Path, tmp_path: Path) -> None:
    server = start_server(copy_build(seeds_out, tmp_path / "data"), env={"KG_UPDATE_TOKEN": UPDATE_TOKEN})
    try:
        first = get(server, "api/answer-statuses")
        tag = first.headers["etag"]
        again = get(server, "api/answer-statuses", **{"if-none-match": tag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
        assert get(server, "api/answer-statuses.csv").headers["etag"] != tag  # another format
        assert get(server, "api/answer-statuses", **{"if-none-match": "*"}).status_code == 304
        unknown = get(server, "api/questions-by-author", {"name": "Nobody"}, **{"if-none-match": "*"})
        assert unknown.status_code == 400  # checked before any 304
        other = get(server, "api/questions-by-descriptor", {"lang": "fr"}).headers["etag"]
        assert other != get(server, "api/questions-by-descriptor").headers["etag"]  # other values
        update = httpx.post(
            server.url + "sparql",
            data={
                "update": "INSERT DATA { <http://example.org/q> <https://w3id.org/written-questions/kg#answerStatus> <https://w3id.org/written-questions/kg#Lapsed> }"
            },
            headers={"Authorization": f"Bearer {UPDATE_TOKEN}"},
        )
        assert update.status_code == 200, update.text
        after = get(server, "api/answer-statuses", **{"if-none-match": tag})
        assert after.status_code == 200 and after.headers["etag"] != tag
        assert after.json() != first.json()
    finally:
        stop_server(server)


# -- operators' queries --------------------------------------------------------------------------

ECHO = """# Gives back the text it is sent: shows a value stays one value, whatever it holds.
#+ summary: Echo
#+ param: text string many example=hello -- any text
#+ column: text string -- the text
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?text WHERE {
  VALUES ?text { "hello" }
}
"""


def test_an_operators_query_folder_is_served_and_values_stay_values(seeds_out: Path, tmp_path: Path) -> None:
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "echo.rq").write_text(ECHO, encoding="utf-8")
    server = start_server(copy_build(seeds_out, tmp_path / "data"), "--queries", str(folder))
    try:
        hostile = ['" } ?s ?p ?o { "', '\\" } UNION { ?s ?p ?o } #', "line\nbreak # } >", "'''", "<http://x>"]
        response = get(server, "api/echo", [("text", v) for v in hostile])
        assert response.status_code == 200, response.text
        assert sorted(row["text"] for row in response.json()) == sorted(hostile)
        document = get(server, "api/openapi.json").json()
        assert "/api/echo" in document["paths"]
    finally:
        stop_server(server)


def test_a_broken_query_stops_kg_serve_with_file_and_line(seeds_out: Path, tmp_path: Path) -> None:
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "echo.rq").write_text(ECHO.replace("string many", "text many"), encoding="utf-8")
    command = [sys.executable, "-m", "kg.cli", "serve", "--data", str(seeds_out), "--queries", str(folder)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"{folder / 'echo.rq'}:3: unknown type 'text'" in result.stderr
