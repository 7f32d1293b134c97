"""The addressee line, split into offices.

"aan de staatssecretaris voor Leefmilieu, Energie en Mobiliteit, toegevoegd aan de minister van
Binnenlandse Zaken en Gelijke Kansen, en staatssecretaris voor Staatshervorming, toegevoegd aan
de eerste minister" names two offices of one person. The rules:

1. Offices: "en"/"et" (optionally after a comma, optionally followed by an article or "au"/"à
   la") starts a new office only where an office noun follows (minister, staatssecretaris,
   vice-eersteminister, eerste minister, ministre, secrétaire d'État, vice-premier ministre,
   Premier ministre ...). "vice-eersteminister en minister" / "vice-première ministre et
   ministre" is one noun: a deputy prime minister who holds a portfolio.
2. Attachment: ", toegevoegd aan de ..." / ", adjoint(e) au/à la ..." names the office a state
   secretary is attached to, parsed by the same rules into `Office.attached_to`.
3. Kind from the noun: prime-minister, deputy-prime-minister, minister, state-secretary; any
   other text is kept as one office of kind "other".
4. Portfolio: the text after the noun and its preposition ("van", "voor", "de", "à", "pour" ...).
   ", belast met ..." / ", chargé(e) de ..." adds competences. Items split on ", ", and the last
   item once more at its last " en " / " et " when a capitalised word follows (so "Asiel en
   Migratie, Maatschappelijke Integratie en Armoedebestrijding" is three items, and "Bestrijding
   van de sociale en de fiscale fraude" stays one). Leading articles and prepositions are dropped
   ("de l'Intérieur" -> "Intérieur"); in French an article after an inner "et" before a capital is
   dropped too ("l'Asile et la Migration" -> "Asile et Migration"), so items name competences the
   same way in both languages. Capitalisation is kept as printed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.parse.records import Language, Office, OfficeKind

# Office nouns, longest first; each with the kind it names.
_NOUNS: tuple[tuple[str, OfficeKind], ...] = (
    (r"vice-eersteminister\s+en\s+minister", "deputy-prime-minister"),
    (r"vice-eerste\s+minister\s+en\s+minister", "deputy-prime-minister"),
    (r"vice-premi(?:er|ère)\s+ministre\s+et\s+ministre", "deputy-prime-minister"),
    (r"vice-eersteminister", "deputy-prime-minister"),
    (r"vice-premi(?:er|ère)\s+ministre", "deputy-prime-minister"),
    (r"eerste\s+minister", "prime-minister"),
    (r"premi(?:er|ère)\s+ministre", "prime-minister"),
    (r"staatssecretaris", "state-secretary"),
    (r"secrétaire\s+d['’]État", "state-secretary"),
    (r"minister", "minister"),
    (r"ministre", "minister"),
)
_NOUN_ALTERNATIVES = "|".join(pattern for pattern, _ in _NOUNS)
_ARTICLE = r"(?:de|het|le|la|les|l['’]|au|aux|à\s+la|à\s+l['’])"
_NOUN = re.compile(r"(?:" + _ARTICLE + r"\s*)?(" + _NOUN_ALTERNATIVES + r")(?![\w-])(.*)$", re.IGNORECASE | re.DOTALL)
_KIND_OF = [(re.compile(pattern + r"$", re.IGNORECASE), kind) for pattern, kind in _NOUNS]
_BOUNDARY = re.compile(
    r",?\s+(?:en|et)\s+(?=(?:" + _ARTICLE + r"\s*)?(?:" + _NOUN_ALTERNATIVES + r")(?![\w-]))", re.IGNORECASE
)
_VICE_END = re.compile(r"vice-(?:eerste\s*minister|eersteminister|premi(?:er|ère)\s+ministre)$", re.IGNORECASE)
_ATTACHED = re.compile(r",?\s+(?:toegevoegd\s+aan|adjointe?\s+(?:à|au|aux))\s+", re.IGNORECASE)
_CHARGED = re.compile(r",\s+(?:belast\s+met|chargée?\s+(?:de\s+l['’]|de\s+la|du|des|de|d['’]))\s*", re.IGNORECASE)
_LEADING = re.compile(
    r"(?:(?:van|voor|met|de|het|pour|à\s+l['’]|à\s+la|à|aux|au|de\s+l['’]|de\s+la|du"
    r"|des|d['’]|l['’]|la|le|les)(?:\s+|(?<=['’])))+",
    re.IGNORECASE,
)
_ARTICLE_PREFIX = re.compile(r"(?:de|het|le|la|les|l['’])\s*(?<=\s|['’])", re.IGNORECASE)
_INNER_ARTICLE = re.compile(r"\bet\s+(?:la\s+|le\s+|les\s+|l['’])(?=[A-ZÀ-Ý])")
_LAST_AND = re.compile(
    r"\s(?:en|et)\s+(?:(?:de\s+la|à\s+la|de|het|la|le|les|à|au|aux|du|des)\s+|"
    r"(?:l|d|à\s+l|de\s+l)['’])?(?=[A-ZÀ-Ý])"
)


def strip_article(text: str) -> str:
    """ "de eerste minister" -> "eerste minister"; "l'Intérieur" -> "Intérieur"."""
    match = _ARTICLE_PREFIX.match(text)
    return text[match.end() :] if match else text


@lru_cache(maxsize=4096)
def parse_offices(addressee: str, language: Language) -> tuple[Office, ...]:
    """The offices an addressee (the text after "aan" / "à") names, in order. Cached: the same
    few addressee lines head thousands of questions, and offices are immutable."""
    offices = []
    for piece in _split_offices(addressee):
        office = _parse_office(piece, language, attached_allowed=True)
        if office is not None:
            offices.append(office)
    return tuple(offices)


def _split_offices(text: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if _VICE_END.search(text, start, match.start()):
            continue  # "vice-eersteminister en minister": one noun
        pieces.append(text[start : match.start()])
        start = match.end()
    pieces.append(text[start:])
    return [piece.strip(" ,") for piece in pieces if piece.strip(" ,")]


def _parse_office(text: str, language: Language, attached_allowed: bool) -> Office | None:
    text = strip_article(text.strip(" ,")).strip(" ,")
    if not text:
        return None
    attached = None
    own = text
    if attached_allowed:
        match = _ATTACHED.search(text)
        if match is not None:
            own = text[: match.start()]
            attached = _parse_office(text[match.end() :], language, attached_allowed=False)
    noun = _NOUN.match(own)
    if noun is None:
        return Office(text, "other", (), attached, language)
    kind = next(kind for pattern, kind in _KIND_OF if pattern.match(noun.group(1)))
    return Office(text, kind, portfolio(noun.group(2)), attached, language)


def portfolio(text: str) -> tuple[str, ...]:
    """The competences after an office noun: "van Binnenlandse Zaken en Gelijke Kansen" ->
    ("Binnenlandse Zaken", "Gelijke Kansen")."""
    items: list[str] = []
    for clause in _CHARGED.split(text):
        parts = [part for part in clause.split(", ") if part.strip()]
        if not parts:
            continue
        last = parts[-1]
        cuts = list(_LAST_AND.finditer(last))
        if cuts:
            cut = cuts[-1]
            parts[-1:] = [last[: cut.start()], last[cut.end() :]]
        for part in parts:
            item = _clean_item(part)
            if item:
                items.append(item)
    return tuple(items)


def _clean_item(text: str) -> str:
    text = text.strip(" ,")
    match = _LEADING.match(text)
    if match is not None:
        text = text[match.end() :]
    return _INNER_ARTICLE.sub("et ", text).strip(" ,")
