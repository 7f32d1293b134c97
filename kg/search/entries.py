"""What a question contributes to the search index, as plain values.

`record_entry` takes one language version (one record) with what the reference data says of it:
the offices addressed and who held them, the government, the agencies its texts name. `merge`
makes one `QuestionDoc` of all the versions of one number, so a Dutch and a French version are one
hit. Both are plain data (JSON round-trips), so the build's workers can note them and the index
writer can rebuild from the notes without parsing a document again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache
from typing import Any

from kg.parse.records import Office, QuestionRecord, Text
from kg.reference.governments import Governments

# Status codes, as the index and the JSON answer spell them. "answered-late" is a subset of
# "answered" (a question answered after its deadline carries both). A question known only by
# number (a sibling link to a document not loaded) has no entry at all: kg does not know whether
# it was answered, so it is never counted as unanswered.
ANSWERED, LATE, UNANSWERED = "answered", "answered-late", "unanswered"


@dataclass(frozen=True)
class Entry:
    """One language version of one question."""

    number: str  # "5-8913"
    language: str  # "nl" or "fr"
    title: str
    question: str
    answer: str  # "" when this version has none
    asked: str  # ISO date
    answered: str | None  # ISO date of the answer (its text or the chronology's event)
    deadline: str | None  # ISO date the chronology gives as the answer deadline
    asker: str
    party: str | None
    descriptors: tuple[str, ...]
    offices: tuple[str, ...]  # the offices addressed, named in this language
    holders: tuple[str, ...]  # who held them on the day asked (only where the reference data says)
    governments: tuple[str, ...]  # names of the governments those offices belong to
    agencies: tuple[str, ...]  # agencies named in the texts, named in this language

    def to_json(self) -> list[Any]:
        return [getattr(self, name) for name in _ENTRY_FIELDS]  # asdict's deep copy costs 10 times this

    @classmethod
    def from_json(cls, values: Sequence[Any]) -> Entry:
        entry = cls(*values)
        for name in ("descriptors", "offices", "holders", "governments", "agencies"):
            object.__setattr__(entry, name, tuple(getattr(entry, name)))
        return entry


_ENTRY_FIELDS = tuple(f.name for f in fields(Entry))


def text_of(text: Text) -> str:
    """A body's paragraphs, one per line."""
    return "\n".join(paragraph.text for paragraph in text.paragraphs)


def record_entry(record: QuestionRecord, governments: Governments, agencies: Any | None = None) -> Entry:
    """One record's entry. `agencies` (a function of the record giving the names of the agencies
    its texts name) is the extraction's; None leaves them out."""
    language = record.language
    offices, holders, names = _addressed(record.offices, language, governments, governments.period(record.date))
    question = text_of(record.question)
    answer = text_of(record.answer.text) if record.answer is not None else ""
    answered = record.answer.date if record.answer is not None else None
    deadline = None
    for event in record.chronology:
        if event.kind == "answer" and answered is None:
            answered = event.date
        if event.deadline is not None and deadline is None:
            deadline = event.deadline
    named = agencies(record) if agencies is not None else ()
    return Entry(
        str(record.number),
        language,
        record.title,
        question,
        answer,
        record.date.isoformat(),
        _iso(answered),
        _iso(deadline),
        record.author,
        record.party,
        tuple(record.descriptors),
        offices,
        holders,
        names,
        _unique(named),
    )


@lru_cache(maxsize=4096)
def _addressed(
    offices: tuple[Office, ...], language: str, governments: Governments, period: date
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The offices addressed (named in `language`), who held them and their governments: the
    same for every day of a period (`Governments.period`), so kept per period."""
    titles: list[str] = []
    holders: list[str] = []
    names: list[str] = []
    for resolved in governments.resolve(offices, period):
        reference = resolved.reference
        if reference is None:
            titles.append(resolved.printed.text)
            continue
        known = reference.titles_nl if language == "nl" else reference.titles_fr
        titles.append(known[0] if known else resolved.printed.text)
        names.append(governments.government(reference.government).name)
        if resolved.holder is not None:
            holders.append(resolved.holder.person)
    return _unique(titles), _unique(holders), _unique(names)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


@dataclass(frozen=True)
class QuestionDoc:
    """One question as the index holds it: both language versions, one hit."""

    number: str
    legislature: int
    sequence: int
    titles: dict[str, str]  # language -> text, only the versions kg holds
    questions: dict[str, str]
    answers: dict[str, str]
    asked: str
    answered: str | None
    deadline: str | None
    asker: str
    party: str | None
    descriptors: dict[str, tuple[str, ...]]
    offices: dict[str, tuple[str, ...]]
    agencies: dict[str, tuple[str, ...]]
    holders: tuple[str, ...]
    governments: tuple[str, ...]
    status: tuple[str, ...]

    @property
    def year(self) -> int:
        return int(self.asked[:4])


def merge(entries: Sequence[Entry]) -> QuestionDoc:
    """The versions of one number (in the build's order of documents) as one question. Per
    language the first version with an answer wins, else the first; facts that both languages
    carry (dates, asker, holders) come from the versions in that order."""
    assert entries, "merge needs at least one entry"
    chosen: dict[str, Entry] = {}
    for entry in entries:
        held = chosen.get(entry.language)
        if held is None or (not held.answer and entry.answer):
            chosen[entry.language] = entry
    versions = [chosen[language] for language in ("nl", "fr") if language in chosen]
    first = versions[0]
    answered = min((e.answered for e in entries if e.answered), default=None)
    deadline = next((e.deadline for e in entries if e.deadline), None)
    status: tuple[str, ...]
    if answered is None:
        status = (UNANSWERED,)
    elif deadline is not None and answered > deadline:
        status = (ANSWERED, LATE)
    else:
        status = (ANSWERED,)
    legislature, _, sequence = first.number.partition("-")
    return QuestionDoc(
        number=first.number,
        legislature=int(legislature),
        sequence=int(sequence),
        titles={e.language: e.title for e in versions if e.title},
        questions={e.language: e.question for e in versions if e.question},
        answers={e.language: e.answer for e in versions if e.answer},
        asked=min(e.asked for e in entries),
        answered=answered,
        deadline=deadline,
        asker=first.asker,
        party=next((e.party for e in versions if e.party), None),
        descriptors={e.language: e.descriptors for e in versions},
        offices={e.language: e.offices for e in versions},
        agencies={e.language: e.agencies for e in versions},
        holders=_unique(h for e in versions for h in e.holders),
        governments=_unique(g for e in versions for g in e.governments),
        status=status,
    )
