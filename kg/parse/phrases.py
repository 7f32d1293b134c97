"""The fixed wording of the documents, per language: one table the parser reads with and the
generator (`kg.synth`) writes with, so the two cannot drift apart.

Everything here is printed by the Senate; see `kg.parse.layout` for where each line stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.parse.dates import WRITTEN_DATE
from kg.records import EventKind, Language, LinkKind

NUMBER = r"(\d{1,2})-(\d{1,6})"
RULE = "_" * 72  # the separator line of the print renderings
RULE_RE = re.compile(r"_{10,}\s*$")


@dataclass(frozen=True)
class Phrases:
    """The words one language version prints around the facts."""

    language: Language
    toolbar: str  # first line of a web page
    senate: str  # prefix of the number line in a one-language print version
    number: str  # "Schriftelijke vraag nr. {number}"
    author: str  # "van {author} ({party}) d.d. {date}"
    author_no_party: str
    question: str  # "Vraag nr. {number} d.d. {date} :"
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
    senate="SENAAT",
    number="Schriftelijke vraag nr. {number}",
    author="van {author} ({party}) d.d. {date}",
    author_no_party="van {author} d.d. {date}",
    question="Vraag nr. {number} d.d. {date} :",
    original={"nl": "(Vraag gesteld in het Nederlands)", "fr": "(Vraag gesteld in het Frans)"},
    answer="Antwoord ontvangen op {date} :",
    session="Zitting {session}",
    printed="Afgedrukt op {date}",
    deadline="Einde van de antwoordtermijn",
    events={"sent": "Verzending vraag", "reminder": "Rappel", "answer": "Antwoord",
            "closed": "Dossier gesloten", "end-of-legislature": "Einde van de zittingsperiode"},
    links={"sibling": "Ook gesteld aan", "resubmitted-as": "Heringediend als",
           "resubmission-of": "Herindiening van"},
    link_noun="schriftelijke vraag",
)

FR = Phrases(
    language="fr",
    toolbar="Version à imprimer bilingue Version à imprimer unilingue",
    senate="SÉNAT",
    number="Question écrite n° {number}",
    author="de {author} ({party}) du {date}",
    author_no_party="de {author} du {date}",
    question="Question n° {number} du {date} :",
    original={"nl": "(Question posée en néerlandais)", "fr": "(Question posée en français)"},
    answer="Réponse reçue le {date} :",
    session="Session {session}",
    printed="Imprimé le {date}",
    deadline="Fin du délai de réponse",
    events={"sent": "Envoi question", "reminder": "Rappel", "answer": "Réponse",
            "closed": "Dossier clôturé", "end-of-legislature": "Fin de la législature"},
    links={"sibling": "Aussi posée à", "resubmitted-as": "Réintroduite comme",
           "resubmission-of": "Réintroduction de"},
    link_noun="question écrite",
)

PHRASES: dict[Language, Phrases] = {"nl": NL, "fr": FR}

# The bilingual print version's head, and the French-then-Dutch session line.
BILINGUAL_HEAD = "SÉNAT DE BELGIQUE BELGISCHE SENAAT"
SESSION = r"(\d{4}-\d{4})"

# Every label a chronology line may carry, mapped to its kind (lower case; both languages,
# including the variants seen in print).
EVENT_KINDS: dict[str, EventKind] = {
    "verzending vraag": "sent", "envoi question": "sent", "envoi de la question": "sent",
    "rappel": "reminder", "herinnering": "reminder",
    "antwoord": "answer", "réponse": "answer", "reponse": "answer",
    "dossier gesloten": "closed", "dossier clôturé": "closed", "dossier cloturé": "closed",
    "dossier cloture": "closed",
    "einde van de zittingsperiode": "end-of-legislature", "einde zittingsperiode": "end-of-legislature",
    "fin de la législature": "end-of-legislature", "fin de la legislature": "end-of-legislature",
}

LINK_KINDS: dict[str, LinkKind] = {
    "ook gesteld aan": "sibling", "aussi posée à": "sibling", "aussi posee a": "sibling",
    "heringediend als": "resubmitted-as", "réintroduite comme": "resubmitted-as",
    "reintroduite comme": "resubmitted-as",
    "herindiening van": "resubmission-of", "réintroduction de": "resubmission-of",
    "reintroduction de": "resubmission-of",
}

ORIGINAL_LANGUAGE: dict[str, Language | None] = {
    "nederlands": "nl", "frans": "fr", "duits": None,
    "néerlandais": "nl", "neerlandais": "nl", "français": "fr", "francais": "fr", "allemand": None,
}


@dataclass(frozen=True)
class Patterns:
    """The compiled line patterns of one language."""

    toolbar: re.Pattern[str]
    number: re.Pattern[str]  # groups: legislature, number
    print_number: re.Pattern[str]
    author: re.Pattern[str]  # groups: author, party, day, month, year
    addressee: re.Pattern[str]  # groups: preposition, rest
    question: re.Pattern[str]  # groups: leg, nr, day, month, year, original-language word
    answer: re.Pattern[str]  # groups: day, month, year
    session: re.Pattern[str]
    printed: re.Pattern[str]


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


PATTERNS: dict[Language, Patterns] = {
    "nl": Patterns(
        toolbar=_compile(r"Tweetalige printerversie\s+Eentalige printerversie\s*$"),
        number=_compile(r"Schriftelijke vraag nr\.?\s*" + NUMBER + r"\s*$"),
        print_number=_compile(r"SENAAT\s+Schriftelijke vraag nr\.?\s*" + NUMBER + r"\s*$"),
        author=_compile(r"van\s+(.+?)(?:\s+\(([^()]+)\))?\s+d\.d\.\s+" + WRITTEN_DATE + r"\s*$"),
        addressee=_compile(r"(aan)\s+(.+?)\s*$"),
        question=_compile(r"Vraag nr\.?\s*" + NUMBER + r"\s+d\.d\.\s+" + WRITTEN_DATE
                          + r"\s*:?\s*(?:\(Vraag gesteld in het (\w+)\))?\s*$"),
        answer=_compile(r"Antwoord ontvangen op\s+" + WRITTEN_DATE + r"\s*:?\s*$"),
        session=_compile(r"Zitting\s+" + SESSION + r"\s*$"),
        printed=_compile(r"Afgedrukt op\s+" + WRITTEN_DATE + r"\s*$"),
    ),
    "fr": Patterns(
        toolbar=_compile(r"Version à imprimer bilingue\s+Version à imprimer unilingue\s*$"),
        number=_compile(r"Question écrite n°\s*" + NUMBER + r"\s*$"),
        print_number=_compile(r"SÉNAT\s+Question écrite n°\s*" + NUMBER + r"\s*$"),
        author=_compile(r"de\s+(.+?)(?:\s+\(([^()]+)\))?\s+du\s+" + WRITTEN_DATE + r"\s*$"),
        addressee=_compile(r"(à|au|aux)\s+(.+?)\s*$"),
        question=_compile(r"Question n°\s*" + NUMBER + r"\s+du\s+" + WRITTEN_DATE
                          + r"\s*:?\s*(?:\(Question posée en (\w+)\))?\s*$"),
        answer=_compile(r"Réponse reçue le\s+" + WRITTEN_DATE + r"\s*:?\s*$"),
        session=_compile(r"Session\s+" + SESSION + r"\s*$"),
        printed=_compile(r"Imprimé le\s+" + WRITTEN_DATE + r"\s*$"),
    ),
}

BILINGUAL_SESSION = _compile(r"Session\s+" + SESSION + r"\s+Zitting\s+" + SESSION + r"\s*$")
BILINGUAL_NUMBER = _compile(r"Question écrite n°\s*" + NUMBER + r"\s+Schriftelijke vraag nr\.?\s*"
                            + NUMBER + r"\s*$")
BILINGUAL_PRINTED = _compile(r"Imprimé le\s+" + WRITTEN_DATE + r"\s+Afgedrukt op\s+"
                             + WRITTEN_DATE + r"\s*$")
BILINGUAL_CHRONOLOGY = "Chronologie Chronologie"
