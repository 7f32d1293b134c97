"""Every federal government since 1995: printed addressee lines, in Dutch and French, resolve on
their date to the person the reference data's sources name, and to nobody where they name no one.

Each line goes through the parser's own addressee splitting (`kg.parse.offices`), as a question's
addressee does, then through `Governments.resolve` on the question's date.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from kg.parse.offices import parse_offices
from kg.reference.governments import Governments, load_governments

_PREPOSITION = re.compile(r"^(?:aan|à|au|aux)\s+")  # as kg.parse.phrases reads the addressee line


@pytest.fixture(scope="module")
def governments() -> Governments:
    return load_governments()


def holder(governments: Governments, line: str, language: str, on: date) -> str | None:
    """Who the first office of a printed addressee line ("aan de ...", "au ...") names on `on`.
    The preposition goes as the parser's addressee pattern takes it off."""
    offices = parse_offices(_PREPOSITION.sub("", line), language)  # type: ignore[arg-type]
    assert offices, line
    resolved = governments.resolve(offices, on)[0]
    return resolved.holder.person if resolved.holder is not None else None


# (government, printed line, language, date, person or None). The four examples first.
CASES = [
    (
        "leterme-i",
        "aan de vice-eersteminister en minister van Justitie en Institutionele Hervormingen",
        "nl",
        date(2008, 4, 22),
        "Jo Vandeurzen",
    ),
    ("michel-i", "aan de minister van Justitie", "nl", date(2017, 3, 1), "Koen Geens"),
    (
        "de-croo",
        "aan de vice-eersteminister en minister van Justitie en Noordzee",
        "nl",
        date(2021, 6, 1),
        "Vincent Van Quickenborne",
    ),
    ("de-croo", "aan de eerste minister", "nl", date(2023, 3, 1), "Alexander De Croo"),
    # Dehaene II: the Dutroux escape (23 April 1998) and Tobback's oath the next day.
    (
        "dehaene-ii",
        "aan de vice-eerste minister en minister van Binnenlandse Zaken",
        "nl",
        date(1998, 4, 23),
        "Johan Vande Lanotte",
    ),
    ("dehaene-ii", "au vice-premier ministre et ministre de l'Intérieur", "fr", date(1998, 4, 24), "Louis Tobback"),
    ("dehaene-ii", "à la ministre de l'Emploi et du Travail", "fr", date(1996, 3, 1), "Miet Smet"),
    (
        "dehaene-ii",
        "aan de staatssecretaris voor Ontwikkelingssamenwerking",
        "nl",
        date(1997, 1, 10),
        "Reginald Moreels",
    ),
    ("dehaene-ii", "aan de minister van Justitie", "nl", date(1998, 5, 15), None),  # Van Parys: day unconfirmed
    # Verhofstadt I, and the hand-over to Verhofstadt II on 12 July 2003.
    (
        "verhofstadt-i",
        "aan de vice-eerste minister en minister van Werkgelegenheid",
        "nl",
        date(2000, 5, 1),
        "Laurette Onkelinx",
    ),
    ("verhofstadt-i", "au ministre de la Justice", "fr", date(2001, 3, 1), "Marc Verwilghen"),
    ("verhofstadt-i", "aan de minister van Justitie", "nl", date(2003, 7, 11), "Marc Verwilghen"),
    ("verhofstadt-ii", "aan de minister van Justitie", "nl", date(2003, 7, 12), "Laurette Onkelinx"),
    # Verhofstadt II: the reshuffle of July 2004 (dated 18 or 20 July by the sources) and a
    # state secretary attached to the minister of Foreign Affairs, replaced on 12 February 2004.
    (
        "verhofstadt-ii",
        "au vice-premier ministre et ministre des Affaires étrangères",
        "fr",
        date(2004, 7, 17),
        "Louis Michel",
    ),
    ("verhofstadt-ii", "au ministre des Affaires étrangères", "fr", date(2004, 7, 19), None),
    ("verhofstadt-ii", "aan de minister van Buitenlandse Zaken", "nl", date(2004, 7, 20), "Karel De Gucht"),
    (
        "verhofstadt-ii",
        "aan de staatssecretaris voor Europese Zaken, toegevoegd aan de minister van Buitenlandse Zaken",
        "nl",
        date(2004, 2, 11),
        "Jacques Simonet",
    ),
    (
        "verhofstadt-ii",
        "au secrétaire d'État aux Affaires européennes, adjoint au ministre des Affaires étrangères",
        "fr",
        date(2004, 2, 12),
        "Didier Donfut",
    ),
    # Verhofstadt III, and the hand-over to Leterme I on 20 March 2008.
    (
        "verhofstadt-iii",
        "aan de vice-eersteminister en minister van Begroting, Mobiliteit en Institutionele Hervormingen",
        "nl",
        date(2008, 1, 15),
        "Yves Leterme",
    ),
    ("verhofstadt-iii", "au ministre de l'Emploi", "fr", date(2008, 2, 1), "Josly Piette"),
    ("verhofstadt-iii", "aan de eerste minister", "nl", date(2008, 3, 19), "Guy Verhofstadt"),
    ("leterme-i", "aan de eerste minister", "nl", date(2008, 3, 20), "Yves Leterme"),
    # Leterme I: state secretaries attached to the prime minister.
    (
        "leterme-i",
        "à la vice-première ministre et ministre de l'Emploi et de l'Égalité des chances",
        "fr",
        date(2008, 6, 1),
        "Joëlle Milquet",
    ),
    (
        "leterme-i",
        "aan de staatssecretaris voor Mobiliteit, toegevoegd aan de eerste minister",
        "nl",
        date(2008, 5, 1),
        "Etienne Schouppe",
    ),
    (
        "leterme-i",
        "au secrétaire d'État à la Coordination de la lutte contre la fraude, adjoint au Premier ministre",
        "fr",
        date(2008, 10, 1),
        "Carl Devlies",
    ),
    # Van Rompuy: the reshuffle of 17 July 2009.
    ("van-rompuy", "au ministre des Affaires étrangères", "fr", date(2009, 7, 16), "Karel De Gucht"),
    ("van-rompuy", "au ministre des Affaires étrangères", "fr", date(2009, 7, 17), "Yves Leterme"),
    ("van-rompuy", "aan de minister van Justitie", "nl", date(2009, 3, 1), "Stefaan De Clerck"),
    (
        "van-rompuy",
        "aan de staatssecretaris voor Mobiliteit, toegevoegd aan de eerste minister",
        "nl",
        date(2009, 5, 1),
        "Etienne Schouppe",
    ),
    ("van-rompuy", "aan de minister van Begroting", "nl", date(2009, 6, 1), None),  # Vanhengel came in July
    # Leterme II.
    ("leterme-ii", "au ministre de la Coopération au développement", "fr", date(2011, 2, 13), "Charles Michel"),
    (
        "leterme-ii",
        "au ministre de la Coopération au développement, chargé des Affaires européennes",
        "fr",
        date(2011, 2, 14),
        "Olivier Chastel",
    ),
    (
        "leterme-ii",
        "au secrétaire d'État à la Mobilité, adjoint au Premier ministre",
        "fr",
        date(2010, 3, 1),
        "Etienne Schouppe",
    ),
    ("leterme-ii", "aan de minister van Justitie", "nl", date(2010, 5, 1), "Stefaan De Clerck"),
    # Di Rupo, and the hand-over to Michel I on 11 October 2014.
    ("di-rupo", "à la ministre de la Justice", "fr", date(2013, 1, 1), "Annemie Turtelboom"),
    ("di-rupo", "aan de eerste minister", "nl", date(2014, 10, 10), "Elio Di Rupo"),
    ("michel-i", "aan de eerste minister", "nl", date(2014, 10, 11), "Charles Michel"),
    (
        "di-rupo",
        "aan de staatssecretaris voor Asiel en Migratie, Maatschappelijke Integratie en "
        "Armoedebestrijding, toegevoegd aan de minister van Justitie",
        "nl",
        date(2013, 4, 30),
        "Maggie De Block",
    ),
    # Michel I: Galant resigned on Friday 15 April 2016, Bellot took the oath on Monday 18 April;
    # Tommelein's state secretariat, attached to the minister of Social Affairs, passed on 2 May 2016.
    (
        "michel-i",
        "à la ministre de la Mobilité, chargée de Belgocontrol et de la Société nationale des chemins de fer belges",
        "fr",
        date(2016, 4, 15),
        "Jacqueline Galant",
    ),
    ("michel-i", "au ministre de la Mobilité", "fr", date(2016, 4, 16), None),
    ("michel-i", "aan de minister van Mobiliteit", "nl", date(2016, 4, 18), "François Bellot"),
    (
        "michel-i",
        "aan de staatssecretaris voor Bestrijding van de sociale fraude, Privacy en Noordzee, toegevoegd "
        "aan de minister van Sociale Zaken en Volksgezondheid",
        "nl",
        date(2016, 5, 1),
        "Bart Tommelein",
    ),
    (
        "michel-i",
        "au secrétaire d'État à la Lutte contre la fraude sociale, à la Protection de la vie privée et à "
        "la Mer du Nord, adjoint à la ministre des Affaires sociales et de la Santé publique",
        "fr",
        date(2016, 5, 2),
        "Philippe De Backer",
    ),
    (
        "michel-i",
        "au secrétaire d'État au Commerce extérieur, adjoint au ministre de l'Emploi, de l'Économie et "
        "des Consommateurs, chargé du Commerce extérieur",
        "fr",
        date(2015, 1, 1),
        "Pieter De Crem",
    ),
    # Michel II: Peeters left for the European Parliament, Beke took the oath on 2 July 2019.
    (
        "michel-ii",
        "aan de vice-eersteminister en minister van Werk, Economie en Consumenten, belast met "
        "Buitenlandse Handel, Armoedebestrijding, Gelijke Kansen en Personen met een beperking",
        "nl",
        date(2019, 7, 2),
        "Wouter Beke",
    ),
    ("michel-ii", "au ministre de la Sécurité et de l'Intérieur", "fr", date(2019, 1, 15), "Pieter De Crem"),
    ("michel-ii", "aan de minister van Justitie", "nl", date(2019, 3, 1), "Koen Geens"),
    # Wilmès I: Goffin took Foreign Affairs and Defence from Reynders on 30 November 2019.
    ("wilmes-i", "aan de eerste minister", "nl", date(2019, 12, 1), "Sophie Wilmès"),
    ("wilmes-i", "à la Première ministre", "fr", date(2020, 1, 10), "Sophie Wilmès"),
    ("wilmes-i", "au ministre des Affaires étrangères et de la Défense", "fr", date(2019, 11, 29), "Didier Reynders"),
    ("wilmes-i", "au ministre des Affaires étrangères et de la Défense", "fr", date(2019, 11, 30), "Philippe Goffin"),
    # Wilmès II.
    (
        "wilmes-ii",
        "aan de vice-eersteminister en minister van Begroting en van Ambtenarenzaken, belast met de "
        "Nationale Loterij en Wetenschapsbeleid",
        "nl",
        date(2020, 5, 1),
        "David Clarinval",
    ),
    ("wilmes-ii", "à la Première ministre", "fr", date(2020, 3, 17), "Sophie Wilmès"),
    (
        "wilmes-ii",
        "à la ministre des Affaires sociales et de la Santé publique, et de l'Asile et la Migration",
        "fr",
        date(2020, 6, 1),
        "Maggie De Block",
    ),
    # De Croo: Van Quickenborne resigned on Friday 20 October 2023, Van Tigchelt took the oath on
    # Sunday 22 October; state secretaries attached to a minister and to the prime minister.
    (
        "de-croo",
        "au vice-premier ministre et ministre de la Justice et de la Mer du Nord",
        "fr",
        date(2023, 10, 21),
        None,
    ),
    (
        "de-croo",
        "au vice-premier ministre et ministre de la Justice et de la Mer du Nord",
        "fr",
        date(2023, 10, 22),
        "Paul Van Tigchelt",
    ),
    (
        "de-croo",
        "aan de staatssecretaris voor Relance en Strategische Investeringen, belast met "
        "Wetenschapsbeleid, toegevoegd aan de minister van Economie en Werk",
        "nl",
        date(2021, 1, 1),
        "Thomas Dermine",
    ),
    (
        "de-croo",
        "au secrétaire d'État à la Digitalisation, chargé de la Simplification administrative, de la "
        "Protection de la vie privée et de la Régie des bâtiments, adjoint au Premier ministre",
        "fr",
        date(2022, 1, 1),
        "Mathieu Michel",
    ),
    (
        "de-croo",
        "à la secrétaire d'État au Budget et à la Protection des consommateurs",
        "fr",
        date(2022, 11, 18),
        "Alexia Bertrand",
    ),
    # De Wever, from the hand-over of 3 February 2025.
    ("de-croo", "au Premier ministre", "fr", date(2025, 2, 2), "Alexander De Croo"),
    ("de-wever", "au Premier ministre", "fr", date(2025, 2, 3), "Bart De Wever"),
    ("de-wever", "aan de minister van Justitie, belast met Noordzee", "nl", date(2025, 6, 1), "Annelies Verlinden"),
    ("de-wever", "au ministre de la Défense, chargé du Commerce extérieur", "fr", date(2025, 6, 1), "Theo Francken"),
]


@pytest.mark.parametrize(
    "government, line, language, on, person",
    CASES,
    ids=[f"{c[0]}-{c[3].isoformat()}-{c[2]}-{c[4] or 'nobody'}" for c in CASES],
)
def test_printed_office_resolves_to_the_holder_on_its_date(
    governments: Governments, government: str, line: str, language: str, on: date, person: str | None
) -> None:
    assert [g.key for g in governments.in_office(on)] == [government]
    assert holder(governments, line, language, on) == person


def test_every_government_since_1995_has_at_least_three_cases_in_both_languages() -> None:
    for government in load_governments().governments:
        cases = [c for c in CASES if c[0] == government.key]
        assert len(cases) >= 3, government.key
        assert {c[2] for c in cases} == {"nl", "fr"}, government.key


def test_governments_follow_each_other_from_1995_without_a_gap(governments: Governments) -> None:
    keys = [g.key for g in governments.governments]
    assert keys == [
        "dehaene-ii",
        "verhofstadt-i",
        "verhofstadt-ii",
        "verhofstadt-iii",
        "leterme-i",
        "van-rompuy",
        "leterme-ii",
        "di-rupo",
        "michel-i",
        "michel-ii",
        "wilmes-i",
        "wilmes-ii",
        "de-croo",
        "de-wever",
    ]
    for before, after in zip(governments.governments, governments.governments[1:]):
        # The next one starts on the day the last one ends (the hand-over) or the day after.
        assert before.end is not None and 0 <= (after.start - before.end).days <= 1, (before.key, after.key)
    assert governments.governments[-1].end is None  # the one in office now


def test_no_government_before_june_1995(governments: Governments) -> None:
    assert governments.in_office(date(1995, 6, 22)) == []
    assert holder(governments, "aan de eerste minister", "nl", date(1995, 6, 22)) is None


def test_legislatures_one_to_eight_with_their_dates(governments: Governments) -> None:
    legislatures = {leg.number: leg for leg in governments.legislatures}
    assert sorted(legislatures) == list(range(1, 9))
    assert legislatures[1].start == date(1995, 5, 21)
    assert legislatures[5].covers(date(2013, 4, 30)) and not legislatures[4].covers(date(2013, 4, 30))
    assert legislatures[7].start == date(2019, 5, 26) and legislatures[8].start == date(2024, 6, 9)
    assert legislatures[8].end is None
    for before, after in zip(
        sorted(legislatures.values(), key=lambda leg: leg.number),
        sorted(legislatures.values(), key=lambda leg: leg.number)[1:],
    ):
        assert before.end is not None and (after.start - before.end).days == 1
        assert before.sources and after.sources


def test_every_government_and_every_changed_office_names_its_sources(governments: Governments) -> None:
    for government in governments.governments:
        assert government.sources and all(s.startswith("http") for s in government.sources), government.key
