"""Reference data of Belgian federal governments: which office existed, who held it when.

A written question is addressed to an office ("de minister van Justitie"), not to a person; this
module turns the printed office into the reference office and the person in it on the question's
date. The facts live in `reference/governments/` (one TOML file per government, with its
sources) and `reference/legislatures.toml`, so they can be checked and extended without touching
code (see docs/reference-data.md).
"""

from __future__ import annotations

import bisect
import re
import tomllib
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from kg.parse.records import Office
from kg.paths import REFERENCE_DIR
from kg.reference.people import PEOPLE_FILE, Identity, People, read_people

GOVERNMENTS_DIR = REFERENCE_DIR / "governments"
LEGISLATURES_FILE = REFERENCE_DIR / "legislatures.toml"

_KINDS = {"prime-minister", "minister", "state-secretary", "other"}
_FILE = "__file__"  # set by `read_reference` on each government: the file it came from, for errors


@dataclass(frozen=True)
class Holding:
    """One person in one office for one period (UK Parliament's "incumbency"); dates inclusive."""

    person: str
    party: str | None
    start: date
    end: date | None
    person_id: str | None = None  # the person's id in the people file, where a name is not enough

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class ReferenceOffice:
    key: str  # unique over all governments: "di-rupo-minister-justice"
    government: str  # government key
    kind: str
    titles_nl: tuple[str, ...]
    titles_fr: tuple[str, ...]
    portfolio_nl: tuple[str, ...]
    portfolio_fr: tuple[str, ...]
    attached_to: str | None  # key of the office a state secretary is attached to
    holders: tuple[Holding, ...]
    sources: tuple[str, ...]

    def holder_on(self, day: date) -> Holding | None:
        """Who held the office on `day`; on a hand-over day, the newcomer."""
        current = [h for h in self.holders if h.covers(day)]
        return max(current, key=lambda h: h.start) if current else None


@dataclass(frozen=True)
class Government:
    key: str
    name: str
    start: date
    end: date | None
    sources: tuple[str, ...]
    offices: tuple[ReferenceOffice, ...]

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Legislature:
    """One legislature of the Senate ("zittingsperiode"): its number, first and last day."""

    number: int
    start: date
    end: date | None
    sources: tuple[str, ...]

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class ResolvedOffice:
    """A printed office with what the reference data says of it (None: not known, no guess)."""

    printed: Office
    reference: ReferenceOffice | None
    holder: Holding | None


# Words that vary between printings without changing the office: articles, prepositions,
# conjunctions in both languages.
_STOPWORDS = frozenset("de het een van voor en der den la le les l d du des a au aux et en pour of the".split())
_ATTACHED = re.compile(r",?\s*(toegevoegd aan|adjointe? (?:au|a la|a l)|adjointe? a)\b.*$")
_DEPUTY = re.compile(r"^(vice[- ]?eerste ?minister|vice[- ]premier(?:e)? ministre)\s+(en|et)\s+")
_WORD = re.compile(r"[a-z0-9]+")
_CHARGED = re.compile(r",?\s*(belast met|chargee? (?:de|des|du))\b.*$")


def fold(text: str) -> str:
    """Lower case without accents, apostrophes as spaces: the form titles are compared in."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\s+", " ", text.lower().replace("'", " ")).strip()


def normalize_title(text: str) -> str:
    """ "de Staatssecretaris voor Leefmilieu, Energie en Mobiliteit, toegevoegd aan ..." ->
    "staatssecretaris leefmilieu energie mobiliteit": case, accents, articles, punctuation,
    the deputy-prime-minister prefix and the attachment are not part of an office's name."""
    folded = _DEPUTY.sub("", _ATTACHED.sub("", fold(text)))
    return " ".join(word for word in _WORD.findall(folded) if word not in _STOPWORDS)


_PRINTED_DEPUTY = re.compile(
    r"^(?:vice[- ]?eerste ?minister|vice[- ]premi(?:er|ère) ministre)\s+(?:en|et)\s+", re.IGNORECASE
)


def office_name(text: str) -> str:
    """The printed title without the deputy-prime-minister prefix: "vice-eersteminister en
    minister van Justitie" -> "minister van Justitie". Prints of one office differ there (and
    `normalize_title` makes them one office), so this is the name each print gives alike."""
    return _PRINTED_DEPUTY.sub("", text.strip()) or text.strip()


def core_title(text: str) -> str:
    """The title without its ", belast met ..." / ", chargé de ..." part: those extra charges are
    printed in some places and not in others, and change more often than the office."""
    return normalize_title(_CHARGED.sub("", fold(_ATTACHED.sub("", fold(text)))))


def _portfolio_key(items: Sequence[str]) -> frozenset[str]:
    return frozenset(normalize_title(item) for item in items if normalize_title(item))


class Governments:
    """The loaded reference data, indexed for matching printed offices."""

    def __init__(
        self, governments: Sequence[Government], legislatures: Sequence[Legislature] = (), people: People | None = None
    ):
        self.governments = tuple(sorted(governments, key=lambda g: g.start))
        self.legislatures = tuple(sorted(legislatures, key=lambda leg: leg.number))
        self.people = people if people is not None else People(())
        self.offices: dict[str, ReferenceOffice] = {}
        for government in self.governments:
            for office in government.offices:
                if office.key in self.offices:
                    raise ValueError(f"duplicate office key {office.key!r}")
                self.offices[office.key] = office
        self._by_government = {g.key: g for g in self.governments}
        self._titles: dict[str, list[ReferenceOffice]] = {}
        self._cores: dict[str, list[ReferenceOffice]] = {}
        self._portfolios: dict[frozenset[str], list[ReferenceOffice]] = {}
        for office in self.offices.values():
            if office.attached_to is not None and office.attached_to not in self.offices:
                raise ValueError(f"{office.key}: attached to unknown office {office.attached_to!r}")
            for title in {normalize_title(t) for t in office.titles_nl + office.titles_fr}:
                self._titles.setdefault(title, []).append(office)
            for title in {core_title(t) for t in office.titles_nl + office.titles_fr}:
                self._cores.setdefault(title, []).append(office)
            for items in (office.portfolio_nl, office.portfolio_fr):
                if items:
                    self._portfolios.setdefault(_portfolio_key(items), []).append(office)
        self._changes = sorted(set(self._change_days()))
        for office in self.offices.values():
            for holding in office.holders:
                if holding.person_id is not None and holding.person_id not in self.people._by_id:
                    raise ValueError(
                        f"{office.key}: {holding.person}: no person {holding.person_id!r} in the people file"
                    )

    def holder(self, holding: Holding) -> Identity:
        """The person of a holding: the one its `id` names, else the one its name means then."""
        if holding.person_id is not None:
            person = self.people.by_id(holding.person_id)
            return Identity(person.id, person.name, person)
        return self.people.identify(holding.person, holding.start)

    def _change_days(self) -> Iterator[date]:
        """Every day on which a government or a holding starts, or the day after one ends."""
        for government in self.governments:
            periods = [(government.start, government.end)]
            periods += [(h.start, h.end) for o in government.offices for h in o.holders]
            for start, end in periods:
                yield start
                if end is not None and end < date.max:
                    yield end + timedelta(days=1)

    def period(self, day: date) -> date:
        """The first day of the stretch of days around `day` in which no government and no
        holding starts or ends: every day of it resolves every office alike, so `resolve(offices,
        period(day))` is `resolve(offices, day)` and callers can keep what they make of it by
        period rather than by day (questions of thousands of days, a few hundred periods)."""
        index = bisect.bisect_right(self._changes, day)
        return self._changes[index - 1] if index else date.min

    def government(self, key: str) -> Government:
        return self._by_government[key]

    def in_office(self, day: date) -> list[Government]:
        """The government in office on `day` (none before the first): on the day one hands over
        to the next, both cover it and the newer one is in office, as a newer holder is."""
        covering = [g for g in self.governments if g.covers(day)]
        return covering[-1:]

    def candidates(self, office: Office, day: date) -> list[ReferenceOffice]:
        """Reference offices the printed `office` can be on `day`: by title, else by the title
        without its extra charges, else by portfolio; narrowed by the office it is attached to
        when the print names one."""
        active = {g.key for g in self.in_office(day)}
        found = [o for o in self._titles.get(normalize_title(office.text), []) if o.government in active]
        if not found:
            found = [o for o in self._cores.get(core_title(office.text), []) if o.government in active]
        if not found and office.portfolio:
            found = [
                o
                for o in self._portfolios.get(_portfolio_key(office.portfolio), [])
                if o.government in active and _same_kind(o.kind, office.kind)
            ]
        if len(found) > 1 and office.attached_to is not None:
            attached = {o.key for o in self.candidates(office.attached_to, day)}
            narrowed = [o for o in found if o.attached_to in attached]
            found = narrowed or found
        return sorted(found, key=lambda o: o.key)

    def resolve(self, offices: Sequence[Office], day: date) -> tuple[ResolvedOffice, ...]:
        """Match every office of one addressee line. When a title fits several offices (two state
        secretaries for State Reform), the one whose holder also holds another office named in
        the same line is meant; if that does not settle it, the office stays unresolved."""
        candidates = [self.candidates(office, day) for office in offices]
        resolved = []
        for index, (office, found) in enumerate(zip(offices, candidates, strict=True)):
            if len(found) > 1:
                others = {
                    holder.person
                    for other_index, other in enumerate(candidates)
                    if other_index != index
                    for candidate in other
                    if (holder := candidate.holder_on(day)) is not None
                }
                found = [o for o in found if (h := o.holder_on(day)) is not None and h.person in others]
            reference = found[0] if len(found) == 1 else None
            holder = reference.holder_on(day) if reference is not None else None
            resolved.append(ResolvedOffice(office, reference, holder))
        return tuple(resolved)

    def unresolved(self, offices: Sequence[Office], day: date) -> tuple[str, ...]:
        """The wordings, as printed, of the offices of one addressee line that resolve to no
        holder on `day`: the reference data lacks the office, the wording fits several, or
        nobody is known to have held it that day. Cached per period, as resolving is."""
        return self._unresolved(tuple(offices), self.period(day))

    @lru_cache(maxsize=4096)  # noqa: B019 - the reference data lives as long as the process
    def _unresolved(self, offices: tuple[Office, ...], period: date) -> tuple[str, ...]:
        return tuple(r.printed.text for r in self.resolve(offices, period) if r.holder is None)


def _same_kind(reference_kind: str, printed_kind: str) -> bool:
    if printed_kind == "deputy-prime-minister":
        printed_kind = "minister"
    return reference_kind == printed_kind or printed_kind == "other"


def _holding(raw: dict, where: str) -> Holding:
    try:
        holding = Holding(str(raw["person"]), raw.get("party"), raw["start"], raw.get("end"), raw.get("id"))
    except KeyError as missing:
        raise ValueError(f"{where}: holder without {missing}") from None
    if not isinstance(holding.start, date) or (holding.end is not None and holding.end < holding.start):
        raise ValueError(f"{where}: bad dates for {holding.person}")
    return holding


def _holdings(raws: Sequence[dict], where: str, start: date, end: date | None) -> tuple[Holding, ...]:
    """An office's holders, each within its government's dates, one after the other (two meet
    only on a hand-over day): what the data cannot say, it must not say twice."""
    holdings = tuple(_holding(raw, where) for raw in raws)
    for holding in holdings:
        if holding.start < start or (end is not None and (holding.end is None or holding.end > end)):
            raise ValueError(f"{where}: {holding.person} held it outside the government's dates")
    ordered = sorted(holdings, key=lambda h: h.start)
    for before, after in pairwise(ordered):
        if before.end is None or before.end > after.start:
            raise ValueError(f"{where}: {before.person} and {after.person} overlap")
    return holdings


def parse_governments(data: dict, people: People | None = None) -> Governments:
    """Build the reference from the TOML tables (see docs/reference-data.md)."""
    governments = []
    for raw in data.get("government", []):
        gkey = raw["key"]
        file = f"{raw[_FILE]}: " if _FILE in raw else ""
        for field in ("name", "start"):
            if field not in raw:
                raise ValueError(f"{file}{gkey}: government without {field!r}")
        offices = []
        for office in raw.get("office", []):
            where = f"{file}{gkey}/{office.get('key')}"
            if office.get("kind") not in _KINDS:
                raise ValueError(f"{where}: unknown kind {office.get('kind')!r}")
            attached = office.get("attached_to")
            offices.append(
                ReferenceOffice(
                    key=f"{gkey}-{office['key']}",
                    government=gkey,
                    kind=office["kind"],
                    titles_nl=tuple(office.get("titles_nl", ())),
                    titles_fr=tuple(office.get("titles_fr", ())),
                    portfolio_nl=tuple(office.get("portfolio_nl", ())),
                    portfolio_fr=tuple(office.get("portfolio_fr", ())),
                    attached_to=f"{gkey}-{attached}" if attached else None,
                    holders=_holdings(office.get("holders", ()), where, raw["start"], raw.get("end")),
                    sources=tuple(office.get("sources", ())),
                )
            )
        governments.append(
            Government(gkey, raw["name"], raw["start"], raw.get("end"), tuple(raw.get("sources", ())), tuple(offices))
        )
    keys = [g.key for g in governments]
    if len(set(keys)) != len(keys):
        raise ValueError(f"duplicate government key among {sorted(keys)}")
    return Governments(governments, tuple(_legislature(raw) for raw in data.get("legislature", [])), people)


def _legislature(raw: dict) -> Legislature:
    where = f"legislature {raw.get('number')}"
    if not isinstance(raw.get("number"), int) or not isinstance(raw.get("start"), date):
        raise ValueError(f"{where}: needs a number and a start date")
    end = raw.get("end")
    if end is not None and (not isinstance(end, date) or end < raw["start"]):
        raise ValueError(f"{where}: bad dates")
    return Legislature(raw["number"], raw["start"], end, tuple(raw.get("sources", ())))


def read_reference(path: Path | None = None) -> dict:
    """The TOML tables of the reference data: every `*.toml` of a folder of governments (in
    name order) merged into one list of governments, with the legislatures beside the folder;
    or one file holding both. A file that is not valid TOML is named in the error."""
    path = path or GOVERNMENTS_DIR
    files = sorted(path.glob("*.toml")) if path.is_dir() else [path]
    if path.is_dir() and (path.parent / LEGISLATURES_FILE.name).is_file():
        files.append(path.parent / LEGISLATURES_FILE.name)
    data: dict[str, list] = {"government": [], "legislature": []}
    for file in files:
        with file.open("rb") as handle:
            try:
                table = tomllib.load(handle)
            except tomllib.TOMLDecodeError as error:
                raise ValueError(f"{_shown(file)}: {error}") from None
        for raw in table.get("government", []):
            raw[_FILE] = _shown(file)
        for name in data:
            data[name].extend(table.get(name, []))
    return data


def _shown(file: Path) -> str:
    """A data file as errors name it: relative to the project when it is one of its own."""
    try:
        return file.relative_to(REFERENCE_DIR.parent).as_posix()
    except ValueError:
        return str(file)


def load_governments(path: Path | None = None) -> Governments:
    """The reference data shipped with kg (or another folder or file of the same form)."""
    return _load(path or GOVERNMENTS_DIR)


@lru_cache(maxsize=4)
def _load(path: Path) -> Governments:
    """The governments of `path` with the people file beside them (none: every name unreconciled)."""
    people_file = (path.parent if path.is_dir() else path.parent) / PEOPLE_FILE.name
    return parse_governments(read_reference(path), read_people(people_file) if people_file.is_file() else None)
