"""Undo one kind of encoding damage: Windows-1252 text that was once decoded as Mac Central
European ("potentiŽle" for "potentiële", "geÔntegreerd" for "geïntegreerd", "†" for a
non-breaking space).

Each damaged character is one byte read with the wrong table, so the repair is per character:
`char.encode("mac_latin2").decode("cp1252")`. Only characters that show damage are touched, so a
document whose question is damaged and whose answer is correct keeps its correct "officiële":

- ALWAYS: characters that Dutch or French text does not use but that stand for characters it
  does use (Ž -> ë, ť -> é, † -> no-break space, ď -> “ ...).
- AFTER_LOWER: capitals that French and Spanish do use (Ô, Á, Í, Ó), repaired only right after
  a lower-case letter, where a capital cannot stand ("naÔef", "franÁais").
- Word-initial É comes out as "…"; it is repaired only between a non-letter and a lower-case
  letter ("…tat"), never after a word ("enz…").
- Ä (for €) and ß (for §) are repaired only where no letter touches them ("100 Ä").

A word (a run without white space) is repaired only when every non-ASCII character in it is a
repairable one: damage never leaves correct accented letters beside it, so a word such as
"Žižek" or "Šefčovič" is a real name and stays as printed.
"""

from __future__ import annotations

import re


def _fix(char: str) -> str:
    return char.encode("mac_latin2").decode("cp1252")


ALWAYS = "ŽťŤŗŰŻŲņő†ďĒĎĖęĽįý"
AFTER_LOWER = "ÔÁÍÓŁ‚"
ELLIPSIS = "…"
ISOLATED = "Äß"
_TABLE = {char: _fix(char) for char in ALWAYS + AFTER_LOWER + ELLIPSIS + ISOLATED}

_CANDIDATES = tuple(_TABLE)
# A run of non-space characters holding a candidate; it can only start where a run starts, so
# the search stays linear even on a very long run without white space.
_WORD = re.compile(r"(?<!\S)\S*?[" + re.escape("".join(_TABLE)) + r"]\S*")


def has_candidates(text: str) -> bool:
    """Cheap first test: can this text hold any damage at all? Every damaged character is
    outside ASCII, which a text knows of itself; then one search per character, each a memchr
    (or nothing, for a character wider than any in the text), is several times faster than a
    character class tried at every position."""
    return not text.isascii() and any(char in text for char in _CANDIDATES)


def repair(text: str) -> str:
    """The text with its damaged characters restored; the same object when nothing changed."""
    if not has_candidates(text):
        return text
    repaired = _WORD.sub(_repair_word, text)
    return text if repaired == text else repaired


def _is_lower(char: str) -> bool:
    return char.islower() or char in ALWAYS


def _repair_word(match: re.Match[str]) -> str:
    word = match.group()
    out: list[str] = []
    for index, char in enumerate(word):
        if char < "\x80":
            out.append(char)
            continue
        before = word[index - 1] if index else ""
        after = word[index + 1] if index + 1 < len(word) else ""
        if char in ALWAYS:
            if char == "Ž" and not before.isalpha():
                return word  # a word-initial Ž is a name ("Žilina"), not a damaged ë
            out.append(_TABLE[char])
        elif char in AFTER_LOWER and before and _is_lower(before):
            out.append(_TABLE[char])
        elif char == ELLIPSIS and not before.isalpha() and after and _is_lower(after):
            out.append(_TABLE[char])
        elif char in ISOLATED and not before.isalpha() and not after.isalpha():
            out.append(_TABLE[char])
        else:
            return word
    return "".join(out)
