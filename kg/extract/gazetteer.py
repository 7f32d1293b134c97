"""The gazetteer of federal agencies (`reference/agencies.toml`) and finding them in text.

Names and aliases match whatever their case and accents ("Federale Overheidsdienst Financiën",
"FOD Financien"); abbreviations match case-sensitively as whole words, so "DVZ" is found but
"dvz" inside a word is not. The longest name wins: "FOD Mobiliteit en Vervoer" is one mention,
not "FOD Mobiliteit" followed by text.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.extract.fold import compact, fold, fold_lower
from kg.paths import REFERENCE_DIR
from kg.text import slugify

GAZETTEER_FILE = REFERENCE_DIR / "agencies.toml"
KINDS = frozenset(
    {
        "federal-public-service",
        "programming-public-service",
        "ministry",
        "administration",
        "public-body",
        "court",
        "public-company",
    }
)
LANGUAGES = ("nl", "fr", "en")


class GazetteerError(ValueError):
    """The gazetteer file says something that cannot be right; names the agency and field."""


@dataclass(frozen=True)
class Agency:
    key: str
    kind: str
    names: dict[str, str]  # language -> official name
    aliases: dict[str, tuple[str, ...]]
    abbreviations: dict[str, tuple[str, ...]]
    parent: str | None = None
    replaced_by: str | None = None
    cbe: str | None = None  # "0308.357.159"
    cbe_source: str | None = None
    handles: tuple[tuple[str, str], ...] = ()  # (platform, handle)

    def labels(self) -> Iterator[tuple[str, str]]:
        """(text, language) of every alternative label: aliases, then abbreviations."""
        for language in LANGUAGES:
            for alias in self.aliases.get(language, ()):
                yield alias, language
            for abbreviation in self.abbreviations.get(language, ()):
                yield abbreviation, language


@dataclass(frozen=True)
class AgencyHit:
    start: int
    end: int
    agency: str


class Gazetteer:
    def __init__(self, agencies: dict[str, Agency]):
        self.agencies = agencies
        self._by_compact: dict[str, str] = {}
        self._by_handle: dict[tuple[str, str], str] = {}
        names: dict[str, str] = {}
        abbreviations: dict[str, str] = {}
        for agency in agencies.values():
            for name in [*agency.names.values(), *(a for v in agency.aliases.values() for a in v)]:
                names.setdefault(fold(name).lower(), agency.key)
                self._by_compact.setdefault(compact(name), agency.key)
            for abbreviation in (a for v in agency.abbreviations.values() for a in v):
                abbreviations.setdefault(fold(abbreviation), agency.key)
                self._by_compact.setdefault(compact(abbreviation), agency.key)
            for platform, handle in agency.handles:
                self._by_handle[(platform, handle.lower())] = agency.key
        self._names = names
        self._abbreviations = abbreviations
        self._name_re = _trie_regex(names)
        self._abbreviation_re = re.compile(
            r"(?<![\w&])(?:"
            + "|".join(re.escape(a) for a in sorted(abbreviations, key=len, reverse=True))
            + r")(?![\w&])"
        )

    def __getitem__(self, key: str) -> Agency:
        return self.agencies[key]

    def find(self, folded: str, lowered: str | None = None) -> list[AgencyHit]:
        """Agencies named in `folded` (text passed through `fold`; `lowered` is the same in lower
        case, when the caller has it), in order, not overlapping."""
        if lowered is None:
            lowered = fold_lower(folded)
        hits = [
            AgencyHit(m.start(), m.end(), self._names[_canonical(m.group())]) for m in self._name_re.finditer(lowered)
        ]
        hits += [
            AgencyHit(m.start(), m.end(), self._abbreviations[m.group()])
            for m in self._abbreviation_re.finditer(folded)
        ]
        hits.sort(key=lambda hit: (hit.start, -hit.end))
        kept: list[AgencyHit] = []
        for hit in hits:
            if kept and hit.start < kept[-1].end:
                continue
            kept.append(hit)
        return kept

    def by_account_name(self, platform: str, name: str) -> str | None:
        """The agency a handle or page name spells ("FOD_Financien", "Statistics-Belgium-NL",
        "statbel_nl"), or the gazetteer's known owner of the handle."""
        known = self._by_handle.get((platform, name.lower()))
        if known:
            return known
        stripped = re.sub(r"[-_ .](?:nl|fr|en|de)$", "", name, flags=re.IGNORECASE)
        return self._by_compact.get(compact(stripped))

    def ancestors(self, key: str) -> list[str]:
        """`key`'s parent, its parent's parent, ...: Statbel -> [fod-economie]."""
        chain: list[str] = []
        parent = self.agencies[key].parent
        while parent and parent not in chain:
            chain.append(parent)
            parent = self.agencies[parent].parent
        return chain

    def related(self, one: str, other: str) -> bool:
        """One is (part of) the other: FOD Economie and its Statbel are related."""
        return one == other or one in self.ancestors(other) or other in self.ancestors(one)


# Between the words of a name, text may put an abbreviation in parentheses:
# "Federale Overheidsdienst (FOD) Mobiliteit".
_SEPARATOR = r"(?:\s*\([^()\s]{1,12}\))?\s+"


def _trie_regex(names: dict[str, str]) -> re.Pattern[str]:
    """One regex for all (lower-case, folded) names, built as a character trie so the engine
    follows shared prefixes once instead of trying every name at every position; at each branch
    it prefers going on, so the longest name wins ("FOD Mobiliteit en Vervoer" over "FOD
    Mobiliteit")."""
    trie: dict = {}
    for name in names:
        node = trie
        for char in " ".join(name.split()):
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [
            (_SEPARATOR if char == " " else re.escape(char)) + build(child)
            for char, child in sorted(node.items())
            if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return "(?:" + body + ")?"
        return body

    return re.compile(r"(?<![\w&])" + build(trie) + r"(?![\w&])")


def _canonical(matched: str) -> str:
    """The table key of a flexible match: parenthesised abbreviations out, spaces single."""
    without = re.sub(r"\s*\([^()\s]{1,12}\)", "", matched)
    return " ".join(without.split()).lower()


def _load(path: Path) -> dict[str, Agency]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    agencies: dict[str, Agency] = {}
    for key, table in data.get("agency", {}).items():
        where = f"{path.name}: agency {key!r}"
        if slugify(key) != key:
            raise GazetteerError(f"{where}: key must be a slug")
        kind = table.get("kind")
        if kind not in KINDS:
            raise GazetteerError(f"{where}: kind {kind!r} is not one of {sorted(KINDS)}")
        names = dict(table.get("name", {}))
        if not {"nl", "fr"} <= names.keys():
            raise GazetteerError(f"{where}: name needs nl and fr")
        handles = []
        for entry in table.get("handles", []):
            platform, _, handle = entry.partition(":")
            if not handle:
                raise GazetteerError(f"{where}: handle {entry!r} is not platform:handle")
            handles.append((platform, handle))
        cbe = table.get("cbe")
        if cbe is not None and not re.fullmatch(r"[01]\d{3}\.\d{3}\.\d{3}", cbe):
            raise GazetteerError(f"{where}: cbe {cbe!r} is not an enterprise number 0123.456.789")
        if cbe is not None and not table.get("cbe_source"):
            raise GazetteerError(f"{where}: cbe without cbe_source")
        agencies[key] = Agency(
            key=key,
            kind=kind,
            names=names,
            aliases={lang: tuple(v) for lang, v in table.get("aliases", {}).items()},
            abbreviations={lang: tuple(v) for lang, v in table.get("abbreviations", {}).items()},
            parent=table.get("parent"),
            replaced_by=table.get("replaced_by"),
            cbe=cbe,
            cbe_source=table.get("cbe_source"),
            handles=tuple(handles),
        )
    for agency in agencies.values():
        for field_name in ("parent", "replaced_by"):
            target = getattr(agency, field_name)
            if target is not None and target not in agencies:
                raise GazetteerError(
                    f"{path.name}: agency {agency.key!r}: {field_name} {target!r} is not in the gazetteer"
                )
    return agencies


@lru_cache(maxsize=4)
def load_gazetteer(path: Path = GAZETTEER_FILE) -> Gazetteer:
    return Gazetteer(_load(path))
