"""Telling the French from the Dutch where the bilingual print version runs them together: the two
titles on one line, the French descriptors followed by the Dutch ones, the chronology and the
links printed once per language, one block after the other.

Repeated blocks (chronology, links) are split where the second block repeats the first (the same
dates and kinds, the same targets); the older layout that pairs each French line with its Dutch
line is recognised too. Titles and descriptors are split by the words they use: each French word
(an accented letter French uses, or a French function word: "du", "des", "aux", "pour" ...)
(and French endings: "-tion", "-ique", "-eux") counts for the French side, each Dutch one ("ij",
"aa", "oo", "uu", "ee", "sch", "heid", a Dutch function word: "het", "van", "voor", "met" ...,
and Dutch endings: "-tie", "-ing", "-lijk", "-isch") for the Dutch side, and the split that puts
the most French before and the most Dutch after wins. Ties go to the most even split of
descriptors, and to the split of a title that gives both titles as many " - " parts and the
French one about 15% more length. A title is only split before a word that starts with a
capital inside a " - " part (each title's first part starts with a capital).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

T = TypeVar("T")

_FR_WORDS = frozenset("du des la le les et à au aux pour par sur dans avec une un ou qu d l".split())
_NL_WORDS = frozenset("het van voor op met een aan bij over door te tussen naar uit tegen".split())
_FR_LETTERS = re.compile(r"[éèêàâçôûùîœ]|(?:tions?|iques?|eux|eurs?)$")
_NL_SHAPES = re.compile(r"ij|aa|oo|uu|ee|sch|heid|(?:ties?|ingen|ing|lijke?|isch|ische)$")
# A French title runs about this much longer than its Dutch translation (the real samples: 1.08,
# 1.17): splits that are otherwise equal are told apart by it.
_FRENCH_LENGTH = 1.15
# Names both languages print alike, whose spelling would count for one side ("oo" in Facebook).
_NEUTRAL = frozenset(
    "facebook twitter youtube google linkedin instagram flickr website webstek e-mail smartphone".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def word_score(word: str) -> int:
    """+1 for a French word, -1 for a Dutch one, 0 when it does not tell."""
    word = word.lower()
    if word in _NEUTRAL:
        return 0
    head = word.split("'", 1)[0] if "'" in word else word
    if head in _FR_WORDS or _FR_LETTERS.search(word):
        return 1
    if word in _NL_WORDS or _NL_SHAPES.search(word):
        return -1
    return 0


def text_score(text: str) -> int:
    return sum(word_score(word) for word in _WORD.findall(text))


def _best(scores: Sequence[int], candidates: Sequence[int], balance: Callable[[int], float]) -> int:
    """The split point among `candidates` (ascending) with the most French before and Dutch
    after. Linear: a list of a million lines takes no longer than reading it."""
    total = sum(scores)
    best = None
    before, counted = 0, 0
    for point in candidates:
        before += sum(scores[counted:point])
        counted = point
        key = (before - (total - before), -balance(point), -point)
        if best is None or key > best[0]:
            best = (key, point)
    assert best is not None
    return best[1]


def split_descriptors(items: Sequence[str], cut: bool) -> tuple[list[str], list[str]] | None:
    """French descriptors, then Dutch ones; None when they cannot be both (one side empty, or a
    side that reads as the other language). `cut`: the list may stop inside the Dutch ones (or
    the French), so the French side may be the longer one, and the Dutch one empty."""
    n = len(items)
    if n == 0:
        return [], []
    scores = [text_score(item) for item in items]
    candidates = range((n + 1) // 2, n + 1) if cut else range(1, n)
    if not candidates:
        return None
    point = _best(scores, candidates, lambda k: abs(k - n / 2))
    if not cut and (sum(scores[:point]) < 0 or sum(scores[point:]) > 0):
        return None
    return list(items[:point]), list(items[point:])


def split_title(line: str) -> tuple[str, str] | None:
    """The French and the Dutch title printed on one line, or None when it cannot be split."""
    words = [(match.start(), match.group()) for match in re.finditer(r"\S+", line)]
    candidates = [
        index for index in range(1, len(words)) if words[index][1][:1].isupper() and words[index - 1][1] != "-"
    ]
    if not candidates:
        return None
    scores = [text_score(word) for _, word in words]
    dashes = [0]  # " - " separators before each word
    for _, word in words:
        dashes.append(dashes[-1] + (word == "-"))
    length = len(line.strip())

    def balance(index: int) -> float:
        parts = abs(dashes[index] - (dashes[-1] - dashes[index]))
        french = words[index][0]
        return parts * 10 * length + abs(french - _FRENCH_LENGTH * (length - french))

    point = _best(scores, candidates, balance)
    return line[: words[point][0]].strip(), line[words[point][0] :].strip()


def split_repeated(items: Sequence[T], key: Callable[[T], Hashable], cut: bool) -> tuple[list[T], list[T]] | int:
    """A list printed once per language (French block, then Dutch block, or the older French and
    Dutch line by line) -> the French and the Dutch items. When it is neither, the index of the
    first item that disagrees (under the reading that agrees the longest). `cut`: the list may
    stop inside the second block."""
    n = len(items)
    keys = [key(item) for item in items]
    half = n // 2
    if n % 2 == 0 and keys[:half] == keys[half:]:
        return list(items[:half]), list(items[half:])
    if n % 2 == 0 and all(keys[i] == keys[i + 1] for i in range(0, n, 2)):
        return list(items[0::2]), list(items[1::2])
    if cut:
        z = _z_array(keys)
        for point in range((n + 1) // 2, n + 1):
            if point == n or z[point] == n - point:
                return list(items[:point]), list(items[point:])
    blocks = next((i for i in range(half, n) if keys[i] != keys[i - half]), n - 1)
    pairs = next((i for i in range(1, n, 2) if keys[i] != keys[i - 1]), n - 1)
    return max(blocks, pairs)


def _z_array(keys: Sequence[Hashable]) -> list[int]:
    """z[i]: how many keys from i on repeat the first ones (the Z algorithm: linear time)."""
    n = len(keys)
    z = [0] * n
    left = right = 0
    for i in range(1, n):
        if i < right:
            z[i] = min(right - i, z[i - left])
        while i + z[i] < n and keys[z[i]] == keys[i + z[i]]:
            z[i] += 1
        if i + z[i] > right:
            left, right = i, i + z[i]
    return z
