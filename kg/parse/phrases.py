"""The fixed wording of the documents, per language: one table the parser reads with and the
generator (`kg.synth`) writes with, so the two cannot drift apart.

Everything here is printed by the Senate; see `kg.parse.layout` for where each line stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.parse.dates import WRITTEN_DATE
from kg.parse.records import EventKind, Language, LinkKind

NUMBER = r"(\d{1,2})-(\d{1,6})"
# The separator lines of the print renderings, as the Senate prints them: underscores, eight in
# the one-language version, sixteen in the bilingual one, and two groups of eight around the
# bilingual chronology and links. Any line of one or more runs of five or more is read as one.
RULE = "_" * 8
BILINGUAL_RULE = "_" * 16
DOUBLE_RULE = RULE + " " + RULE
RULE_RE = re.compile(r"_{5,}(?:[ \t]+_{5,})*[ \t]*$")


@dataclass(frozen=True)
class Phrases:
    """The words one language version prints around the facts."""

    language: Language
    toolbar: str  # first line of a web page
    head: str  # first line of a one-language print version: "BELGISCHE SENAAT"
    senate: str  # prefix of the number line in a one-language print version
    number: str  # "Schriftelijke vraag nr. {number}"
    author: str  # "van {author} ({party}) d.d. {date}"
    author_no_party: str
    print_author: str  # "de {author} ({party})": the one-language print version, in both languages
    print_author_no_party: str
    question: str  # "Vraag nr. {number} d.d. {date} :"
    print_question: str  # "SENAAT Schriftelijke vraag nr. {number} d.d. {date} :"
    original: dict[Language, str]  # "(Vraag gesteld in het Nederlands)"
    answer: str  # "Antwoord ontvangen op {date} :"
    session: str  # "Zitting {session}"
    printed: str  # "Afgedrukt op {date}"
    deadline: str  # "Einde van de antwoordtermijn"
    events: dict[EventKind, str]  # the label the generator prints for each kind
    links: dict[LinkKind, str]  # "Ook gesteld aan"
    link_noun: str  # "schriftelijke vraag"


NL = Phrases(
    language="nl",
    toolbar="Tweetalige printerversie Eentalige printerversie",
    head="BELGISCHE SENAAT",
    senate="SENAAT",
    number="Schriftelijke vraag nr. {number}",
    author="van {author} ({party}) d.d. {date}",
    author_no_party="van {author} d.d. {date}",
    print_author="de {author} ({party})",  # the French "de", as the Senate prints it
    print_author_no_party="de {author}",
    question="Vraag nr. {number} d.d. {date} :",
    print_question="SENAAT Schriftelijke vraag nr. {number} d.d. {date} :",
    original={"nl": "(Vraag gesteld in het Nederlands)", "fr": "(Vraag gesteld in het Frans)"},
    answer="Antwoord ontvangen op {date} :",
    session="Zitting {session}",
    printed="Afgedrukt op {date}",
    deadline="Einde van de antwoordtermijn",
    events={
        "sent": "Verzending vraag",
        "reminder": "Rappel",
        "answer": "Antwoord",
        "closed": "Dossier gesloten",
        "end-of-legislature": "Einde van de zittingsperiode",
    },
    links={"sibling": "Ook gesteld aan", "resubmitted-as": "Heringediend als", "resubmission-of": "Herindiening van"},
    link_noun="schriftelijke vraag",
)

FR = Phrases(
    language="fr",
    toolbar="Version à imprimer bilingue Version à imprimer unilingue",
    head="SÉNAT DE BELGIQUE",
    senate="SÉNAT",
    number="Question écrite n° {number}",
    author="de {author} ({party}) du {date}",
    author_no_party="de {author} du {date}",
    print_author="de {author} ({party})",
    print_author_no_party="de {author}",
    question="Question n° {number} du {date} :",
    print_question="SÉNAT Question écrite n° {number} du {date} :",
    original={"nl": "(Question posée en néerlandais)", "fr": "(Question posée en français)"},
    answer="Réponse reçue le {date} :",
    session="Session {session}",
    printed="Imprimé le {date}",
    deadline="Fin du délai de réponse",
    events={
        "sent": "Envoi question",
        "reminder": "Rappel",
        "answer": "Réponse",
        "closed": "Dossier clôturé",
        "end-of-legislature": "Fin de la législature",
    },
    links={"sibling": "Aussi posée à", "resubmitted-as": "Réintroduite comme", "resubmission-of": "Réintroduction de"},
    link_noun="question écrite",
)

PHRASES: dict[Language, Phrases] = {"nl": NL, "fr": FR}

# The bilingual print version's head, and the French-then-Dutch session line.
BILINGUAL_HEAD = "SÉNAT DE BELGIQUE BELGISCHE SENAAT"
# The bilingual print version's author lines: French "de", then Dutch "van", no date.
BILINGUAL_AUTHOR = {"fr": "de {author} ({party})", "nl": "van {author} ({party})"}
BILINGUAL_AUTHOR_NO_PARTY = {"fr": "de {author}", "nl": "van {author}"}
SESSION = r"(\d{4}-\d{4})"

# Every label a chronology line may carry, mapped to its kind (lower case; both languages,
# including the variants seen in print).
EVENT_KINDS: dict[str, EventKind] = {
    "verzending vraag": "sent",
    "envoi question": "sent",
    "envoi de la question": "sent",
    "rappel": "reminder",
    "herinnering": "reminder",
    "antwoord": "answer",
    "réponse": "answer",
    "reponse": "answer",
    "dossier gesloten": "closed",
    "dossier clôturé": "closed",
    "dossier cloturé": "closed",
    "dossier cloture": "closed",
    "einde van de zittingsperiode": "end-of-legislature",
    "einde zittingsperiode": "end-of-legislature",
    "fin de la législature": "end-of-legislature",
    "fin de la legislature": "end-of-legislature",
}

# The language of each chronology label that belongs to one language only ("Rappel" is both).
EVENT_LABEL_LANGUAGE: dict[str, Language] = {
    "verzending vraag": "nl",
    "herinnering": "nl",
    "antwoord": "nl",
    "dossier gesloten": "nl",
    "einde van de zittingsperiode": "nl",
    "einde zittingsperiode": "nl",
    "envoi question": "fr",
    "envoi de la question": "fr",
    "réponse": "fr",
    "reponse": "fr",
    "dossier clôturé": "fr",
    "dossier cloturé": "fr",
    "dossier cloture": "fr",
    "fin de la législature": "fr",
    "fin de la legislature": "fr",
}

LINK_KINDS: dict[str, LinkKind] = {
    "ook gesteld aan": "sibling",
    "aussi posée à": "sibling",
    "aussi posee a": "sibling",
    "heringediend als": "resubmitted-as",
    "réintroduite comme": "resubmitted-as",
    "reintroduite comme": "resubmitted-as",
    "herindiening van": "resubmission-of",
    "réintroduction de": "resubmission-of",
    "reintroduction de": "resubmission-of",
}

ORIGINAL_LANGUAGE: dict[str, Language | None] = {
    "nederlands": "nl",
    "frans": "fr",
    "duits": None,
    "néerlandais": "nl",
    "neerlandais": "nl",
    "français": "fr",
    "francais": "fr",
    "allemand": None,
}


@dataclass(frozen=True)
class Patterns:
    """The compiled line patterns of one language."""

    toolbar: re.Pattern[str]
    head: re.Pattern[str]
    number: re.Pattern[str]  # groups: legislature, number
    print_number: re.Pattern[str]
    author: re.Pattern[str]  # groups: author, party, day, month, year
    print_author: re.Pattern[str]  # the same groups, the date optional, "van" or "de"
    addressee: re.Pattern[str]  # groups: preposition, rest
    question: re.Pattern[str]  # groups: leg, nr, day, month, year, original-language word
    answer: re.Pattern[str]  # groups: day, month, year
    session: re.Pattern[str]
    printed: re.Pattern[str]
    dated: re.Pattern[str]  # the date alone, under the session of a print version


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


PATTERNS: dict[Language, Patterns] = {
    "nl": Patterns(
        toolbar=_compile(r"Tweetalige printerversie\s+Eentalige printerversie\s*$"),
        head=_compile(r"BELGISCHE\s+SENAAT\s*$"),
        number=_compile(r"Schriftelijke vraag nr\.?\s*" + NUMBER + r"\s*$"),
        print_number=_compile(r"SENAAT\s+Schriftelijke vraag nr\.?\s*" + NUMBER + r"\s*$"),
        author=_compile(r"van\s+(.+?)(?:\s+\(([^()]+)\))?\s+d\.d\.\s+" + WRITTEN_DATE + r"\s*$"),
        print_author=_compile(r"(?:van|de)\s+(.+?)(?:\s+\(([^()]+)\))?(?:\s+d\.d\.\s+" + WRITTEN_DATE + r")?\s*$"),
        addressee=_compile(r"(aan)\s+(.+?)\s*$"),
        question=_compile(
            r"(?:SENAAT\s+)?(?:Schriftelijke\s+)?Vraag nr\.?\s*"
            + NUMBER
            + r"\s+d\.d\.\s+"
            + WRITTEN_DATE
            + r"\s*:?\s*(?:\(Vraag gesteld in het (\w+)\))?\s*$"
        ),
        answer=_compile(r"Antwoord ontvangen op\s+" + WRITTEN_DATE + r"\s*:?\s*$"),
        session=_compile(r"Zitting\s+" + SESSION + r"\s*$"),
        printed=_compile(r"Afgedrukt op\s+" + WRITTEN_DATE + r"\s*$"),
        dated=_compile(WRITTEN_DATE + r"\s*$"),
    ),
    "fr": Patterns(
        toolbar=_compile(r"Version à imprimer bilingue\s+Version à imprimer unilingue\s*$"),
        head=_compile(r"SÉNAT\s+DE\s+BELGIQUE\s*$"),
        number=_compile(r"Question écrite n°\s*" + NUMBER + r"\s*$"),
        print_number=_compile(r"SÉNAT\s+Question écrite n°\s*" + NUMBER + r"\s*$"),
        author=_compile(r"de\s+(.+?)(?:\s+\(([^()]+)\))?\s+du\s+" + WRITTEN_DATE + r"\s*$"),
        print_author=_compile(r"(?:de|van)\s+(.+?)(?:\s+\(([^()]+)\))?(?:\s+du\s+" + WRITTEN_DATE + r")?\s*$"),
        addressee=_compile(r"(à|au|aux)\s+(.+?)\s*$"),
        question=_compile(
            r"(?:SÉNAT\s+)?Question(?:\s+écrite)?\s+n°\s*"
            + NUMBER
            + r"\s+du\s+"
            + WRITTEN_DATE
            + r"\s*:?\s*(?:\(Question posée en (\w+)\))?\s*$"
        ),
        answer=_compile(r"Réponse reçue le\s+" + WRITTEN_DATE + r"\s*:?\s*$"),
        session=_compile(r"Session\s+" + SESSION + r"\s*$"),
        printed=_compile(r"Imprimé le\s+" + WRITTEN_DATE + r"\s*$"),
        dated=_compile(WRITTEN_DATE + r"\s*$"),
    ),
}

BILINGUAL_SESSION = _compile(r"Session\s+" + SESSION + r"\s+Zitting\s+" + SESSION + r"\s*$")
BILINGUAL_NUMBER = _compile(r"Question écrite n°\s*" + NUMBER + r"\s+Schriftelijke vraag nr\.?\s*" + NUMBER + r"\s*$")
BILINGUAL_PRINTED = _compile(r"Imprimé le\s+" + WRITTEN_DATE + r"\s+Afgedrukt op\s+" + WRITTEN_DATE + r"\s*$")
BILINGUAL_DATED = _compile(WRITTEN_DATE + r"\s+" + WRITTEN_DATE + r"\s*$")
BILINGUAL_CHRONOLOGY = "Chronologie Chronologie"
