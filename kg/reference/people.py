"""One identity per person: the people of the reference data, their spellings and namesakes.

A document names people as it spells them ("Joelle Milquet", "Carl De Vlies"); kg publishes one
resource per person under a stable id, whatever the spelling. The facts live in
`reference/people.toml`; a name the file does not know still gets a person, marked as not
reconciled, and two people of one name stay two (the file says which years a bare name means
which of them).
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kg.paths import REFERENCE_DIR
from kg.text import slugify

PEOPLE_FILE = REFERENCE_DIR / "people.toml"
UNRECONCILED_SUFFIX = "-unreconciled"  # an unknown name whose slug is a known person's id


@dataclass(frozen=True)
class Person:
    id: str  # the URI reference, stable across spellings
    name: str  # the spelling kg prints
    variants: tuple[str, ...] = ()
    wikidata: str | None = None
    born: date | None = None
    since: date | None = None  # the days a bare name means this person, when namesakes exist
    until: date | None = None
    sources: tuple[str, ...] = ()

    def named_on(self, day: date | None) -> bool:
        return day is None or ((self.since is None or self.since <= day) and (self.until is None or day <= self.until))


@dataclass(frozen=True)
class Identity:
    """A printed name as kg publishes it: the person's id and name, and whether the reference
    data knows who it is (`person` is None when it does not: a new, unreconciled person)."""

    id: str
    name: str
    person: Person | None

    @property
    def reconciled(self) -> bool:
        return self.person is not None


class People:
    """The people of the reference data, indexed by every spelling (compared as URI slugs:
    without case, accents or punctuation)."""

    def __init__(self, people: Sequence[Person]):
        self.people = tuple(people)
        self._by_id: dict[str, Person] = {}
        self._by_name: dict[str, list[Person]] = {}
        for person in self.people:
            if person.id in self._by_id:
                raise ValueError(f"duplicate person id {person.id!r}")
            if slugify(person.id) != person.id or person.id.endswith(UNRECONCILED_SUFFIX):
                raise ValueError(f"{person.id!r}: a person's id is a slug (lower case, digits, '-')")
            self._by_id[person.id] = person
            for spelling in {slugify(name) for name in (person.name, *person.variants)}:
                self._by_name.setdefault(spelling, []).append(person)

    def by_id(self, person_id: str) -> Person:
        return self._by_id[person_id]

    def identify(self, name: str, on: date | None = None) -> Identity:
        """The person a printed name means on `on`: the only one of that spelling, else the only
        one of those whose years cover the day; if none or several, a person of its own."""
        found = self._by_name.get(slugify(name), [])
        if len(found) > 1:
            found = [person for person in found if person.named_on(on)]
        if len(found) == 1:
            return Identity(found[0].id, found[0].name, found[0])
        slug = slugify(name)
        return Identity(slug + UNRECONCILED_SUFFIX if slug in self._by_id else slug, name, None)


def _date(raw: dict, key: str, where: str) -> date | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, date):
        raise ValueError(f"{where}: {key} must be a date, not {value!r}")
    return value


def parse_people(data: dict, where: str = "people") -> People:
    people = []
    for raw in data.get("person", []):
        if not raw.get("id") or not raw.get("name"):
            raise ValueError(f"{where}: a person needs an id and a name ({raw!r})")
        at = f"{where}: {raw['id']}"
        people.append(
            Person(
                str(raw["id"]),
                str(raw["name"]),
                tuple(raw.get("variants", ())),
                raw.get("wikidata"),
                _date(raw, "born", at),
                _date(raw, "from", at),
                _date(raw, "until", at),
                tuple(raw.get("sources", ())),
            )
        )
    return People(people)


def read_people(path: Path | None = None) -> People:
    path = path or PEOPLE_FILE
    if not path.is_file():
        return People(())
    with path.open("rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"{path}: {error}") from None
    return parse_people(data, str(path))
