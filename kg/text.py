"""Text helpers every layer may use (they know nothing of documents, RDF or the web)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=8192)
def slugify(text: str) -> str:
    """"Martine Taelman" -> "martine-taelman"; accents folded, punctuation collapsed to "-"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", folded.lower()).strip("-")
    if not slug:
        raise ValueError(f"cannot make a URI reference from {text!r}")
    return slug
