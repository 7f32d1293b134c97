"""One identity per person: spellings of one person give one URI, two people of one name give
two, a name the reference data does not know gets a person flagged as not reconciled, and the
build lists those names."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest

from kg.build.pipeline import build
from kg.paths import SEEDS_DIR
from kg.reference.governments import load_governments
from kg.reference.people import People, Person, parse_people

BASE = "http://localhost:8000/"
SEED = SEEDS_DIR / "5-8916-nl.txt"
AUTHOR_LINE = "van Martine Taelman (Open Vld) d.d. 30 april 2013"


def documents(folder: Path, authors: dict[str, tuple[str, str]]) -> Path:
    """Copies of a seed question by other authors on other days: name -> (author, Dutch date)."""
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    assert AUTHOR_LINE in text
    for number, (name, (author, written)) in enumerate(sorted(authors.items()), start=1):
        copy = text.replace(AUTHOR_LINE, f"van {author} (Open Vld) d.d. {written}")
        (folder / name).write_text(copy.replace("5-8916", f"5-{9200 + number}"), encoding="utf-8")
    return folder


def creators(out: Path) -> dict[str, str]:
    """Question number -> the URI of its author, read from the graph file the build wrote."""
    found = {}
    with gzip.open(out / "graph.nt.gz", "rt", encoding="utf-8") as graph:
        for line in graph:
            if "<http://purl.org/dc/terms/creator>" in line:
                subject, _, creator = line.split(" ", 3)[:3]
                found[subject.rsplit("/", 1)[-1].rstrip(">")] = creator
    return found


def lines_about(out: Path, uri: str) -> list[str]:
    with gzip.open(out / "graph.nt.gz", "rt", encoding="utf-8") as graph:
        return [line.rstrip("\n") for line in graph if line.startswith(uri)]


def test_two_spellings_of_one_person_give_one_uri(tmp_path: Path) -> None:
    docs = documents(
        tmp_path / "docs",
        {
            "a.txt": ("Carl Devlies", "30 april 2013"),
            "b.txt": ("Carl De Vlies", "30 april 2013"),
            "c.txt": ("Joëlle Milquet", "30 april 2013"),
            "d.txt": ("Joelle Milquet", "30 april 2013"),
        },
    )
    report = build([docs], tmp_path / "out")
    assert report.ok and not report.unreconciled
    by_number = creators(tmp_path / "out")
    assert by_number["5-9201"] == by_number["5-9202"] == f"<{BASE}id/person/carl-devlies>"
    assert by_number["5-9203"] == by_number["5-9204"] == f"<{BASE}id/person/joelle-milquet>"
    devlies = lines_about(tmp_path / "out", f"<{BASE}id/person/carl-devlies>")
    assert f'<{BASE}id/person/carl-devlies> <http://xmlns.com/foaf/0.1/name> "Carl Devlies" .' in devlies
    assert f'<{BASE}id/person/carl-devlies> <http://www.w3.org/2004/02/skos/core#altLabel> "Carl De Vlies" .' in devlies
    assert any('kg#reconciled> "true"' in line for line in devlies)


def test_two_people_of_one_name_give_two_uris(tmp_path: Path) -> None:
    people = load_governments().people
    son, father = (
        people.identify("Melchior Wathelet", date(2012, 1, 1)),
        people.identify("Melchior Wathelet", date(1995, 7, 1)),
    )
    assert son.id == "melchior-wathelet" and father.id == "melchior-wathelet-1949"
    assert son.person is not None and father.person is not None
    assert (son.person.born, father.person.born) == (date(1977, 9, 30), date(1949, 3, 6))
    # Between their years the bare name says not which: a person of its own, not reconciled.
    between = people.identify("Melchior Wathelet", date(2002, 1, 1))
    assert not between.reconciled and between.id not in {son.id, father.id}
    # A spelling only one of them used settles it whatever the day.
    assert people.identify("Melchior Wathelet Jr.", date(2002, 1, 1)).id == son.id
    docs = documents(
        tmp_path / "docs",
        {"a.txt": ("Melchior Wathelet", "12 maart 1996"), "b.txt": ("Melchior Wathelet", "30 april 2013")},
    )
    assert build([docs], tmp_path / "out").ok
    by_number = creators(tmp_path / "out")
    assert by_number["5-9201"] == f"<{BASE}id/person/melchior-wathelet-1949>"
    assert by_number["5-9202"] == f"<{BASE}id/person/melchior-wathelet>"


def test_an_unknown_name_gets_a_person_flagged_not_reconciled_and_listed(tmp_path: Path) -> None:
    docs = documents(
        tmp_path / "docs",
        {
            "a.txt": ("Jan Janssens", "30 april 2013"),
            "b.txt": ("Jan Janssens", "2 mei 2013"),
            "c.txt": ("Martine Taelman", "30 april 2013"),
        },
    )
    report = build([docs], tmp_path / "out")
    assert dict(report.unreconciled) == {"Jan Janssens": 2}
    assert "  unreconciled person (2): Jan Janssens" in report.summary().splitlines()
    info = json.loads((tmp_path / "out" / "build.json").read_text(encoding="utf-8"))
    assert info["unreconciled_people"] == [{"name": "Jan Janssens", "questions": 2}]
    janssens = lines_about(tmp_path / "out", f"<{BASE}id/person/jan-janssens>")
    assert any('kg#reconciled> "false"' in line for line in janssens)
    assert not any("owl#sameAs" in line for line in janssens)


def test_every_holder_in_the_governments_is_a_known_person() -> None:
    governments = load_governments()
    for office in governments.offices.values():
        for holding in office.holders:
            identity = governments.holder(holding)
            assert identity.reconciled, (office.key, holding.person)
            assert identity.name == holding.person, (office.key, holding.person)


def test_wikidata_items_only_where_the_checked_source_gives_them() -> None:
    people = load_governments().people
    assert people.by_id("melchior-wathelet").wikidata == "Q212717"  # not the father's, as one list has it
    assert people.by_id("melchior-wathelet-1949").wikidata == "Q369909"
    assert people.by_id("joelle-milquet").wikidata == "Q446756"
    assert people.by_id("jan-peeters").wikidata is None  # a namesake sat in the Chamber; held office only in 1995-99
    assert people.by_id("guy-verhofstadt").wikidata is None  # not in the source consulted
    for person in people.people:
        assert person.wikidata is None or (person.wikidata.startswith("Q") and person.wikidata[1:].isdigit())


@pytest.mark.parametrize(
    "data, message",
    [
        ({"person": [{"id": "a-b", "name": "A B"}, {"id": "a-b", "name": "A. B."}]}, "duplicate person id"),
        ({"person": [{"id": "A B", "name": "A B"}]}, "is a slug"),
        ({"person": [{"name": "A B"}]}, "needs an id and a name"),
        ({"person": [{"id": "a-b", "name": "A B", "born": "1950"}]}, "born must be a date"),
    ],
)
def test_broken_people_data_is_refused(data: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_people(data)


def test_an_unknown_name_that_is_a_known_id_does_not_take_that_persons_uri() -> None:
    people = People(
        [
            Person("jan-peeters", "Jan Peeters", since=date(1995, 1, 1), until=date(1999, 12, 31)),
            Person("jan-peeters-1970", "Jan Peeters", since=date(2007, 1, 1)),
        ]
    )
    assert people.identify("Jan Peeters", date(1996, 1, 1)).id == "jan-peeters"
    assert people.identify("Jan Peeters", date(2010, 1, 1)).id == "jan-peeters-1970"
    assert people.identify("Jan Peeters", date(2003, 1, 1)).id == "jan-peeters-unreconciled"
