"""A generated corpus whose deadlines, answers and reminders are known: one question per status,
made from a real web page (tests/documents/web-fr-5-8914.txt) with its number, chronology and
answer replaced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kg.text import MONTH_NAMES

TEMPLATE = Path(__file__).parent / "documents" / "web-fr-5-8914.txt"
AS_OF = date(2013, 9, 30)  # the reference date the corpus is built with
LATEST = date(2014, 5, 24)  # the latest date in the corpus: the reference date by default


@dataclass(frozen=True)
class Case:
    number: str
    chronology: tuple[str, ...]
    answered: date | None
    status: str  # the kg status local name expected as of AS_OF
    deadline: date | None
    reminders: int  # sent by AS_OF
    latest: str = ""  # the status as of the latest date in the corpus (24 May 2014), when another
    addressee: str = "finance"  # a key of ADDRESSEES


CASES = (
    Case(
        "5-9001",
        ("1/5/2013Envoi question (Fin du délai de réponse: 31/5/2013)", "30/5/2013Réponse"),
        date(2013, 5, 30),
        "AnsweredOnTime",
        date(2013, 5, 31),
        0,
    ),
    Case(
        "5-9002",
        ("1/5/2013Envoi question (Fin du délai de réponse: 31/5/2013)", "4/7/2013 Rappel", "6/9/2013Réponse"),
        date(2013, 9, 6),
        "AnsweredLate",
        date(2013, 5, 31),
        1,
    ),
    Case(
        "5-9003",
        ("2/9/2013Envoi question (Fin du délai de réponse: 2/10/2013)",),
        None,
        "OpenWithinDeadline",
        date(2013, 10, 2),
        0,
        "OpenPastDeadline",
        "prime",
    ),
    Case(
        "5-9004",
        ("1/5/2013Envoi question (Fin du délai de réponse: 31/5/2013)", "4/7/2013 Rappel", "5/8/2013 Rappel"),
        None,
        "OpenPastDeadline",
        date(2013, 5, 31),
        2,
    ),
    Case("5-9005", ("1/5/2013Envoi question",), None, "OpenDeadlineUnknown", None, 0),
    Case(
        "5-9006",
        ("1/5/2013Envoi question (Fin du délai de réponse: 31/5/2013)", "1/7/2013 Dossier clôturé"),
        None,
        "ClosedWithoutAnswer",
        date(2013, 5, 31),
        0,
    ),
    Case(
        "5-9007",
        ("1/5/2013Envoi question", "24/5/2014 Fin de la législature"),
        None,
        "OpenDeadlineUnknown",
        None,
        0,
        "LapsedAtEndOfLegislature",
    ),
    Case(
        "5-9008",
        ("1/5/2013Envoi question", "3/6/2013Réponse"),
        date(2013, 6, 3),
        "AnsweredDeadlineUnknown",
        None,
        0,
        addressee="prime",
    ),
)
# addressee key -> the line printed, and the person holding that office in May 2013
ADDRESSEES = {
    "finance": ("au ministre des Finances, chargé de la Fonction publique", "koen-geens"),
    "prime": ("au Premier ministre", "elio-di-rupo"),
}
ASKED = date(2013, 5, 1)
HOSTILE_NUMBER = "5-9004"
HOSTILE_TITLE = '<script>alert("x")</script><img src=x onerror=alert(1)> & co'
# every case's date ("du 1er mai 2013"), 5-9003's sending aside


def document(case: Case) -> str:
    text = TEMPLATE.read_text(encoding="utf-8")
    head, rest = text.split("Chronologie\n\n", 1)
    _, links = rest.split("\n\n", 1)
    text = head + "Chronologie\n\n" + "\n".join(case.chronology) + "\n\n" + links
    text = text.replace("5-8914", case.number)
    if case.number == HOSTILE_NUMBER:  # markup in a title the overdue list shows: escaped, never run
        text = text.replace("Services publics fédéraux - Communication", HOSTILE_TITLE, 1)
    text = text.replace(
        "au vice-premier ministre et ministre des Finances et des Réformes institutionnelles",
        ADDRESSEES[case.addressee][0],
    )
    if case.answered is None:
        text = text.split("Réponse reçue le", 1)[0]
    else:
        text = text.replace("Réponse reçue le 6 septembre 2013", f"Réponse reçue le {_french(case.answered)}")
    return text


MONTHS = MONTH_NAMES["fr"]


def _french(day: date) -> str:
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        (folder / f"web-fr-{case.number}.txt").write_text(document(case), encoding="utf-8")
    return folder
