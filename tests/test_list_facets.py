"""The question list over HTTP against the real server: filtered by legislature, year, party of
the asker, office and status (counts beside each value), sorted by number, date or title, each row
telling questions apart by number, addressee, date and status; bad filter values are a 400."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import LiveServer, start_server, stop_server

from kg.web.pages import ordered_options

BASE = "http://localhost:8000/"
KG = "https://w3id.org/written-questions/kg#"


def _question(n: int) -> str:
    legislature = 4 if n <= 6 else 5
    year = 2008 if n <= 6 else 2013
    asker = "a" if n % 2 else "b"
    office = "x" if n % 3 else "y"
    status = "AnsweredOnTime" if n % 4 else "OpenPastDeadline"
    return (
        f'<{BASE}id/question/{legislature}-{n}> a kg:Question ; dct:identifier "{legislature}-{n}" ; '
        f'dct:title "Zelfde titel"@nl ; dct:dateSubmitted "{year}-05-{n:02d}"^^xsd:date ; dct:date "{year}-05-{n:02d}"^^xsd:date ; '
        f"dct:creator <{BASE}id/person/{asker}> ; kg:legislature <{BASE}id/legislature/{legislature}> ; "
        f"kg:addressedTo <{BASE}id/office/{office}> ; kg:addressee <{BASE}id/person/m{office}> ; kg:answerStatus kg:{status} .\n"
    )


GRAPH = f"""
@prefix kg: <{KG}> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{BASE}id/person/a> foaf:name "Asker A" ; org:memberOf <{BASE}id/party/red> .
<{BASE}id/person/b> foaf:name "Asker B" ; org:memberOf <{BASE}id/party/blue> .
<{BASE}id/party/red> foaf:name "Rood" . <{BASE}id/party/blue> foaf:name "Blauw" .
<{BASE}id/office/x> skos:prefLabel "ambt X"@nl . <{BASE}id/office/y> skos:prefLabel "ambt Y"@nl .
<{BASE}id/person/mx> foaf:name "Minister X" . <{BASE}id/person/my> foaf:name "Minister Y" .
<{BASE}id/legislature/4> rdfs:label "Zittingsperiode 4"@nl . <{BASE}id/legislature/5> rdfs:label "Zittingsperiode 5"@nl .
""" + "".join(_question(n) for n in range(1, 13))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder: Path = tmp_path_factory.mktemp("facets")
    (folder / "graph.ttl").write_text(GRAPH, encoding="utf-8")
    live = start_server(folder)
    yield live
    stop_server(live)


def listing(server: LiveServer, **params: str) -> httpx.Response:
    return httpx.get(server.url + "list/questions", params={"lang": "nl", **params}, timeout=30)


def numbers(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return re.findall(r'<tr><td><a href="/doc/question/[^"]*">([^<]*)</a></td>', response.text)


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"legislature": "4"}, {f"4-{n}" for n in range(1, 7)}),
        ({"year": "2013"}, {f"5-{n}" for n in range(7, 13)}),
        ({"party": "red"}, {f"{4 if n <= 6 else 5}-{n}" for n in range(1, 13, 2)}),
        ({"office": "y"}, {"4-3", "4-6", "5-9", "5-12"}),
        ({"status": "OpenPastDeadline"}, {"4-4", "5-8", "5-12"}),
        ({"office": "y", "status": "OpenPastDeadline", "legislature": "5"}, {"5-12"}),
    ],
)
def test_filters(server: LiveServer, params: dict[str, str], expected: set[str]) -> None:
    response = listing(server, **params)
    found = numbers(response)
    assert set(found) == expected and len(found) == len(expected)
    assert f"({len(expected)})" in response.text  # the total says how many are kept


def test_facet_values_are_counted_within_the_other_filters(server: LiveServer) -> None:
    page = listing(server, legislature="5").text
    office = page[page.index('<select name="office">') : page.index("</select>", page.index('<select name="office">'))]
    assert "ambt X (4)" in office and "ambt Y (2)" in office
    legislature = page[page.index('<select name="legislature">') :].split("</select>")[0]
    assert "Zittingsperiode 4 (6)" in legislature and '<option value="5" selected>' in legislature


@pytest.mark.parametrize("order, first, last", [("asc", "4-1", "5-12"), ("desc", "5-12", "4-1")])
def test_sort_by_number(server: LiveServer, order: str, first: str, last: str) -> None:
    found = numbers(listing(server, sort="number", order=order))
    assert found[0] == first and found[-1] == last


def test_rows_tell_questions_with_the_same_title_apart(server: LiveServer) -> None:
    page = listing(server, legislature="4", sort="number").text
    row = re.search(r"<tr><td><a [^>]*>4-4</a></td>(.*?)</tr>", page, re.S)
    assert row is not None
    cells = re.sub(r"<[^>]+>", "", row.group(1))
    assert "Zelfde titel" in cells and "ambt X" in cells and "Minister X" in cells
    assert "4 mei 2008" in cells and "open na de termijn" in cells


def test_filters_and_sort_survive_paging_and_language(server: LiveServer) -> None:
    page = listing(server, party="blue", sort="number", order="desc").text
    links = [h.replace("&amp;", "&") for h in re.findall(r'<a href="(/list/questions\?[^"]*)"', page)]
    paged = [h for h in links if "page=" in h]  # sorting and paging links; the nav and "clear" links drop filters
    assert paged and all("party=blue" in h and "lang=nl" in h for h in paged)


@pytest.mark.parametrize(
    "params",
    [{"year": "13"}, {"status": "Unanswered"}, {"party": "<script>"}, {"office": "../x"}, {"sort": "party"}],
)
def test_bad_filter_values_are_a_400_naming_them(server: LiveServer, params: dict[str, str]) -> None:
    response = listing(server, **params)
    assert response.status_code == 400
    assert next(iter(params)) in response.text and "<script>" not in response.headers.get("content-type", "")


def test_seed_questions_differ_in_the_list(live_server: LiveServer) -> None:
    page = httpx.get(live_server.url + "list/questions", params={"lang": "en", "sort": "number"}).text
    first = re.search(r"<tr><td><a [^>]*>5-8913</a></td>(.*?)</tr>", page, re.S)
    second = re.search(r"<tr><td><a [^>]*>5-8916</a></td>(.*?)</tr>", page, re.S)
    assert first and second and first.group(1) != second.group(1)
    assert "Maggie De Block" in second.group(1) and "30 April 2013" in second.group(1)
    not_loaded = re.search(r"<tr><td><a [^>]*>5-8900</a></td>(.*?)</tr>", page, re.S)
    assert not_loaded and "not loaded" in not_loaded.group(1)


def test_home_latest_questions_tell_the_seeds_apart(live_server: LiveServer) -> None:
    page = httpx.get(live_server.url, params={"lang": "en"}).text
    latest = page[page.index('<section class="latest">') :]
    lines = re.findall(r"<li>(.*?)</li>", latest[: latest.index("</section>")], re.S)
    first = next(line for line in lines if ">5-8913<" in line)
    second = next(line for line in lines if ">5-8916<" in line)
    assert "Staatshervorming" in first and "Asiel en Migratie" in second
    assert "not loaded" in next(line for line in lines if ">5-8900<" in line)


def test_options_with_the_same_label_are_listed_by_value_whatever_their_order() -> None:
    alike = [
        {"value": "office/b", "label": "Minister of Justice", "count": 1},
        {"value": "office/a", "label": "Minister of Justice", "count": 2},
        {"value": "office/c", "label": "Minister of Finance", "count": 3},
    ]
    listed = [o["value"] for o in ordered_options("office", alike)]
    assert listed == ["office/c", "office/a", "office/b"]
    assert [o["value"] for o in ordered_options("office", alike[::-1])] == listed
    years = [{"value": y, "label": y, "count": 1} for y in ("2011", "2013", "2012")]
    assert [o["value"] for o in ordered_options("year", years)] == ["2013", "2012", "2011"]
