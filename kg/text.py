"""Text helpers every layer may use (they know nothing of documents, RDF or the web)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The one table of month names, per language, as printed (the parser, the extraction and the pages
# all read it; `without_accents` gives the forms damaged or retyped documents use).
MONTH_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
}


def without_accents(text: str) -> str:
    """ "février" -> "fevrier": the letters without their combining marks."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_NON_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=8192)
def slugify(text: str) -> str:
    """ "Martine Taelman" -> "martine-taelman"; accents folded, punctuation collapsed to "-"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", folded.lower()).strip("-")
    if not slug:
        raise ValueError(f"cannot make a URI reference from {text!r}")
    return slug
