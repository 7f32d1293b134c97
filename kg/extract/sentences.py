"""Sentence splitting with character offsets, for Dutch and French administrative prose.

A regex splitter is enough for answers to written questions, provided it knows the
abbreviations they use ("nr.", "d.d.", "bv.", "enz.", "K.M.O.") and the numbering of their
parts ("1.", "2/"), which end with a dot but end no sentence.
"""

from __future__ import annotations

import re

# Lowercased, without the final dot. Initialisms with inner dots ("d.d", "k.m.o") and single
# letters ("M. Wathelet") are recognised by shape and need not be listed.
ABBREVIATIONS = frozenset(
    {
        "nr",
        "nrs",
        "bv",
        "bvb",
        "bijv",
        "enz",
        "etc",
        "art",
        "artt",
        "blz",
        "p",
        "pp",
        "vb",
        "cf",
        "vgl",
        "dhr",
        "mevr",
        "mr",
        "dr",
        "prof",
        "ir",
        "ing",
        "st",
        "ca",
        "resp",
        "incl",
        "excl",
        "min",
        "max",
        "tel",
        "fax",
        "nl",
        "fr",
        "n°",
        "no",
        "mme",
        "mm",
        "mlle",
        "me",
        "ex",
        "id",
        "ibid",
        "jr",
        "sr",
        "vol",
        "ed",
        "al",
        "chap",
        "hfdst",
        "par",
        "zgn",
        "evt",
        "ong",
        "betr",
        "ref",
        "cfr",
        "jan",
        "feb",
        "febr",
        "mrt",
        "apr",
        "aug",
        "sep",
        "sept",
        "okt",
        "oct",
        "nov",
        "dec",
        "janv",
        "fevr",
        "févr",
        "avr",
        "juil",
        "déc",
    }
)

_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019\u00bb)\]]*(?=\s|$)")
_INITIALISM = re.compile(r"(?:\w{1,3}\.)+\w{1,3}|\w")
_LABEL = re.compile(r"\s*\(?\d{1,2}")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, stripped of surrounding white space."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        if not _ends_sentence(text, start, match):
            continue
        _append(spans, text, start, match.end())
        start = match.end()
    _append(spans, text, start, len(text))
    return spans


def _ends_sentence(text: str, start: int, match: re.Match[str]) -> bool:
    rest = text[match.end() :].lstrip()
    if rest and rest[0].islower():
        return False  # "enz. en", "bv. de": the sentence goes on
    if match.group()[0] != ".":
        return True
    token = _token_before(text, start, match.start())
    if token is None:
        return True
    word = token.lstrip("(\"'\u201c\u2018")
    if word.lower() in ABBREVIATIONS or _INITIALISM.fullmatch(word) and not word.isdigit():
        return False
    if word.isdigit() and _LABEL.fullmatch(text, start, match.start()):
        return False  # "1. Het CGVS ...": the number of a part, not the end of a sentence
    return True


def _token_before(text: str, start: int, end: int) -> str | None:
    """The run of non-space characters ending at `end` (not before `start`), None if none: what
    `(\\S+)$` finds, without the regex trying every position of the sentence."""
    if end > start and text[end - 1] == "\n":
        end -= 1  # `$` also matches before a line end that ends the text
    at = end
    while at > start and not text[at - 1].isspace():
        at -= 1
    return text[at:end] if at < end else None


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))
