"""The index's fields and how their text is analysed; shared by the writer and the reader.

Question, answer and title texts are kept per language and analysed for it: split into words,
case and accents folded, then stemmed by Snowball's Dutch or French stemmer, so "ministeries"
finds "ministerie", "potentiele" finds "potentiële" and "médias sociaux" finds "média social".
Descriptors are analysed in their language too. Names (asker, party, offices and their holders,
agencies) are folded but not stemmed. Facets are
kept whole ("raw") as fast fields, which is what counts and filters read. A facet whose values
come from a short closed list (status) is counted from one more field holding each question's
whole set of values as one: the engine counts a field of one value a question several times
faster than a field of several.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path

import tantivy

INDEX_DIR = "search"  # in the build's output folder
CURRENT = "CURRENT"  # in INDEX_DIR: the name of the index folder in use
INFO = "info.json"  # in an index folder: its question count and format
LANGUAGES = ("nl", "fr")
SCHEMA_VERSION = "2"  # bumped when fields or analysis change: an index of another version is rebuilt
ENGINE_VERSION: str = getattr(tantivy, "__version__", "")  # another engine's index is rebuilt too
STEMMERS = {"nl": "dutch", "fr": "french"}
PLAIN = "kg_plain"  # the analyser of names: folded, not stemmed
MAX_TOKEN = 60  # longer "words" are tables flattened into text or URLs: not worth indexing

# Text fields searched by default, per query field name (`title:`, `answer:` ...). The language
# fields are written `{name}_{language}`; the others are analysed by PLAIN.
TEXT_FIELDS = ("title", "question", "answer", "descriptor")
NAME_FIELDS = ("asker", "party", "office", "agency")
QUERY_FIELDS = TEXT_FIELDS + NAME_FIELDS
BOOSTS = {"title": 2.0, "descriptor": 1.5}

# Facets: name -> (index field, kind). "lang" facets are kept per language and shown in the
# reader's (Dutch for English readers); "int" facets are numbers; "set" facets are "raw" ones
# whose values come from a short closed list, counted from `count_field` (SET_SEPARATOR joins a
# question's values there, in the order the writer gives them).
FACETS: dict[str, tuple[str, str]] = {
    "legislature": ("legislature", "int"),
    "year": ("year", "int"),
    "status": ("status", "set"),
    "asker": ("asker_facet", "raw"),
    "party": ("party_facet", "raw"),
    "office": ("office_facet", "lang"),
    "minister": ("minister_facet", "raw"),
    "government": ("government_facet", "raw"),
    "descriptor": ("descriptor_facet", "lang"),
    "agency": ("agency_facet", "lang"),
}


def analyzer_name(language: str) -> str:
    return f"kg_{language}"


def text_field(name: str, language: str | None) -> str:
    """The index field of query field `name` in `language` (None: a name field)."""
    return f"{name}_{language}" if language else f"{name}_text"


SET_SEPARATOR = "\n"


def facet_field(facet: str, language: str) -> str:
    """The field holding `facet`'s values (filters and stored values)."""
    field, kind = FACETS[facet]
    return f"{field}_{language}" if kind == "lang" else field


def count_field(facet: str, language: str) -> str:
    """The fast field `facet` is counted from: for a "set" facet, its values joined as one."""
    field, kind = FACETS[facet]
    return f"{field}_set" if kind == "set" else facet_field(facet, language)


@cache
def analyzer(language: str | None) -> tantivy.TextAnalyzer:
    """The analyser for `language` ("nl", "fr"), or for names (None)."""
    builder = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_TOKEN))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
    )
    if language is not None:
        builder = builder.filter(tantivy.Filter.stemmer(STEMMERS[language]))
    return builder.build()


def register(index: tantivy.Index) -> None:
    """Analysers are not stored in the index: every opener registers them."""
    for language in LANGUAGES:
        index.register_tokenizer(analyzer_name(language), analyzer(language))
    index.register_tokenizer(PLAIN, analyzer(None))


@lru_cache(maxsize=1)
def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("number", stored=True, fast=True, tokenizer_name="raw")
    builder.add_integer_field("order", stored=False, indexed=False, fast=True)  # legislature, number
    builder.add_integer_field("day", stored=False, indexed=True, fast=True)  # yyyymmdd asked
    for name in TEXT_FIELDS:
        for language in LANGUAGES:
            builder.add_text_field(
                text_field(name, language), stored=True, tokenizer_name=analyzer_name(language), index_option="position"
            )
    for name in NAME_FIELDS:
        builder.add_text_field(text_field(name, None), stored=False, tokenizer_name=PLAIN, index_option="position")
    for field, kind in FACETS.values():
        if kind == "int":
            builder.add_integer_field(field, stored=True, indexed=True, fast=True)
        elif kind == "raw":
            builder.add_text_field(field, stored=True, fast=True, tokenizer_name="raw")
        elif kind == "set":
            builder.add_text_field(field, stored=True, tokenizer_name="raw")
            builder.add_text_field(f"{field}_set", stored=False, fast=True, tokenizer_name="raw")
        else:
            for language in LANGUAGES:
                builder.add_text_field(f"{field}_{language}", stored=True, fast=True, tokenizer_name="raw")
    for name in ("asked", "answered", "deadline"):
        builder.add_text_field(name, stored=True, tokenizer_name="raw")
    return builder.build()


def index_format(folder: Path) -> str | None:
    """The format (SCHEMA_VERSION) an index folder was written in; None when it does not say."""
    try:
        info = json.loads((folder / INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    version = info.get("schema") if isinstance(info, dict) else None
    return version if isinstance(version, str) else None


def current_folder(out_dir: Path) -> Path | None:
    """The index folder `CURRENT` names in a build's output folder, if it is there."""
    root = out_dir / INDEX_DIR
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    folder = root / name
    return folder if name.startswith("index-") and folder.is_dir() else None
