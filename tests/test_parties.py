"""Parties over time: a renamed party is one party whatever name a document prints, with its
names and their dates; a membership says on which days the documents show it (first and last
seen), so a senator who changed party reads right."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from answer_corpus import TEMPLATE

from kg.build.pipeline import build
from kg.reference.parties import PartiesError, load_parties, read_parties
from kg.uris import UriMinter

MINTER = UriMinter()
KG = MINTER.ns_iri
HEADER = "de Martine Taelman (Open Vld) du 1er mai 2013"


def document(number: str, party: str, day: str) -> str:
    """The template question as another number, with another party and date in its header."""
    text = TEMPLATE.read_text(encoding="utf-8").replace("5-8914", number)
    assert HEADER in text
    return text.replace(HEADER, f"de Martine Taelman ({party}) du {day}")


def graph(docs: dict[str, str], folder: Path) -> ox.Store:
    (folder / "docs").mkdir(parents=True)
    for name, text in docs.items():
        (folder / "docs" / name).write_text(text, encoding="utf-8")
    assert not build([folder / "docs"], folder / "out").failed
    store = ox.Store()
    with gzip.open(folder / "out" / "graph.nt.gz", "rb") as handle:
        store.bulk_load(handle.read(), format=ox.RdfFormat.N_TRIPLES)
    return store


def values(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    rows = store.query(query)
    assert isinstance(rows, ox.QuerySolutions)
    return sorted(tuple(term.value if term is not None else "" for term in row) for row in rows)


def test_every_name_of_a_renamed_party_is_one_party() -> None:
    parties = load_parties()
    assert parties.key("sp.a") == parties.key("SP.A") == parties.key("Vooruit") == "sp-a"
    assert parties.key("cdH") == parties.key("Les Engagés") == "cdh"
    assert parties.key("Open Vld") == "open-vld"  # not in the file: minted from the name
    vooruit = parties.find("Vooruit")
    assert vooruit is not None
    assert vooruit.name_on(date(2019, 5, 26)) == "sp.a" and vooruit.name_on(date(2021, 3, 21)) == "Vooruit"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('[[party]]\nid = "Not A Slug"\nnames = [{ name = "x" }]\n', "URI slug"),
        ('[[party]]\nid = "a"\nnames = [{ name = "x" }]\n[[party]]\nid = "b"\nnames = [{ name = "X" }]\n', "already"),
        ('[[party]]\nid = "a"\nnames = []\n', "at least one name"),
        ('[[party]]\nid = "a"\nnames = [{ name = "x", from = "21/3/2021" }]\n', "2021-03-21"),
    ],
)
def test_a_bad_parties_file_names_the_entry(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "parties.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PartiesError, match=says):
        read_parties(path)


def test_documents_printing_either_name_give_one_party_with_its_names_and_dates(tmp_path: Path) -> None:
    store = graph(
        {"a.txt": document("5-9101", "sp.a", "1er mai 2013"), "b.txt": document("5-9102", "Vooruit", "3 juin 2013")},
        tmp_path,
    )
    party = MINTER.party("sp-a")
    parties = values(
        store, f"SELECT DISTINCT ?p WHERE {{ ?p a <{KG}PoliticalParty> FILTER(CONTAINS(STR(?p), 'vooruit')) }}"
    )
    assert parties == []  # no second party under the new name
    assert values(store, f"SELECT ?l WHERE {{ <{party}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}") == [
        ("Vooruit",)
    ]
    names = values(
        store,
        f"""SELECT ?name ?from WHERE {{ <{party}> <{KG}partyName> ?n . ?n <http://www.w3.org/2000/01/rdf-schema#label> ?name
            OPTIONAL {{ ?n <http://schema.org/startDate> ?from }} }}""",
    )
    assert ("Vooruit", "2021-03-21") in names and any(name[0] == "sp.a" for name in names)
    membership = MINTER.person("Martine Taelman") + "/membership/sp-a"
    seen = values(store, f"SELECT ?f ?l WHERE {{ <{membership}> <{KG}firstSeen> ?f ; <{KG}lastSeen> ?l }}")
    assert seen == [("2013-05-01", "2013-06-03")]


def test_a_senator_who_changed_party_has_two_memberships_each_with_its_days(tmp_path: Path) -> None:
    store = graph(
        {
            "a.txt": document("5-9201", "Open Vld", "1er mai 2013"),
            "b.txt": document("5-9202", "Open Vld", "2 mai 2013"),
            "c.txt": document("5-9203", "N-VA", "3 juin 2013"),
        },
        tmp_path,
    )
    person = MINTER.person("Martine Taelman")
    rows = values(
        store,
        f"""SELECT ?party ?f ?l WHERE {{ ?m <http://www.w3.org/ns/org#member> <{person}> ;
            <http://www.w3.org/ns/org#organization> ?party ; <{KG}firstSeen> ?f ; <{KG}lastSeen> ?l }}""",
    )
    assert rows == [
        (MINTER.party("N-VA"), "2013-06-03", "2013-06-03"),
        (MINTER.party("Open Vld"), "2013-05-01", "2013-05-02"),
    ]


def test_an_incremental_build_keeps_the_days_of_the_documents_left(tmp_path: Path) -> None:
    docs = {
        "a.txt": document("5-9301", "Open Vld", "1er mai 2013"),
        "b.txt": document("5-9302", "Open Vld", "9 juin 2013"),
    }
    store = graph(docs, tmp_path)
    membership = MINTER.person("Martine Taelman") + "/membership/open-vld"
    query = f"SELECT ?f ?l WHERE {{ <{membership}> <{KG}firstSeen> ?f ; <{KG}lastSeen> ?l }}"
    assert values(store, query) == [("2013-05-01", "2013-06-09")]
    (tmp_path / "docs" / "b.txt").unlink()
    assert build([tmp_path / "docs"], tmp_path / "out").reused == 1
    again = ox.Store()
    with gzip.open(tmp_path / "out" / "graph.nt.gz", "rb") as handle:
        again.bulk_load(handle.read(), format=ox.RdfFormat.N_TRIPLES)
    assert values(again, query) == [("2013-05-01", "2013-05-01")]


def test_pages_name_a_renamed_party_as_it_was_on_the_day(tmp_path: Path) -> None:
    """A 2013 question printed "(sp.a)": its page says sp.a, though the party is Vooruit now."""
    import httpx
    from conftest import start_server, stop_server

    graph({"a.txt": document("5-9401", "sp.a", "1er mai 2013")}, tmp_path)
    live = start_server(tmp_path / "out")
    try:
        page = httpx.get(live.url + "doc/question/5-9401", params={"lang": "nl"}, timeout=60).text
        asked_by = next(line for line in page.splitlines() if "<dt>Gesteld door</dt>" in line)
        assert ">sp.a</a>)" in asked_by and "Vooruit" not in asked_by
        person = httpx.get(live.url + "doc/person/martine-taelman", params={"lang": "nl"}, timeout=60).text
        parties = next(line for line in person.splitlines() if "/doc/party/sp-a" in line)
        assert ">sp.a</a>" in parties and "Vooruit" not in parties
    finally:
        stop_server(live)
