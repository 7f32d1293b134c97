"""The example queries about agencies and social media (`queries/*.rq`), run on the seeds graph
with the prefixes the endpoint declares for them: each must find what the seed answers say."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import SEED_AGENCIES

from kg.paths import QUERIES_DIR
from kg.rdf.vocab import prefixes
from kg.uris import UriMinter

MINTER = UriMinter()
AGENCY = MINTER.base + "id/agency/"
SOCIAL_QUERIES = {
    "agencies.rq",
    "agency-platforms.rq",
    "social-media-accounts.rq",
    "audience-figures.rq",
    "agencies-without-social-media.rq",
    "planned-channels.rq",
    "channels-active-since.rq",
    "social-media-policies.rq",
    "agency-answered-for-by.rq",
    "accounts-per-minister.rq",
}
ECONOMY = "Federale Overheidsdienst Economie, K.M.O., Middenstand en Energie"
STATBEL = "Algemene Directie Statistiek - Statistics Belgium"


@pytest.fixture(scope="module")
def graph(seeds_out: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(seeds_out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    return store


def run(store: ox.Store, name: str) -> list[tuple[str | None, ...]]:
    text = (QUERIES_DIR / name).read_text(encoding="utf-8")
    results = store.query(text, prefixes=prefixes(MINTER.ns_iri))
    if isinstance(results, ox.QuerySolutions):
        return [tuple(term.value if term is not None else None for term in row) for row in results]
    return [(t.subject.value, t.predicate.value, t.object.value) for t in results]  # type: ignore[union-attr]


def key(uri: str | None) -> str | None:
    return uri[len(AGENCY) :] if uri and uri.startswith(AGENCY) else uri


@pytest.mark.parametrize("name", sorted(SOCIAL_QUERIES))
def test_each_query_says_what_it_answers(name: str) -> None:
    first = (QUERIES_DIR / name).read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# ") and len(first) > 20


def test_every_agency_the_texts_name_once(graph: ox.Store) -> None:
    rows = run(graph, "agencies.rq")
    assert sorted(key(row[0]) for row in rows) == sorted(SEED_AGENCIES)
    by_key = {key(row[0]): row for row in rows}
    assert by_key["statbel"][2] == ECONOMY
    assert by_key["fod-financien"][3] == "2"  # named in both questions
    assert by_key["fedasil"][3] == "1"


def test_which_agencies_use_which_platforms(graph: ox.Store) -> None:
    rows = run(graph, "agency-platforms.rq")
    assert {(key(agency), platform) for agency, _, platform, _ in rows} == {
        ("fod-financien", "Twitter"),
        ("fod-kanselarij", "Twitter"),
        ("fod-mobiliteit", "Twitter"),
        ("fod-volksgezondheid", "Facebook"),
        ("fod-volksgezondheid", "Twitter"),
        ("fod-volksgezondheid", "LinkedIn"),
        ("statbel", "Twitter"),
        ("statbel", "Facebook"),
        ("fod-economie", "Facebook"),
        ("fod-economie", "Twitter"),
        ("dienst-continentaal-plat", "Facebook"),
        ("fod-binnenlandse-zaken", "Facebook"),
        ("cgvs", "Facebook"),
        ("fedasil", "Facebook"),
        ("pod-maatschappelijke-integratie", "Facebook"),
        ("pod-maatschappelijke-integratie", "Twitter"),
    }
    accounts = {(key(agency), platform): names for agency, _, platform, names in rows}
    # GROUP_CONCAT has no defined order: compare the accounts as a set
    assert set((accounts[("statbel", "Twitter")] or "").split(", ")) == {"@statbel_en", "@statbel_fr", "@statbel_nl"}
    assert accounts[("cgvs", "Facebook")] == "Facebook-account van Federale Overheidsdienst Binnenlandse Zaken"
    assert accounts[("fedasil", "Facebook")] is None  # "maakt gebruik van Facebook": no account named


def test_every_handle_and_url_is_an_account_of_the_right_agency(graph: ox.Store) -> None:
    rows = run(graph, "social-media-accounts.rq")
    assert len(rows) == len({row[0] for row in rows}) == 14
    named = {(platform, owner, handle or page) for _, platform, owner, handle, page, _, _ in rows if handle or page}
    shelf = "Dienst Continentaal Plat"
    pages = "https://www.facebook.com/pages/"
    assert named == {
        ("Twitter", "Federale Overheidsdienst Financiën", "FOD_Financien"),
        ("Twitter", "Federale Overheidsdienst Kanselarij van de Eerste Minister", "belgiumbe"),
        ("Twitter", STATBEL, "statbel_nl"),
        ("Twitter", STATBEL, "statbel_fr"),
        ("Twitter", STATBEL, "statbel_en"),
        ("Facebook", STATBEL, pages + "Statistics-Belgium-NL/276179792458308"),
        ("Facebook", STATBEL, pages + "Statistics-Belgium-FR/296451327090320"),
        ("Facebook", STATBEL, pages + "Statistics-Belgium-EN/217351098363952"),
        ("Facebook", ECONOMY, "https://www.facebook.com/Pasoplichting"),
        ("Facebook", ECONOMY, "https://www.facebook.com/Marnaque"),
        ("Facebook", shelf, "https://www.facebook.com/continentaalplat"),
        ("Facebook", shelf, pages + "Service-Plateau-Continental/319506274818192"),
    }
    languages = {handle: language for _, _, _, handle, _, language, _ in rows if handle}
    eu = "http://publications.europa.eu/resource/authority/language/"
    assert (languages["statbel_nl"], languages["statbel_fr"], languages["statbel_en"]) == (
        eu + "NLD",
        eu + "FRA",
        eu + "ENG",
    )
    topics = {row[0].rsplit("/", 1)[1]: row[6] for row in rows}  # type: ignore[union-attr]
    assert topics["pasoplichting"] == "consumentenbedrog"
    assert topics["statbel-nl"] == "statistieken en cijfers"


def test_audience_figures(graph: ox.Store) -> None:
    account = MINTER.account("twitter", "of-fod-mobiliteit")
    assert run(graph, "audience-figures.rq") == [
        (
            "Federale Overheidsdienst Mobiliteit en Vervoer",
            "Twitter",
            account,
            "474",
            "http://schema.org/FollowAction",
            "nl",
            "2013-05-02",
        ),
        (
            "Federale Overheidsdienst Mobiliteit en Vervoer",
            "Twitter",
            account,
            "136",
            "http://schema.org/FollowAction",
            "fr",
            "2013-05-02",
        ),
    ]


def test_agencies_without_social_media(graph: ox.Store) -> None:
    answer = MINTER.question("5-8916") + "/answer"
    assert [
        (key(agency), sentence, source)
        for agency, _, sentence, source in run(graph, "agencies-without-social-media.rq")
    ] == [
        ("dvz", "De Dienst Vreemdelingenzaken maakt geen gebruik van sociale media.", answer),
        ("rvv", "De Raad voor Vreemdelingenbetwistingen maakt geen gebruik van sociale media.", answer),
    ]


def test_planned_channels(graph: ox.Store) -> None:
    assert [
        (name, platform, year, conditional)
        for name, platform, year, conditional, _ in run(graph, "planned-channels.rq")
    ] == [
        ("Federaal Agentschap voor de opvang van asielzoekers", "Twitter", "2013", "false"),
        ("Federale Overheidsdienst Mobiliteit en Vervoer", "Facebook", None, "true"),
        ("Federale Overheidsdienst Mobiliteit en Vervoer", "LinkedIn", None, "false"),
    ]


def test_channels_active_since(graph: ox.Store) -> None:
    ((name, platform, since, sentence),) = run(graph, "channels-active-since.rq")
    assert (name, platform, since) == (ECONOMY, None, "2012-12-03")
    assert "sinds 3 december 2012 actief" in (sentence or "")


def test_policies_and_abuse(graph: ox.Store) -> None:
    rows = {(name, what) for name, what, _ in run(graph, "social-media-policies.rq")}
    fedasil = "Federaal Agentschap voor de opvang van asielzoekers"
    assert {what for name, what in rows if name == fedasil} == {"ManagementNote", "Guidelines", "no abuse known"}
    assert {what for name, what in rows if name == ECONOMY} == {
        "PostingSchedule",
        "EditorialControl",
        "Guidelines",
        "Monitoring",
        "no abuse known",
    }
    assert sum(what == "no abuse known" for _, what in rows) == 6
    assert not any(what == "abuse known" for _, what in rows)


def test_the_office_that_answered_for_each_agency(graph: ox.Store) -> None:
    offices: dict[str | None, set[str]] = {}
    for agency, _, office in run(graph, "agency-answered-for-by.rq"):
        offices.setdefault(key(agency), set()).add((office or "").rsplit("/", 1)[1])
    assert offices["dvz"] == {"di-rupo-state-secretary-asylum-migration"}
    assert "di-rupo-state-secretary-environment-energy-mobility" in offices["fod-mobiliteit"]
    assert set(offices) == {
        "dvz",
        "cgvs",
        "fod-binnenlandse-zaken",
        "rvv",
        "fedasil",
        "pod-maatschappelijke-integratie",
        "fod-mobiliteit",
        "fod-volksgezondheid",
        "fod-economie",
        "statbel",
        "dienst-continentaal-plat",
    }


def test_accounts_per_minister(graph: ox.Store) -> None:
    rows = run(graph, "accounts-per-minister.rq")
    assert {person for person, _, _, _ in rows} == {"Maggie De Block", "Melchior Wathelet"}
    assert (
        "Maggie De Block",
        "Federale Overheidsdienst Binnenlandse Zaken",
        "Facebook-account van Federale Overheidsdienst Binnenlandse Zaken",
    ) in {(person, agency, accounts) for person, _, agency, accounts in rows}
    wathelet = {
        agency: accounts
        for person, office, agency, accounts in rows
        if person == "Melchior Wathelet" and "Mobiliteit" in (office or "")
    }
    assert (
        wathelet["Federale Overheidsdienst Mobiliteit en Vervoer"]
        == "Twitter-account van Federale Overheidsdienst Mobiliteit en Vervoer"
    )
    assert set((wathelet[STATBEL] or "").split(", ")) == {
        "@statbel_nl",
        "@statbel_fr",
        "@statbel_en",
        "Statistics-Belgium-NL",
        "Statistics-Belgium-FR",
        "Statistics-Belgium-EN",
    }
