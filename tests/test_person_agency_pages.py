"""Person and agency pages over HTTP against the real server: a senator's parties and questions
(paged, sortable, counted per year in a server-drawn chart), a minister's offices over time,
governments, questions per office and the oldest still open, an agency's names, parent,
enterprise number, accounts with their audience and the questions naming it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import LiveServer, start_server, stop_server

BASE = "http://localhost:8000/"
KG = "https://w3id.org/written-questions/kg#"


def html(server: LiveServer, path: str, **params: str) -> str:
    response = httpx.get(server.url.rstrip("/") + path, params=params, headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response.text


def section(page: str, css: str) -> str:
    start = page.index(f'<section class="{css}"')
    return page[start : page.index("</section>", start)]


def text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


# -- a senator with many questions, a minister with open ones: a small graph of its own -----------

QUESTIONS = 30


def _question(n: int) -> str:
    year = 2010 + n % 3
    status = "OpenPastDeadline" if n % 5 == 0 else "AnsweredOnTime"
    days = "" if n % 5 == 0 else f"; kg:daysToAnswer {n}"
    return (
        f'<{BASE}id/question/5-{n}> a kg:Question ; dct:identifier "5-{n}" ; dct:title "Vraag {n:02d}"@nl ; '
        f'dct:dateSubmitted "{year}-03-{1 + n % 28:02d}"^^xsd:date ; dct:creator <{BASE}id/person/senator> ; '
        f"kg:addressee <{BASE}id/person/minister> ; kg:addressedTo <{BASE}id/office/finance> ; "
        f"kg:answerStatus kg:{status}{days} .\n"
    )


GRAPH = f"""
@prefix kg: <{KG}> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <http://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix person: <http://www.w3.org/ns/person#> .
<{BASE}id/person/senator> a person:Person ; foaf:name "Senator S" ; org:memberOf <{BASE}id/party/p> .
<{BASE}id/party/p> foaf:name "Partij P" .
<{BASE}id/person/minister> a person:Person ; foaf:name "Minister M" .
<{BASE}id/office/finance> skos:prefLabel "minister van Financiën"@nl , "ministre des Finances"@fr ;
    org:postIn <{BASE}id/government/g1> ; kg:incumbency <{BASE}id/office/finance/incumbency/m> .
<{BASE}id/office/finance/incumbency/m> kg:incumbent <{BASE}id/person/minister> ; kg:post <{BASE}id/office/finance> ;
    schema:startDate "2009-01-01"^^xsd:date ; schema:endDate "2012-12-31"^^xsd:date .
<{BASE}id/government/g1> skos:prefLabel "Regering G"@nl .
""" + "".join(_question(n) for n in range(1, QUESTIONS + 1))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder: Path = tmp_path_factory.mktemp("people")
    (folder / "graph.ttl").write_text(GRAPH, encoding="utf-8")
    live = start_server(folder)
    yield live
    stop_server(live)


def asked_numbers(page: str) -> list[int]:
    return [
        int(n) for n in re.findall(r'<td><a href="/doc/question/5-\d+[^"]*">5-(\d+)</a></td>', section(page, "asked"))
    ]


def test_senator_page_pages_the_questions_asked(server: LiveServer) -> None:
    first = html(server, "/doc/person/senator", lang="en")
    assert "Partij P" in text(first[: first.index('<section class="asked"')])
    assert len(asked_numbers(first)) == 25
    assert "Page 1 of 2" in text(section(first, "asked"))
    second = html(server, "/doc/person/senator", lang="en", qpage="2")
    assert len(asked_numbers(second)) == QUESTIONS - 25
    assert not set(asked_numbers(first)) & set(asked_numbers(second))


@pytest.mark.parametrize(
    "sort, order, first, last",
    [("number", "asc", 1, 25), ("number", "desc", 30, 6), ("days", "desc", 29, None), ("title", "asc", 1, 25)],
)
def test_senator_questions_sort_by_each_column(
    server: LiveServer, sort: str, order: str, first: int, last: int | None
) -> None:
    numbers = asked_numbers(html(server, "/doc/person/senator", qsort=sort, qorder=order))
    assert numbers[0] == first
    if last is not None:
        assert numbers[-1] == last


def test_senator_sort_links_toggle_and_keep_the_language(server: LiveServer) -> None:
    page = html(server, "/doc/person/senator", lang="fr", qsort="number", qorder="desc")
    links = dict(
        re.findall(r'<th scope="col"(?: aria-sort="[a-z]+")?><a href="([^"]*)"[^>]*>([^<]*)<', section(page, "asked"))
    )
    by_name = {name.strip(" ↑↓"): href.replace("&amp;", "&") for href, name in links.items()}
    assert "qsort=number&qorder=asc" in by_name["Numéro"] and "lang=fr" in by_name["Numéro"]
    assert "qsort=date&qorder=desc" in by_name["Date"]


def test_senator_questions_per_year_is_a_server_drawn_chart(server: LiveServer) -> None:
    page = html(server, "/doc/person/senator", lang="en")
    chart = section(page, "asked")
    assert "<svg" in chart and "<script" not in page
    bars = dict(re.findall(r"<title>(\d{4}): (\d+)</title>", chart))
    assert bars == {"2010": "10", "2011": "10", "2012": "10"}


def test_minister_page_shows_offices_questions_per_office_and_oldest_open(server: LiveServer) -> None:
    page = html(server, "/doc/person/minister", lang="nl")
    offices = section(page, "offices")
    assert "<svg" in offices and "minister van Financiën: 2009-01-01 – 2012-12-31" in offices
    assert "Regering G" in text(offices)
    received = text(section(page, "received"))
    # 30 questions to the office, 24 answered (median of their days), 6 open
    assert re.search(r"minister van Financiën 30 24 \d+(\.\d)? 6", received), received
    oldest = re.findall(r'<a href="/doc/question/5-(\d+)[^"]*">', section(page, "received"))
    assert oldest and all(int(n) % 5 == 0 for n in oldest)


# -- the seeds: a real minister and a real agency ---------------------------------------------------


def test_seed_minister_timeline_and_governments(live_server: LiveServer) -> None:
    page = html(live_server, "/doc/person/melchior-wathelet", lang="nl")
    offices = section(page, "offices")
    assert offices.count('<rect class="period"') == 5
    for government in ("Regering-Leterme I", "Regering-Van Rompuy", "Regering-Leterme II", "Regering-Di Rupo"):
        assert government in text(offices)


def test_agency_page_names_parent_number_accounts_and_mentions(live_server: LiveServer) -> None:
    page = html(live_server, "/doc/agency/dienst-continentaal-plat", lang="en")
    head = text(
        page[page.index('<header class="agency-header">') : page.index("</header>", page.index("agency-header"))]
    )
    for name in ("Dienst Continentaal Plat", "Service Plateau continental", "Continental Shelf Service"):
        assert name in head
    assert "Part of" in head and "Federal Public Service Economy" in head
    platforms = text(section(page, "platforms"))
    assert "Facebook" in platforms and "continentaalplat" in platforms
    mentions = section(page, "mentions")
    assert "5-8913" in mentions and "in the answer" in mentions


def test_agency_enterprise_number_links_the_register(live_server: LiveServer) -> None:
    page = html(live_server, "/doc/agency/fod-financien", lang="fr")
    head = page[page.index('<header class="agency-header">') :]
    assert "0308.357.159" in head and 'href="https://org.belgif.be/id/CbeRegisteredEntity/0308357159"' in head


def test_agency_audience_figures_over_time(live_server: LiveServer) -> None:
    page = html(live_server, "/doc/agency/fod-mobiliteit", lang="en")
    platforms = text(section(page, "platforms"))
    assert re.search(r"474 \( 2 May 2013 \)", platforms), platforms


@pytest.mark.parametrize(
    ("param", "value"), [("qsort", "colour"), ("qorder", "sideways"), ("qpage", "0"), ("qpage", "<b>")]
)
def test_a_bad_sort_or_page_of_the_questions_asked_is_a_400_naming_it(
    server: LiveServer, param: str, value: str
) -> None:
    response = httpx.get(server.url + "doc/person/senator", params={param: value}, headers={"Accept": "text/html"})
    assert response.status_code == 400 and param in response.text and "<b>" not in response.text
