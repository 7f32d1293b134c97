"""Where each page of a written question lives, and the file kg writes it to.

The Senate serves every question at a stable address built from the legislature, the number, the
language and the rendering (`?MIval=/Vragen/SchriftelijkeVraag&LEG=5&NR=8913&LANG=nl`).
The base URL and the pattern are options, so that a mirror or another publisher's layout can be
walked the same way. File names are those `kg synth` writes, so a fetched folder and a synthetic
one look alike to `kg build`.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

RenderingName = Literal["web", "print", "bilingual"]
RENDERINGS: tuple[RenderingName, ...] = ("web", "print", "bilingual")
LANGUAGES = ("nl", "fr")

DEFAULT_BASE_URL = "https://www.senate.be/www/"
DEFAULT_PATTERN = "{base}?MIval=/Vragen/{page}&LEG={legislature}&NR={number}&LANG={lang}"
# The page name of each rendering, as the `{page}` field of the pattern.
PAGES: dict[RenderingName, str] = {"web": "SchriftelijkeVraag", "print": "SVPrint", "bilingual": "SVPrintNLFR"}
FIELDS = frozenset({"base", "page", "legislature", "number", "lang", "rendering"})


@dataclass(frozen=True)
class Target:
    """One page to fetch: a question's number, a rendering and the language asked for (the
    bilingual print version holds both languages and is asked for once, in the first one)."""

    legislature: int
    number: int
    rendering: RenderingName
    lang: str

    @property
    def reference(self) -> str:
        return f"{self.legislature}-{self.number}"

    @property
    def file_name(self) -> str:
        """`5-8913-nl.txt`, `5-8913-nl-print.txt`, `5-8913-nlfr-print.txt`."""
        if self.rendering == "web":
            return f"{self.reference}-{self.lang}.txt"
        if self.rendering == "print":
            return f"{self.reference}-{self.lang}-print.txt"
        return f"{self.reference}-nlfr-print.txt"


@dataclass(frozen=True)
class Addresses:
    """The base URL and pattern of a publisher's pages."""

    base: str = DEFAULT_BASE_URL
    pattern: str = DEFAULT_PATTERN

    def __post_init__(self) -> None:
        check_pattern(self.pattern)

    def url(self, target: Target) -> str:
        return self.pattern.format(
            base=self.base,
            page=PAGES[target.rendering],
            legislature=target.legislature,
            number=target.number,
            lang=target.lang,
            rendering=target.rendering,
        )


def check_pattern(pattern: str) -> None:
    """Raise ValueError naming what is wrong with an address pattern."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError as error:
        raise ValueError(f"address pattern {pattern!r}: {error}") from None
    unknown = names - FIELDS
    if unknown:
        raise ValueError(
            f"address pattern {pattern!r}: unknown field {{{sorted(unknown)[0]}}}; "
            f"known: {', '.join('{' + name + '}' for name in sorted(FIELDS))}"
        )
    if "number" not in names:
        raise ValueError(f"address pattern {pattern!r} has no {{number}}: every question would have one address")


def targets(legislature: int, number: int, langs: Sequence[str], renderings: Sequence[RenderingName]) -> list[Target]:
    """The pages of one number, in a fixed order: the first decides whether the number exists."""
    found: list[Target] = []
    for rendering in renderings:
        if rendering == "bilingual":
            found.append(Target(legislature, number, rendering, langs[0]))
        else:
            found.extend(Target(legislature, number, rendering, lang) for lang in langs)
    return found
