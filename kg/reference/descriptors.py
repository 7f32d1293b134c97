"""Descriptor pairs: which Dutch descriptor a French one translates, and its EuroVoc concept.

A question's descriptors are printed in the page's language. kg publishes one concept per
descriptor, named after its Dutch label; a French descriptor needs its Dutch partner, which a
bilingual document gives by position and `reference/descriptors.toml` gives for the rest.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.paths import REFERENCE_DIR
from kg.text import slugify

DESCRIPTORS_FILE = REFERENCE_DIR / "descriptors.toml"
EUROVOC_ID = re.compile(r"[1-9][0-9]*|c_[0-9a-f]{8}")  # "5116", "c_324b44f1"


class DescriptorsError(ValueError):
    """The descriptors file breaks its format; the message names the file and the entry."""


@dataclass(frozen=True)
class DescriptorPair:
    nl: str
    fr: str
    source: str
    eurovoc: str | None = None
    eurovoc_source: str | None = None


@lru_cache(maxsize=1 << 16)
def fold(label: str) -> str:
    """A label as compared: without case, accents or punctuation. Cached: descriptors recur in
    every question."""
    return slugify(label)


class Descriptors:
    """The pairs of the reference data, found by either label."""

    def __init__(self, pairs: tuple[DescriptorPair, ...]):
        self.pairs = pairs
        self._by_label: dict[tuple[str, str], DescriptorPair] = {}
        for pair in pairs:
            self._by_label[("nl", fold(pair.nl))] = pair
            self._by_label[("fr", fold(pair.fr))] = pair

    def find(self, label: str, language: str) -> DescriptorPair | None:
        try:
            return self._by_label.get((language, fold(label)))
        except ValueError:  # a label with no letters or digits
            return None


def read_descriptors(path: Path) -> Descriptors:
    """The pairs of one file; a `DescriptorsError` naming the file and entry for a bad one."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise DescriptorsError(f"{path}: {error}") from error
    pairs = []
    seen: dict[tuple[str, str], int] = {}
    for number, table in enumerate(data.get("descriptor", []), 1):
        where = f"{path}: descriptor {number}"
        nl, fr, source = table.get("nl"), table.get("fr"), table.get("source")
        if not isinstance(nl, str) or not isinstance(fr, str) or not nl.strip() or not fr.strip():
            raise DescriptorsError(f"{where}: needs `nl` and `fr`, the descriptor in each language")
        if not isinstance(source, str) or not source.startswith(("https://", "http://")):
            raise DescriptorsError(f"{where}: needs `source`, the page the pair was read on")
        eurovoc = table.get("eurovoc")
        if eurovoc is not None and (not isinstance(eurovoc, str) or not EUROVOC_ID.fullmatch(eurovoc)):
            raise DescriptorsError(f"{where}: eurovoc {eurovoc!r} is not a EuroVoc id (5116, c_324b44f1)")
        if eurovoc is not None and not table.get("eurovoc_source"):
            raise DescriptorsError(f"{where}: eurovoc without eurovoc_source")
        for key in (("nl", fold(nl)), ("fr", fold(fr))):
            if key in seen:
                raise DescriptorsError(f"{where}: {key[0]} {table[key[0]]!r} is already in descriptor {seen[key]}")
            seen[key] = number
        pairs.append(DescriptorPair(nl, fr, source, eurovoc, table.get("eurovoc_source")))
    return Descriptors(tuple(pairs))


@lru_cache(maxsize=1)
def load_descriptors() -> Descriptors:
    return read_descriptors(DESCRIPTORS_FILE)
