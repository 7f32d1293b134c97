"""The print versions as the Senate prints them: the two real samples (both cut off by their
source, so they convert as documents that stop early), the same documents completed, and one
test per feature of the layout."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kg.parse import parse_document, parse_text
from kg.parse.languages import split_descriptors, split_repeated, split_title
from kg.parse.records import ChronologyEvent, DocumentError, Office, QuestionLink, QuestionNumber, QuestionRecord
from kg.reference.governments import load_governments

DOCUMENTS = Path(__file__).parent / "documents"
NL_SAMPLE = "sample-print-nl-5-8902.txt"
BILINGUAL_SAMPLE = "sample-bilingual-5-8916.txt"
SIBLINGS = [QuestionNumber(5, n) for n in range(8900, 8919)]

NL_TEXT = (DOCUMENTS / NL_SAMPLE).read_text(encoding="utf-8")
BILINGUAL_TEXT = (DOCUMENTS / BILINGUAL_SAMPLE).read_text(encoding="utf-8")

# The samples completed the way they go on, so the layout can be tested on whole documents.
NL_WHOLE = NL_TEXT.rstrip("\n") + (
    "e onder uw bevoegdheid vallen gebruik van sociale media?\n"
    "________\n"
    "Antwoord ontvangen op 17 februari 2014 :\n\n"
    "De FOD Buitenlandse Zaken communiceert via @BelgiumMFA op Twitter.\n"
    "________\n"
)
BILINGUAL_WHOLE = (
    BILINGUAL_TEXT[: BILINGUAL_TEXT.rindex("Ook gesteld aan : schri")]
    + "".join(f"Ook gesteld aan : schriftelijke vraag 5-{n}\n" for n in range(8901, 8919) if n != 8916)
    + (
        "________________\n"
        "SÉNAT Question écrite n° 5-8916 du 30 avril 2013 : (Question posée en néerlandais)\n\n"
        "Quelques services publics fédéraux utilisent les médias sociaux.\n"
        "________________\n"
        "SENAAT Schriftelijke vraag nr. 5-8916 d.d. 30 april 2013 : (Vraag gesteld in het Nederlands)\n\n"
        "Enkele federale overheidsdiensten maken gebruik van sociale media.\n"
        "________________\n"
        "Réponse reçue le 4 juin 2013 :\n\n"
        "Fedasil utilise Twitter.\n"
        "________________\n"
        "Antwoord ontvangen op 4 juni 2013 :\n\n"
        "Fedasil gebruikt Twitter.\n"
        "________________\n"
    )
)

NL_DESCRIPTORS = (
    "ministerie",
    "virtuele gemeenschap",
    "bewustmaking van de burgers",
    "betrekking tussen overheid en burger",
    "sociale media",
)
FR_DESCRIPTORS = (
    "ministère",
    "communauté virtuelle",
    "sensibilisation du public",
    "relation administration-administré",
    "médias sociaux",
)


TITLE_LINE = next(line for line in BILINGUAL_TEXT.split("\n") if line.startswith("Services publics"))


def parse(text: str, name: str = "doc.txt") -> tuple[QuestionRecord, ...]:
    return parse_text(text.encode("utf-8"), name).questions


def facts(records: tuple[QuestionRecord, ...]) -> list[dict[str, object]]:
    """What records say, leaving out which bytes they came from."""
    return [{**record.__dict__, "source": record.source.rendering} for record in records]


# ---- the real samples, as they are: documents that stop early


def test_one_language_sample_converts_what_it_has() -> None:
    document = parse_document(DOCUMENTS / NL_SAMPLE, NL_SAMPLE)
    (record,) = document.questions
    assert (record.source.rendering, record.source.printed, record.session) == ("print", None, "2012-2013")
    assert (record.number, record.language, record.original_language) == (QuestionNumber(5, 8902), "nl", "nl")
    assert (record.author, record.party, record.date) == ("Martine Taelman", "Open Vld", date(2013, 4, 30))
    assert record.addressee == (
        "de vice-eersteminister en minister van Buitenlandse Zaken, Buitenlandse Handel en Europese Zaken"
    )
    assert record.offices[0].kind == "deputy-prime-minister"
    assert record.title_parts == ("Federale overheidsdiensten", "Communicatie met burgers", "Gebruik van sociale media")
    assert record.descriptors == NL_DESCRIPTORS
    assert record.chronology == (
        ChronologyEvent(date(2013, 4, 30), "sent", "Verzending vraag"),
        ChronologyEvent(date(2013, 12, 18), "reminder", "Rappel"),
        ChronologyEvent(date(2014, 2, 17), "answer", "Antwoord"),
    )
    assert [link.target for link in record.links] == [n for n in SIBLINGS if n != QuestionNumber(5, 8902)]
    assert {link.label for link in record.links} == {"Ook gesteld aan"}
    texts = [p.text for p in record.question.paragraphs]
    assert "(potentiële) klanten" in texts[0] and record.source.encoding_repaired
    assert texts[-1] == "1) Maken de FOD's di" and record.answer is None
    assert record.incomplete
    (warning,) = document.warnings
    assert (warning.path, warning.line) == (NL_SAMPLE, 50)
    assert "the question text ends inside a sentence" in warning.message


def test_bilingual_sample_converts_what_it_has() -> None:
    document = parse_document(DOCUMENTS / BILINGUAL_SAMPLE, BILINGUAL_SAMPLE)
    fr, nl = document.questions
    assert document.source.rendering == "print-bilingual" and document.source.printed is None
    for record in (fr, nl):
        assert (record.number, record.author, record.party, record.date, record.session) == (
            QuestionNumber(5, 8916),
            "Martine Taelman",
            "Open Vld",
            date(2013, 4, 30),
            "2012-2013",
        )
        assert record.incomplete and record.question.paragraphs == () and record.answer is None
    assert fr.addressee.startswith("la secrétaire d'État à l'Asile et la Migration")
    assert nl.offices[0] == Office(
        "staatssecretaris voor Asiel en Migratie, Maatschappelijke Integratie en Armoedebestrijding, toegevoegd "
        "aan de minister van Justitie",
        "state-secretary",
        ("Asiel en Migratie", "Maatschappelijke Integratie", "Armoedebestrijding"),
        Office("minister van Justitie", "minister", ("Justitie",), None, "nl"),
        "nl",
    )
    assert fr.title == ("Services publics fédéraux - Communication avec les citoyens - Recours aux médias sociaux")
    assert nl.title == "Federale overheidsdiensten - Communicatie met burgers - Gebruik van sociale media"
    assert (fr.descriptors, nl.descriptors) == (FR_DESCRIPTORS, NL_DESCRIPTORS)
    # the chronology once per language; the French block prints the Dutch labels
    assert fr.chronology == (
        ChronologyEvent(date(2013, 4, 30), "sent", "Verzending vraag", None, "nl"),
        ChronologyEvent(date(2013, 6, 4), "answer", "Antwoord", None, "nl"),
    )
    assert nl.chronology == (
        ChronologyEvent(date(2013, 4, 30), "sent", "Verzending vraag"),
        ChronologyEvent(date(2013, 6, 4), "answer", "Antwoord"),
    )
    # the links once per language: the French block whole, the Dutch one up to where it stops
    assert [link.target for link in fr.links] == [n for n in SIBLINGS if n != QuestionNumber(5, 8916)]
    assert nl.links == (QuestionLink("sibling", QuestionNumber(5, 8900), "Ook gesteld aan"),)
    (warning,) = document.warnings
    assert (warning.path, warning.line) == (BILINGUAL_SAMPLE, 54)
    assert "expected the question header" in warning.message


def test_samples_offices_resolve_to_their_holders() -> None:
    governments = load_governments()
    (nl,) = parse_document(DOCUMENTS / NL_SAMPLE).questions
    fr_b, nl_b = parse_document(DOCUMENTS / BILINGUAL_SAMPLE).questions
    holders = [
        [
            resolved.holder.person if resolved.holder else None
            for resolved in governments.resolve(record.offices, record.date)
        ]
        for record in (nl, fr_b, nl_b)
    ]
    assert holders == [["Didier Reynders"], ["Maggie De Block"], ["Maggie De Block"]]


# ---- the same documents completed: whole, and each feature of the layout


def test_completed_one_language_sample_is_whole() -> None:
    (record,) = parse(NL_WHOLE)
    assert not record.incomplete
    assert record.question.paragraphs[-1].text.endswith("gebruik van sociale media?")
    assert record.answer is not None and record.answer.date == date(2014, 2, 17)
    assert [part.label for part in record.question.parts] == ["1)"]


def test_completed_bilingual_sample_is_whole() -> None:
    document = parse_text(BILINGUAL_WHOLE, "b.txt")
    fr, nl = document.questions
    assert document.warnings == () and not fr.incomplete and not nl.incomplete
    assert (fr.original_language, nl.original_language) == ("nl", "nl")
    assert len(fr.links) == len(nl.links) == 18 and fr.links == nl.links
    assert fr.question.paragraphs[0].text.startswith("Quelques") and nl.question.paragraphs[0].text.startswith("Enkele")
    assert fr.answer is not None and nl.answer is not None
    assert (fr.answer.text.paragraphs[0].text, nl.answer.text.paragraphs[0].text) == (
        "Fedasil utilise Twitter.",
        "Fedasil gebruikt Twitter.",
    )


@pytest.mark.parametrize("head", ["BELGISCHE SENAAT", "belgische senaat", "  BELGISCHE  SENAAT "])
def test_one_language_head_line(head: str) -> None:
    (record,) = parse(NL_WHOLE.replace("BELGISCHE SENAAT", head, 1))
    assert record.source.rendering == "print" and record.number == QuestionNumber(5, 8902)


def test_french_one_language_print_version() -> None:
    text = (
        NL_WHOLE.replace("BELGISCHE SENAAT", "SÉNAT DE BELGIQUE", 1)
        .replace("Zitting 2012-2013", "Session 2012-2013")
        .replace("30 april 2013\n", "30 avril 2013\n", 1)
        .replace("SENAAT Schriftelijke vraag nr. 5-8902\n", "SÉNAT Question écrite n° 5-8902\n")
        .replace(
            "aan de vice-eersteminister en minister van Buitenlandse Zaken, Buitenlandse Handel en Europese Zaken",
            "au vice-premier ministre et ministre des Affaires étrangères",
        )
        .replace(
            "SENAAT Schriftelijke vraag nr. 5-8902 d.d. 30 april 2013 : (Vraag gesteld in het Nederlands)",
            "SÉNAT Question écrite n° 5-8902 du 30 avril 2013 : (Question posée en néerlandais)",
        )
        .replace("Antwoord ontvangen op 17 februari 2014", "Réponse reçue le 17 février 2014")
    )
    (record,) = parse(text)
    assert (record.language, record.session, record.date, record.original_language) == (
        "fr",
        "2012-2013",
        date(2013, 4, 30),
        "nl",
    )
    assert record.offices[0].portfolio == ("Affaires étrangères",)
    assert record.answer is not None and record.answer.date == date(2014, 2, 17)


@pytest.mark.parametrize(
    "rule",
    ["_____", "________", "________________", "_" * 72, "________ ________", "________________  ", "_____ _____ _____"],
)
def test_separator_lines_of_any_length(rule: str) -> None:
    assert facts(parse(NL_WHOLE.replace("\n________\n", f"\n{rule}\n"))) == facts(parse(NL_WHOLE))
    text = BILINGUAL_WHOLE.replace("\n________________\n", f"\n{rule}\n").replace(
        "\n________ ________\n", f"\n{rule}\n"
    )
    assert facts(parse(text)) == facts(parse(BILINGUAL_WHOLE))


def test_short_underscores_are_text_not_a_separator() -> None:
    (record,) = parse(NL_WHOLE.replace("Graag kreeg ik", "____ Graag kreeg ik"))
    assert any(p.text.startswith("____ Graag") for p in record.question.paragraphs)


def test_session_and_date_alone_give_session_and_question_date() -> None:
    (record,) = parse(
        NL_WHOLE.replace("Zitting 2012-2013", "Zitting 2013-2014").replace("30 april 2013\n", "2 mei 2013\n", 1)
    )
    assert (record.session, record.date, record.source.printed) == ("2013-2014", date(2013, 5, 2), None)
    fr, nl = parse(BILINGUAL_WHOLE.replace("30 avril 2013 30 april 2013", "1er mai 2013 1 mei 2013"))
    assert fr.date == nl.date == date(2013, 5, 1)


def test_bilingual_dates_must_agree() -> None:
    with pytest.raises(DocumentError) as caught:
        parse(BILINGUAL_WHOLE.replace("30 avril 2013 30 april 2013", "30 avril 2013 1 mei 2013"))
    assert (caught.value.line, caught.value.expected) == (7, "the same number, session and date in French and Dutch")


def test_number_line_with_the_senate_prefix() -> None:
    with pytest.raises(DocumentError) as caught:
        parse(NL_WHOLE.replace("SENAAT Schriftelijke vraag nr. 5-8902\n", "Schriftelijke vraag nr. 5-8902\n", 1))
    assert (caught.value.line, caught.value.expected) == (7, "'SENAAT Schriftelijke vraag nr. LEG-NR'")


@pytest.mark.parametrize(
    ("line", "party"),
    [
        ("de Martine Taelman (Open Vld)", "Open Vld"),
        ("van Martine Taelman (Open Vld)", "Open Vld"),
        ("de Martine Taelman", None),
    ],
)
def test_author_line_without_date_with_de_even_in_dutch(line: str, party: str | None) -> None:
    (record,) = parse(NL_WHOLE.replace("de Martine Taelman (Open Vld)", line))
    assert (record.author, record.party, record.date) == ("Martine Taelman", party, date(2013, 4, 30))


def test_a_print_version_without_any_date_is_refused() -> None:
    with pytest.raises(DocumentError) as caught:
        parse(NL_WHOLE.replace("30 april 2013\n________\n", "", 1))
    assert caught.value.line == 7
    assert caught.value.expected == "the question's date: alone under the session, or on the author line"


def test_both_titles_on_one_line() -> None:
    line = "Police fédérale - Médias sociaux - Communication de crise Federale politie - Sociale media - Crisiscommunicatie"
    fr, nl = parse(BILINGUAL_WHOLE.replace(TITLE_LINE, line))
    assert fr.title_parts == ("Police fédérale", "Médias sociaux", "Communication de crise")
    assert nl.title_parts == ("Federale politie", "Sociale media", "Crisiscommunicatie")


@pytest.mark.parametrize(
    ("line", "fr", "nl"),
    [
        ("SPF Finances - Twitter FOD Financiën - Twitter", "SPF Finances - Twitter", "FOD Financiën - Twitter"),
        (
            "Recours aux médias sociaux par l'État Gebruik van sociale media door de Staat",
            "Recours aux médias sociaux par l'État",
            "Gebruik van sociale media door de Staat",
        ),
        ("Fedasil - Facebook Fedasil - Facebook", "Fedasil - Facebook", "Fedasil - Facebook"),
        # a brand name ends the French title: the words and the lengths tell where the Dutch one starts
        (
            "Police - Utilisation de Facebook Politie - Gebruik van Facebook",
            "Police - Utilisation de Facebook",
            "Politie - Gebruik van Facebook",
        ),
        (
            "Agence fédérale pour la Sécurité de la Chaîne alimentaire (AFSCA) - Médias sociaux Federaal Agentschap voor "
            "de Veiligheid van de Voedselketen (FAVV) - Sociale media",
            "Agence fédérale pour la Sécurité de la Chaîne alimentaire (AFSCA) - Médias sociaux",
            "Federaal Agentschap voor de Veiligheid van de Voedselketen (FAVV) - Sociale media",
        ),
        (
            "Sites de réseaux sociaux - Facebook - Politique de l'administration fédérale Sociale netwerksites - Facebook - "
            "Beleid van de federale overheid",
            "Sites de réseaux sociaux - Facebook - Politique de l'administration fédérale",
            "Sociale netwerksites - Facebook - Beleid van de federale overheid",
        ),
    ],
)
def test_title_split_by_language_and_parts(line: str, fr: str, nl: str) -> None:
    assert split_title(line) == (fr, nl)


def test_a_title_line_that_cannot_be_split_is_refused() -> None:
    assert split_title("sociale media") is None
    with pytest.raises(DocumentError) as caught:
        parse(BILINGUAL_WHOLE.replace(TITLE_LINE, "sociale media"))
    assert (caught.value.line, caught.value.expected) == (17, "the French and the Dutch title on one line")


def test_descriptors_of_both_languages_one_after_the_other() -> None:
    assert split_descriptors([*FR_DESCRIPTORS, *NL_DESCRIPTORS], False) == (list(FR_DESCRIPTORS), list(NL_DESCRIPTORS))
    # an odd count is split by the words: three French ones and two Dutch ones
    items = [
        "administration électronique",
        "média social",
        "diffusion de l'information",
        "elektronische overheid",
        "informatieverspreiding van de overheid",
    ]
    assert split_descriptors(items, False) == (items[:3], items[3:])
    # a list that may stop inside the Dutch ones keeps every French one
    assert split_descriptors([*FR_DESCRIPTORS, "ministerie"], True) == (list(FR_DESCRIPTORS), ["ministerie"])
    assert split_descriptors(["média social"], False) is None


def test_chronology_and_links_once_per_language() -> None:
    key = str
    assert split_repeated(["a", "b", "a", "b"], key, False) == (["a", "b"], ["a", "b"])
    assert split_repeated(["a", "a", "b", "b"], key, False) == (["a", "b"], ["a", "b"])  # the older layout
    assert split_repeated(["a", "b", "a"], key, True) == (["a", "b"], ["a"])
    assert split_repeated(["a", "b", "a", "c"], key, False) == 3  # the first that disagrees


def test_a_chronology_that_differs_between_the_languages_is_refused() -> None:
    lines = BILINGUAL_WHOLE.split("\n")
    assert lines[32] == "4/6/2013Antwoord"
    lines[32] = "5/6/2013Antwoord"
    with pytest.raises(DocumentError) as caught:
        parse("\n".join(lines))
    assert (caught.value.line, caught.value.found) == (33, "5/6/2013Antwoord")
    assert caught.value.expected == "the chronology once in French and once in Dutch, with the same events"


def test_question_header_with_the_senate_prefix_gives_date_and_original_language() -> None:
    (record,) = parse(NL_WHOLE.replace("(Vraag gesteld in het Nederlands)", "(Vraag gesteld in het Frans)"))
    assert record.original_language == "fr"
    with pytest.raises(DocumentError) as caught:
        parse(
            NL_WHOLE.replace("SENAAT Schriftelijke vraag nr. 5-8902 d.d.", "SENAAT Schriftelijke vraag nr. 5-8903 d.d.")
        )
    assert (caught.value.line, caught.value.expected) == (44, "the question header of 5-8902")
