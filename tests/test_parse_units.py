"""The parser's pieces one by one: offices, dates, chronology and link lines, encoding repair,
numbered parts."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.parse import repair as repair_module
from kg.parse.chronology import BadEvent, parse_event
from kg.parse.dates import format_date, parse_written_date
from kg.parse.links import parse_link
from kg.parse.offices import parse_offices
from kg.parse.records import ChronologyEvent, Office, Paragraph, QuestionLink, QuestionNumber
from kg.parse.repair import has_candidates, repair
from kg.parse.text import make_text

PM_NL = Office("eerste minister", "prime-minister", (), None, "nl")


@pytest.mark.parametrize(
    ("addressee", "language", "expected"),
    [
        ("de eerste minister", "nl", (PM_NL,)),
        (
            "de vice-eersteminister en minister van Pensioenen",
            "nl",
            (
                Office(
                    "vice-eersteminister en minister van Pensioenen",
                    "deputy-prime-minister",
                    ("Pensioenen",),
                    None,
                    "nl",
                ),
            ),
        ),
        ("de minister van Justitie", "nl", (Office("minister van Justitie", "minister", ("Justitie",), None, "nl"),)),
        ("Premier ministre", "fr", (Office("Premier ministre", "prime-minister", (), None, "fr"),)),
        (
            "la vice-première ministre et ministre de l'Emploi",
            "fr",
            (
                Office(
                    "vice-première ministre et ministre de l'Emploi", "deputy-prime-minister", ("Emploi",), None, "fr"
                ),
            ),
        ),
        (
            "secrétaire d'État à l'Asile et la Migration, à l'Intégration sociale et à la Lutte contre la pauvreté, adjoint "
            "à la ministre de la Justice",
            "fr",
            (
                Office(
                    "secrétaire d'État à l'Asile et la Migration, à l'Intégration sociale et à la Lutte contre la pauvreté, "
                    "adjoint à la ministre de la Justice",
                    "state-secretary",
                    ("Asile et Migration", "Intégration sociale", "Lutte contre la pauvreté"),
                    Office("ministre de la Justice", "minister", ("Justice",), None, "fr"),
                    "fr",
                ),
            ),
        ),
        ("la ministre de la Justice", "fr", (Office("ministre de la Justice", "minister", ("Justice",), None, "fr"),)),
        (
            "vice-premier ministre et ministre des Finances et des Réformes institutionnelles",
            "fr",
            (
                Office(
                    "vice-premier ministre et ministre des Finances et des Réformes institutionnelles",
                    "deputy-prime-minister",
                    ("Finances", "Réformes institutionnelles"),
                    None,
                    "fr",
                ),
            ),
        ),
        (
            "de vice-eersteminister en minister van Financiën en Duurzame Ontwikkeling, belast met Ambtenarenzaken",
            "nl",
            (
                Office(
                    "vice-eersteminister en minister van Financiën en Duurzame Ontwikkeling, belast met Ambtenarenzaken",
                    "deputy-prime-minister",
                    ("Financiën", "Duurzame Ontwikkeling", "Ambtenarenzaken"),
                    None,
                    "nl",
                ),
            ),
        ),
        # "en" + lower case is inside one competence
        (
            "de staatssecretaris voor de Bestrijding van de sociale en de fiscale fraude, toegevoegd aan de eerste minister",
            "nl",
            (
                Office(
                    "staatssecretaris voor de Bestrijding van de sociale en de fiscale fraude, toegevoegd aan de eerste "
                    "minister",
                    "state-secretary",
                    ("Bestrijding van de sociale en de fiscale fraude",),
                    PM_NL,
                    "nl",
                ),
            ),
        ),
        (
            "la vice-première ministre et ministre des Affaires sociales et de la Santé publique, chargée de Beliris et des "
            "Institutions culturelles fédérales",
            "fr",
            (
                Office(
                    "vice-première ministre et ministre des Affaires sociales et de la Santé publique, chargée de Beliris et "
                    "des Institutions culturelles fédérales",
                    "deputy-prime-minister",
                    ("Affaires sociales", "Santé publique", "Beliris", "Institutions culturelles fédérales"),
                    None,
                    "fr",
                ),
            ),
        ),
        (
            "ministre pour l'Entreprise et la Simplification",
            "fr",
            (
                Office(
                    "ministre pour l'Entreprise et la Simplification",
                    "minister",
                    ("Entreprise", "Simplification"),
                    None,
                    "fr",
                ),
            ),
        ),
        ("de regeringscommissaris", "nl", (Office("regeringscommissaris", "other", (), None, "nl"),)),
        ("", "nl", ()),
    ],
)
def test_offices(addressee: str, language: str, expected: tuple[Office, ...]) -> None:
    assert parse_offices(addressee, language) == expected  # type: ignore[arg-type]


def test_french_double_office() -> None:
    first, second = parse_offices(
        "secrétaire d'État à l'Environnement, à l'Énergie et à la Mobilité, adjoint à la ministre de l'Intérieur et de "
        "l'Égalité des chances, et secrétaire d'État aux Réformes institutionnelles, adjoint au Premier ministre",
        "fr",
    )
    assert first.portfolio == ("Environnement", "Énergie", "Mobilité")
    assert first.attached_to == Office(
        "ministre de l'Intérieur et de l'Égalité des chances",
        "minister",
        ("Intérieur", "Égalité des chances"),
        None,
        "fr",
    )
    assert second == Office(
        "secrétaire d'État aux Réformes institutionnelles, adjoint au Premier ministre",
        "state-secretary",
        ("Réformes institutionnelles",),
        Office("Premier ministre", "prime-minister", (), None, "fr"),
        "fr",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30 april 2013", date(2013, 4, 30)),
        ("1er mai 2013", date(2013, 5, 1)),
        ("6 september 2013", date(2013, 9, 6)),
        ("15 août 2012", date(2012, 8, 15)),
        ("3 fevrier 2011", date(2011, 2, 3)),
        ("1 Décembre 2009", date(2009, 12, 1)),
        ("31 april 2013", None),
        ("30 floréal 2013", None),
        ("april 2013", None),
        ("30 april 2013 extra", None),
    ],
)
def test_written_dates(text: str, expected: date | None) -> None:
    assert parse_written_date(text) == expected


def test_format_date_writes_what_parsing_reads() -> None:
    assert format_date(date(2013, 5, 1), "fr") == "1er mai 2013"
    assert format_date(date(2013, 5, 1), "nl") == "1 mei 2013"
    day = date(2008, 1, 1)
    while day.year < 2010:
        for language in ("nl", "fr"):
            assert parse_written_date(format_date(day, language)) == day  # type: ignore[arg-type]
        day = date.fromordinal(day.toordinal() + 17)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("30/4/2013Verzending vraag", ChronologyEvent(date(2013, 4, 30), "sent", "Verzending vraag")),
        (
            "30/4/2013 Verzending vraag (Einde van de antwoordtermijn: 30/5/2013)",
            ChronologyEvent(date(2013, 4, 30), "sent", "Verzending vraag", date(2013, 5, 30)),
        ),
        (
            "1/5/2013Envoi question (Fin du délai de réponse: 31/5/2013)",
            ChronologyEvent(date(2013, 5, 1), "sent", "Envoi question", date(2013, 5, 31)),
        ),
        ("4/7/2013Rappel", ChronologyEvent(date(2013, 7, 4), "reminder", "Rappel")),
        ("6/9/2013 Réponse", ChronologyEvent(date(2013, 9, 6), "answer", "Réponse")),
        ("6/9/2013Dossier clôturé", ChronologyEvent(date(2013, 9, 6), "closed", "Dossier clôturé")),
        (
            "7/5/2010Einde van de zittingsperiode",
            ChronologyEvent(date(2010, 5, 7), "end-of-legislature", "Einde van de zittingsperiode"),
        ),
        (
            "7/5/2010 Fin de la législature",
            ChronologyEvent(date(2010, 5, 7), "end-of-legislature", "Fin de la législature"),
        ),
        ("8/5/2013Vraag ingetrokken", ChronologyEvent(date(2013, 5, 8), "other", "Vraag ingetrokken")),
        ("30/4/2013", None),
        ("Chronologie", None),
        ("ministerie", None),
    ],
)
def test_chronology_lines(line: str, expected: ChronologyEvent | None) -> None:
    assert parse_event(line) == expected


def test_chronology_line_with_an_impossible_date() -> None:
    with pytest.raises(BadEvent):
        parse_event("31/2/2013Antwoord")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Ook gesteld aan : schriftelijke vraag 5-8900",
            QuestionLink("sibling", QuestionNumber(5, 8900), "Ook gesteld aan"),
        ),
        ("Aussi posée à : question écrite 5-8900", QuestionLink("sibling", QuestionNumber(5, 8900), "Aussi posée à")),
        (
            "Heringediend als : schriftelijke vraag 6-12",
            QuestionLink("resubmitted-as", QuestionNumber(6, 12), "Heringediend als"),
        ),
        (
            "Réintroduite comme : question écrite 6-12",
            QuestionLink("resubmitted-as", QuestionNumber(6, 12), "Réintroduite comme"),
        ),
        (
            "Réintroduction de : question écrite 4-1234",
            QuestionLink("resubmission-of", QuestionNumber(4, 1234), "Réintroduction de"),
        ),
        (
            "Herindiening van : schriftelijke vraag 4-1234",
            QuestionLink("resubmission-of", QuestionNumber(4, 1234), "Herindiening van"),
        ),
        ("Ook gesteld aan : schriftelijke vraag", None),
        ("Ook gesteld aan de minister", None),
    ],
)
def test_link_lines(line: str, expected: QuestionLink | None) -> None:
    assert parse_link(line) == expected


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("(potentiŽle) klanten", "(potentiële) klanten"),
        ("geÔntegreerd", "geïntegreerd"),
        ("betreft :†", "betreft :\xa0"),
        ("dťjŗ vu", "déjà vu"),
        ("l'…tat fťdťral", "l'État fédéral"),
        ("100 Ä per jaar", "100 € per jaar"),
        ("ďPasoplichtingĒ", "“Pasoplichting”"),
        # correct text stays as it is
        ("officiële", "officiële"),
        ("HÔPITAL", "HÔPITAL"),
        ("Žilina", "Žilina"),
        ("Žižek", "Žižek"),
        ("Šefčovič", "Šefčovič"),
        ("Álvaro", "Álvaro"),
        ("enz…", "enz…"),
        ("Österreich", "Österreich"),
    ],
)
def test_encoding_repair(printed: str, expected: str) -> None:
    assert repair(printed) == expected


@given(st.text(alphabet="aéŽ’ ýßÔ…x\n" + "".join(repair_module._TABLE)))
def test_a_text_may_be_damaged_where_a_damaged_character_is_found(text: str) -> None:
    damaged = re.compile("[" + re.escape("".join(repair_module._TABLE)) + "]")
    assert has_candidates(text) == (damaged.search(text) is not None)


def test_repair_returns_the_same_object_when_nothing_changes() -> None:
    text = "Bedrijfspagina’s : officiële"
    assert repair(text) is text


def paragraphs(*texts: str) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(text) for text in texts)


def test_numbered_labels_as_printed() -> None:
    text = make_text(paragraphs("Intro:", "1) a", "2. b", "3/ c", "3)/ d", "4/", "e", "10) f", "2013. no", "1.000 no"))
    assert [(part.label, part.number) for part in text.parts] == [
        ("1)", 1),
        ("2.", 2),
        ("3/", 3),
        ("3)/", 3),
        ("4/", 4),
        ("10)", 10),
    ]
    assert [p.text for p in text.parts[4].paragraphs] == ["4/", "e"]
    assert [p.text for p in text.parts[5].paragraphs] == ["10) f", "2013. no", "1.000 no"]


def test_parts_end_at_section_headers_and_restarts() -> None:
    text = make_text(
        paragraphs(
            "Voor wat de FOD Economie betreft :",
            "1. Twitter.",
            "Facebook",
            "Groep",
            "2. Positief.",
            "Meer.",
            "Voor wat Fedasil betreft :",
            "Fedasil maakt geen gebruik van sociale media.",
            "Raad voor Vreemdelingenbetwistingen (RVV)",
            "1. Nee.",
            "2. Geen.",
            "Slot.",
        )
    )
    assert [[p.text for p in part.paragraphs] for part in text.parts] == [
        ["1. Twitter.", "Facebook", "Groep"],  # table cells stay in the part: no restart follows
        ["2. Positief.", "Meer."],  # ends at the section header
        ["1. Nee."],
        ["2. Geen.", "Slot."],
    ]
    assert len(text.paragraphs) == 12


def test_part_before_a_restart_ends_at_the_next_agency_name() -> None:
    text = make_text(paragraphs("1. Ja.", "4. Geen misbruik.", "Fedasil", "1. Fedasil gebruikt Facebook."))
    assert [len(part.paragraphs) for part in text.parts] == [1, 1, 1]
