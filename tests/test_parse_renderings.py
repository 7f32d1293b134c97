"""Each rendering in each language, from small hand-written documents, with exact values; and
the same document in other byte encodings giving the same records."""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

import pytest

from kg.parse import parse_document, parse_text
from kg.parse.records import (
    Answer,
    ChronologyEvent,
    NumberedPart,
    Office,
    Paragraph,
    QuestionLink,
    QuestionNumber,
    QuestionRecord,
    Text,
)
from kg.paths import SEEDS_DIR

DOCUMENTS = Path(__file__).parent / "documents"


def only(name: str) -> QuestionRecord:
    (record,) = parse_document(DOCUMENTS / name, name).questions
    return record


def test_french_web_page() -> None:
    record = only("web-fr-5-8914.txt")
    assert record.source.rendering == "web"
    assert (record.number, record.language, record.original_language) == (QuestionNumber(5, 8914), "fr", "nl")
    assert (record.author, record.party, record.date) == ("Martine Taelman", "Open Vld", date(2013, 5, 1))
    assert record.addressee == "vice-premier ministre et ministre des Finances et des Réformes institutionnelles"
    assert record.offices == (
        Office(
            "vice-premier ministre et ministre des Finances et des Réformes institutionnelles",
            "deputy-prime-minister",
            ("Finances", "Réformes institutionnelles"),
            None,
            "fr",
        ),
    )
    assert record.title_parts == (
        "Services publics fédéraux",
        "Communication avec les citoyens",
        "Utilisation des médias sociaux",
    )
    assert record.descriptors == ("ministère", "communauté virtuelle", "sensibilisation du public")
    assert record.chronology == (
        ChronologyEvent(date(2013, 5, 1), "sent", "Envoi question", date(2013, 5, 31)),
        ChronologyEvent(date(2013, 7, 4), "reminder", "Rappel"),
        ChronologyEvent(date(2013, 9, 6), "answer", "Réponse"),
    )
    assert record.links == (
        QuestionLink("sibling", QuestionNumber(5, 8913), "Aussi posée à"),
        QuestionLink("sibling", QuestionNumber(5, 8915), "Aussi posée à"),
    )
    one = Paragraph("1. Les SPF relevant de vos compétences utilisent-ils les médias sociaux ?")
    two = Paragraph("2. Comment évaluez-vous leur utilisation ?\nPrécisez par service.")
    assert record.question == Text(
        (Paragraph("Quelques services publics fédéraux utilisent déjà les médias sociaux."), one, two),
        (NumberedPart("1.", 1, (one,)), NumberedPart("2.", 2, (two,))),
    )
    assert record.answer is not None and record.answer.date == date(2013, 9, 6)
    texts = [p.text for p in record.answer.text.paragraphs]
    assert texts[0] == "En ce qui concerne le SPF Finances :"
    assert texts[-1] == "La Loterie Nationale n'utilise pas les médias sociaux."
    # the second agency's section header ends part 2
    assert [[p.text for p in part.paragraphs] for part in record.answer.text.parts] == [texts[1:3], [texts[3]]]


def test_dutch_print_version_of_a_closed_question() -> None:
    record = only("print-nl-4-5678.txt")
    assert (record.source.rendering, record.source.printed, record.session) == ("print", date(2011, 2, 3), "2009-2010")
    assert (record.number, record.language, record.author, record.party) == (
        QuestionNumber(4, 5678),
        "nl",
        "Louis Ide",
        "N-VA",
    )
    assert record.offices == (
        Office(
            "vice-eersteminister en minister van Sociale Zaken en Volksgezondheid",
            "deputy-prime-minister",
            ("Sociale Zaken", "Volksgezondheid"),
            None,
            "nl",
        ),
    )
    assert record.title == "Geneesmiddelen - Terugbetaling - Informatie aan patiënten"
    assert record.descriptors == ("geneesmiddel", "sociale zekerheid")
    assert record.chronology == (
        ChronologyEvent(date(2010, 1, 12), "sent", "Verzending vraag", date(2010, 2, 11)),
        ChronologyEvent(date(2010, 3, 15), "reminder", "Rappel"),
        ChronologyEvent(date(2010, 4, 20), "closed", "Dossier gesloten"),
    )
    assert record.links == () and record.answer is None
    # numbered lines inside one block stay one paragraph: parts start only at paragraphs
    assert record.question == Text(
        (
            Paragraph("Patiënten krijgen weinig informatie over de terugbetaling van hun geneesmiddelen."),
            Paragraph(
                "Kan de minister meedelen:\n1/ hoeveel vragen het RIZIV hierover ontving;\n"
                "2/ welke initiatieven gepland zijn?"
            ),
        )
    )


def test_french_print_version_lapsed_and_resubmitted() -> None:
    record = only("print-fr-4-1234.txt")
    assert (record.source.rendering, record.source.printed, record.session) == ("print", date(2010, 5, 10), "2009-2010")
    assert (record.language, record.original_language, record.addressee) == ("fr", "fr", "la ministre de l'Intérieur")
    assert record.offices == (Office("ministre de l'Intérieur", "minister", ("Intérieur",), None, "fr"),)
    assert record.chronology == (
        ChronologyEvent(date(2010, 2, 15), "sent", "Envoi question"),
        ChronologyEvent(date(2010, 5, 7), "end-of-legislature", "Fin de la législature"),
    )
    assert record.links == (QuestionLink("resubmitted-as", QuestionNumber(5, 12), "Réintroduite comme"),)
    assert record.answer is None
    assert [part.label for part in record.question.parts] == ["1)", "2)"]


def test_bilingual_print_version_yields_french_then_dutch() -> None:
    document = parse_document(DOCUMENTS / "bilingual-5-12.txt", "b.txt")
    fr, nl = document.questions
    assert document.source.rendering == "print-bilingual" and document.source.printed == date(2011, 3, 14)
    assert fr.source is nl.source is document.source
    assert (fr.language, nl.language) == ("fr", "nl")
    for record in (fr, nl):
        assert (record.number, record.original_language, record.author, record.party, record.date, record.session) == (
            QuestionNumber(5, 12),
            "fr",
            "Zakia Khattabi",
            "Ecolo",
            date(2010, 7, 8),
            "2010-2011",
        )
    assert fr.offices == (Office("ministre de l'Intérieur", "minister", ("Intérieur",), None, "fr"),)
    assert nl.offices == (Office("minister van Binnenlandse Zaken", "minister", ("Binnenlandse Zaken",), None, "nl"),)
    assert (fr.title, nl.title) == (
        "Police fédérale - Médias sociaux - Communication de crise",
        "Federale politie - Sociale media - Crisiscommunicatie",
    )
    assert (fr.descriptors, nl.descriptors) == (("police", "média social"), ("politie", "sociale media"))
    assert [(e.kind, e.label) for e in fr.chronology] == [("sent", "Envoi question"), ("answer", "Réponse")]
    assert [(e.kind, e.label) for e in nl.chronology] == [("sent", "Verzending vraag"), ("answer", "Antwoord")]
    assert fr.links == (QuestionLink("resubmission-of", QuestionNumber(4, 1234), "Réintroduction de"),)
    assert nl.links == (QuestionLink("resubmission-of", QuestionNumber(4, 1234), "Herindiening van"),)
    assert [p.text for p in nl.question.paragraphs] == [
        "De federale politie is sinds kort aanwezig op Facebook.",
        "1) Hoeveel volgers heeft deze pagina?",
    ]
    assert fr.answer == Answer(
        date(2010, 9, 2),
        Text(
            (Paragraph("La page https://www.facebook.com/federalepolitie comptait 5 400 fans au 1er septembre 2010."),)
        ),
    )
    assert nl.answer is not None and nl.answer.text.paragraphs[0].text.endswith("telde op 1 september 2010 5.400 fans.")


def test_unanswered_web_page_with_damage_and_resubmission() -> None:
    record = only("web-nl-4-7001.txt")
    assert record.answer is None and record.party == "Groen!"
    assert record.offices == (
        Office(
            "staatssecretaris voor Mobiliteit, toegevoegd aan de eerste minister",
            "state-secretary",
            ("Mobiliteit",),
            Office("eerste minister", "prime-minister", (), None, "nl"),
            "nl",
        ),
    )
    assert record.chronology == (
        ChronologyEvent(date(2010, 3, 3), "sent", "Verzending vraag", date(2010, 4, 2)),
        ChronologyEvent(date(2010, 5, 7), "end-of-legislature", "Einde zittingsperiode"),
    )
    assert record.links == (QuestionLink("resubmitted-as", QuestionNumber(5, 40), "Heringediend als"),)
    assert record.question.paragraphs == (
        Paragraph(
            "De NMBS informeert reizigers via Twitter. Het geïntegreerde beleid laat echter op zich wachten.",
            "De NMBS informeert reizigers via Twitter. Het geÔntegreerde beleid laat echter op zich wachten.",
        ),
    )
    assert record.source.encoding_repaired


SEED = SEEDS_DIR / "5-8913-nl.txt"


@pytest.mark.parametrize(
    ("variant", "encoding"),
    [
        (lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), "utf-8"),
        (lambda text: text.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
        (lambda text: text.encode("cp1252"), "cp1252"),
        (lambda text: text.encode("utf-16"), "utf-16"),
        (lambda text: text, "utf-8"),
    ],
    ids=["utf8-bom", "crlf", "windows-1252", "utf16-bom", "str"],
)
def test_other_byte_encodings_give_the_same_record(variant, encoding: str) -> None:  # type: ignore[no-untyped-def]
    text = SEED.read_text(encoding="utf-8")
    (expected,) = parse_text(text.encode("utf-8"), "x.txt").questions
    (record,) = parse_text(variant(text), "x.txt").questions
    assert record.source.encoding == encoding
    assert record.source.sha256 != expected.source.sha256 or encoding == "utf-8"
    assert record == type(record)(**{**expected.__dict__, "source": record.source})


def test_latin1_document_with_accents_converts() -> None:
    text = (DOCUMENTS / "web-fr-5-8914.txt").read_text(encoding="utf-8")
    (record,) = parse_text(text.encode("latin-1"), "latin1.txt").questions
    assert record.source.encoding == "cp1252"
    assert record.descriptors[0] == "ministère" and record.date == date(2013, 5, 1)
