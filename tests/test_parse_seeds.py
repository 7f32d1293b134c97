"""The two seed documents, field by field, with the values they print."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from kg.parse import parse_document
from kg.parse.records import ChronologyEvent, Office, QuestionLink, QuestionNumber, QuestionRecord
from kg.paths import SEEDS_DIR


@pytest.fixture(scope="module")
def q8913() -> QuestionRecord:
    document = parse_document(SEEDS_DIR / "5-8913-nl.txt", "seeds/5-8913-nl.txt")
    assert len(document.questions) == 1
    return document.questions[0]


@pytest.fixture(scope="module")
def q8916() -> QuestionRecord:
    (record,) = parse_document(SEEDS_DIR / "5-8916-nl.txt").questions
    return record


def test_head_fields(q8913: QuestionRecord) -> None:
    assert q8913.number == QuestionNumber(5, 8913)
    assert (q8913.language, q8913.original_language) == ("nl", "nl")
    assert (q8913.author, q8913.party, q8913.date) == ("Martine Taelman", "Open Vld", date(2013, 4, 30))
    assert q8913.title == "Federale overheidsdiensten - Communicatie met burgers - Gebruik van sociale media"
    assert q8913.title_parts == ("Federale overheidsdiensten", "Communicatie met burgers", "Gebruik van sociale media")
    assert q8913.descriptors == (
        "ministerie",
        "virtuele gemeenschap",
        "bewustmaking van de burgers",
        "betrekking tussen overheid en burger",
        "sociale media",
    )
    assert q8913.session is None


def test_source(q8913: QuestionRecord) -> None:
    source = q8913.source
    assert source.path == "seeds/5-8913-nl.txt"
    assert source.sha256 == hashlib.sha256((SEEDS_DIR / "5-8913-nl.txt").read_bytes()).hexdigest()
    assert (source.rendering, source.encoding, source.encoding_repaired, source.printed) == ("web", "utf-8", True, None)


def test_two_offices_of_one_addressee(q8913: QuestionRecord) -> None:
    assert q8913.addressee == (
        "de staatssecretaris voor Leefmilieu, Energie en Mobiliteit, toegevoegd aan de minister "
        "van Binnenlandse Zaken en Gelijke Kansen, en staatssecretaris voor Staatshervorming, "
        "toegevoegd aan de eerste minister"
    )
    assert q8913.offices == (
        Office(
            "staatssecretaris voor Leefmilieu, Energie en Mobiliteit, toegevoegd aan de minister van Binnenlandse "
            "Zaken en Gelijke Kansen",
            "state-secretary",
            ("Leefmilieu", "Energie", "Mobiliteit"),
            Office(
                "minister van Binnenlandse Zaken en Gelijke Kansen",
                "minister",
                ("Binnenlandse Zaken", "Gelijke Kansen"),
                None,
                "nl",
            ),
            "nl",
        ),
        Office(
            "staatssecretaris voor Staatshervorming, toegevoegd aan de eerste minister",
            "state-secretary",
            ("Staatshervorming",),
            Office("eerste minister", "prime-minister", (), None, "nl"),
            "nl",
        ),
    )


def test_chronology_with_touching_dates(q8913: QuestionRecord) -> None:
    assert q8913.chronology == (
        ChronologyEvent(date(2013, 4, 30), "sent", "Verzending vraag"),
        ChronologyEvent(date(2013, 9, 6), "answer", "Antwoord"),
    )


def test_eighteen_sibling_links(q8913: QuestionRecord) -> None:
    expected = [n for n in range(8900, 8919) if n != 8913]
    assert q8913.links == tuple(QuestionLink("sibling", QuestionNumber(5, n), "Ook gesteld aan") for n in expected)


def test_question_text_and_its_four_numbered_parts(q8913: QuestionRecord) -> None:
    paragraphs = q8913.question.paragraphs
    assert len(paragraphs) == 6
    assert paragraphs[1].text == "Graag kreeg ik dan ook een antwoord op de volgende vragen:"
    assert [(part.label, part.number) for part in q8913.question.parts] == [("1)", 1), ("2)", 2), ("3)", 3), ("4)", 4)]
    assert all(part.paragraphs == (paragraphs[index + 2],) for index, part in enumerate(q8913.question.parts))
    assert q8913.question.parts[3].paragraphs[0].text.startswith("4) Zijn er bij de FOD's")
    assert q8913.question.parts[3].paragraphs[0].text.endswith("permanente aandacht ?")


def test_damaged_question_is_repaired_and_keeps_what_was_printed(q8913: QuestionRecord) -> None:
    first = q8913.question.paragraphs[0]
    assert "(potentiële) klanten" in first.text and "de officiële persberichten" in first.text
    assert first.source_text is not None
    assert "(potentiŽle) klanten" in first.source_text and "de officiŽle persberichten" in first.source_text
    assert first.source_text.replace("Ž", "ë") == first.text
    assert all(paragraph.source_text is None for paragraph in q8913.question.paragraphs[1:])


def test_correct_answer_text_is_left_alone(q8913: QuestionRecord) -> None:
    assert q8913.answer is not None
    paragraphs = q8913.answer.text.paragraphs
    assert all(paragraph.source_text is None for paragraph in paragraphs)
    assert "eigen, officiële twitter-account" in paragraphs[1].text
    assert "geïntegreerd" in paragraphs[1].text


def test_answer_paragraphs(q8913: QuestionRecord) -> None:
    assert q8913.answer is not None and q8913.answer.date == date(2013, 9, 6)
    paragraphs = q8913.answer.text.paragraphs
    assert len(paragraphs) == 38
    assert paragraphs[0].text == "Voor wat de Federale Overheidsdienst (FOD) Mobiliteit betreft :"  # nbsp stripped
    assert paragraphs[-1].text.startswith("Toch besteedt de FOD Economie hier de nodige aandacht aan.")
    assert [p.text for p in paragraphs[8:14]] == [
        "1/",
        "Facebook",
        "Bedrijfspagina’s :",
        "Groep",
        "Twitter",
        "LinkedIn",
    ]


def test_answer_parts_restart_under_each_agency(q8913: QuestionRecord) -> None:
    assert q8913.answer is not None
    text = q8913.answer.text
    assert [(part.label, part.number, len(part.paragraphs)) for part in text.parts] == [
        ("1/", 1, 6),
        ("2/", 2, 4),
        ("3)/", 3, 4),
        ("4/", 4, 1),
        ("1/", 1, 3),
        ("2/", 2, 4),
        ("3/", 3, 5),
        ("4/", 4, 2),
    ]
    # the agency header between the two series belongs to no part
    header = "Voor wat de FOD Economie betreft :"
    assert header in [p.text for p in text.paragraphs]
    assert all(header not in [p.text for p in part.paragraphs] for part in text.parts)
    # outside the parts: the Mobiliteit section (header and 6 paragraphs) and two agency headers
    assert sum(len(part.paragraphs) for part in text.parts) == 38 - 7 - 2


def test_second_seed_agency_sections(q8916: QuestionRecord) -> None:
    assert q8916.offices == (
        Office(
            "staatssecretaris voor Asiel en Migratie, Maatschappelijke Integratie en Armoedebestrijding, toegevoegd aan "
            "de minister van Justitie",
            "state-secretary",
            ("Asiel en Migratie", "Maatschappelijke Integratie", "Armoedebestrijding"),
            Office("minister van Justitie", "minister", ("Justitie",), None, "nl"),
            "nl",
        ),
    )
    assert q8916.answer is not None and q8916.answer.date == date(2013, 6, 4)
    assert len(q8916.answer.text.paragraphs) == 20
    assert [part.label for part in q8916.answer.text.parts] == ["1.", "2.", "3.", "4."] * 3
    # each numbered answer stops before the next agency's name ("Raad voor Vreemdelingenbetwistingen (RVV)")
    assert all(len(part.paragraphs) == 1 for part in q8916.answer.text.parts)
    assert q8916.source.encoding_repaired is True
