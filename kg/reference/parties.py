"""Parties over time: one identity per party, whatever name a document prints for it.

sp.a became Vooruit, cdH became Les Engagés: the documents print the name of their day, and kg
publishes one party with its names and their dates (`reference/parties.toml`). A name the file
does not know is a party of its own, minted from that name.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from kg.paths import REFERENCE_DIR
from kg.text import slugify

PARTIES_FILE = REFERENCE_DIR / "parties.toml"


class PartiesError(ValueError):
    """The parties file breaks its format; the message names the file and the entry."""


@dataclass(frozen=True)
class PartyName:
    name: str
    since: date | None = None  # the first day the party bore it, where a source says so
    until: date | None = None
    source: str | None = None


@dataclass(frozen=True)
class Party:
    id: str  # the URI reference: /id/party/{id}
    names: tuple[PartyName, ...]  # oldest first

    def name_on(self, day: date | None) -> str:
        """The name the party bore on `day` (its latest name when `day` is None or not covered)."""
        if day is not None:
            for name in self.names:
                if (name.since is None or name.since <= day) and (name.until is None or day <= name.until):
                    return name.name
        return self.names[-1].name


class Parties:
    def __init__(self, parties: tuple[Party, ...]):
        self.parties = parties
        self._by_slug = {slugify(name.name): party for party in parties for name in party.names}

    def find(self, printed: str) -> Party | None:
        return self._by_slug.get(slugify(printed))

    def key(self, printed: str) -> str:
        """The URI reference of the party a document prints as `printed`."""
        party = self.find(printed)
        return party.id if party is not None else slugify(printed)


def _day(value: object, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    raise PartiesError(f"{where}: a date is written 2021-03-21, not {value!r}")


def read_parties(path: Path) -> Parties:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise PartiesError(f"{path}: {error}") from error
    parties = []
    seen: dict[str, str] = {}
    for index, entry in enumerate(data.get("party", []), 1):
        where = f"{path}: party {index}"
        ident = entry.get("id")
        if not isinstance(ident, str) or slugify(ident) != ident:
            raise PartiesError(f"{where}: `id` must be a URI slug, not {ident!r}")
        names = []
        for name in entry.get("names", []):
            text = name.get("name")
            if not isinstance(text, str) or not text.strip():
                raise PartiesError(f"{where} ({ident}): every name needs `name`")
            if slugify(text) in seen:
                raise PartiesError(f"{where} ({ident}): {text!r} is already a name of {seen[slugify(text)]}")
            seen[slugify(text)] = ident
            names.append(
                PartyName(text, _day(name.get("from"), where), _day(name.get("until"), where), name.get("source"))
            )
        if not names:
            raise PartiesError(f"{where} ({ident}): a party needs at least one name")
        parties.append(Party(ident, tuple(sorted(names, key=lambda n: n.since or date.min))))
    return Parties(tuple(parties))


@lru_cache(maxsize=1)
def load_parties() -> Parties:
    return read_parties(PARTIES_FILE)
