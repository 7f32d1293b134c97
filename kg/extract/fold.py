"""Accent and punctuation folding that keeps every character in place.

Patterns are matched against a folded copy of the text ("Financiën" -> "Financien", "’" -> "'"),
so they need no accented variants; because folding maps each character to exactly one character,
an offset found in the folded copy is the same offset in the original.
"""

from __future__ import annotations

import unicodedata

_PUNCTUATION = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u2032": "'",
    "\u00b4": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u00a0": " ",
    "\u2007": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u2026": ".",
}


class _FoldTable(dict):
    """str.translate table filled on first sight of each character."""

    def __missing__(self, code: int) -> int:
        char = chr(code)
        folded = _PUNCTUATION.get(char)
        if folded is None:
            base = unicodedata.normalize("NFKD", char)[:1]
            folded = base if base and base.isascii() and base.isprintable() else char
        self[code] = ord(folded)
        return self[code]


_TABLE = _FoldTable({code: code for code in range(128)})


def fold(text: str) -> str:
    """`text` with accents removed and typographic quotes/dashes/spaces made ASCII; same length."""
    return text.translate(_TABLE)


def compact(text: str) -> str:
    """Letters and digits only, lowercased and folded: "FOD_Financien" and "FOD Financiën"
    both give "fodfinancien". Used to recognise an agency in a handle or page name."""
    return "".join(char for char in fold(text).lower() if char.isalnum())


def fold_lower(text: str) -> str:
    """`fold(text)` in lower case, still of the same length: the form cue patterns are matched
    against (matching lower-case text is much faster than matching case-insensitively)."""
    folded = fold(text)
    lowered = folded.lower()
    if len(lowered) != len(folded):  # a character whose lower case is longer: keep it as is
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)
    return lowered
