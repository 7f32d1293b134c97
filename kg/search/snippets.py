"""Hits as a reader sees them: the title and a snippet in the language of the hit, matches in
<mark>, everything else escaped.

The engine gives each snippet's matches as byte offsets into its fragment; the fragment is
escaped around them here, so no text of a document reaches the page unescaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

import tantivy

from kg.search.schema import LANGUAGES, facet_field, schema, text_field

SNIPPET_CHARS = 240
TITLE_CHARS = 1000  # titles are shown whole


@dataclass
class Hit:
    number: str
    score: float | None  # None when sorted by date or nothing was asked
    language: str  # of the title and snippet shown
    title_html: str  # escaped, matches in <mark>
    snippet_html: str
    asked: str
    answered: str | None
    status: tuple[str, ...]
    asker: str
    party: str | None
    offices: tuple[str, ...]
    ministers: tuple[str, ...]
    languages: tuple[str, ...]  # the versions kg holds


class Snippets:
    """Highlighted titles and snippets for one query. A hit is shown in the reader's language
    when its text there has every word sought, else in the language with most different words
    marked (title and text), the reader's on a tie."""

    def __init__(self, searcher: tantivy.Searcher, query: tantivy.Query | None, language: str, sought: int):
        self.searcher, self.query, self.language = searcher, query, language
        self.sought = max(sought, 1)  # different words the query looks for
        self.generators: dict[str, tantivy.SnippetGenerator] = {}
        self.preferred = (language, *(other for other in LANGUAGES if other != language))

    def generator(self, name: str, chars: int) -> tantivy.SnippetGenerator:
        generator = self.generators.get(name)
        if generator is None:
            assert self.query is not None
            generator = tantivy.SnippetGenerator.create(self.searcher, self.query, schema(), name)
            generator.set_max_num_chars(chars)
            self.generators[name] = generator
        return generator

    def _marked(
        self, doc: tantivy.Document, stored: dict[str, list[Any]], field: str, chars: int
    ) -> tuple[int, str | None]:
        """How many different words the field's snippet marks, and the snippet as HTML (None
        when it marks nothing)."""
        if not stored.get(field):
            return 0, None
        snippet = self.generator(field, chars).snippet_from_doc(doc)
        words = _distinct(snippet)
        if not words:
            return 0, None
        if chars == TITLE_CHARS and snippet.fragment() != _first(stored, field):
            return words, None  # a title is shown whole, or unmarked
        marked = _html(snippet)
        where = snippet.fragment_range()
        if where.start > 0:
            marked = "… " + marked  # the text goes on before and after the fragment
        if where.end < len(_first(stored, field).strip().encode("utf-8")):
            marked += " …"
        return words, marked

    def hit(self, doc: tantivy.Document, score: float | None) -> Hit:
        stored = doc.to_dict()
        held = tuple(
            language
            for language in LANGUAGES
            if stored.get(text_field("title", language)) or stored.get(text_field("question", language))
        )
        # Per language: the words marked in its title and in its best body snippet. The hit is
        # shown in the language with most, the reader's on a tie.
        best: tuple[int, int, str, str | None, str | None] | None = None
        if self.query is not None:
            # A snippet costs a pass over its text: stop once one marks every word sought.
            for rank, language in enumerate(self.preferred):
                heading = self._marked(doc, stored, text_field("title", language), TITLE_CHARS)
                body = self._marked(doc, stored, text_field("answer", language), SNIPPET_CHARS)
                if body[0] < self.sought:
                    body = max(
                        body,
                        self._marked(doc, stored, text_field("question", language), SNIPPET_CHARS),
                        key=lambda marked: marked[0],
                    )
                words = heading[0] + body[0]
                if words and (best is None or (words, -rank) > best[:2]):
                    best = (words, -rank, language, heading[1], body[1])
                if body[0] >= self.sought:
                    break
        language = best[2] if best else next((lang for lang in self.preferred if lang in held), self.language)
        snippet_html = best[4] if best and best[4] else escape(_lead(_first(stored, text_field("question", language))))
        title = _first(stored, text_field("title", language)) or next(
            (_first(stored, text_field("title", other)) for other in self.preferred), ""
        )
        title_html = best[3] if best and best[3] else escape(title)
        offices = tuple(
            stored.get(facet_field("office", self.language), ()) or stored.get(facet_field("office", language), ())
        )
        return Hit(
            number=_first(stored, "number"),
            score=score,
            language=language,
            title_html=title_html,
            snippet_html=snippet_html,
            asked=_first(stored, "asked"),
            answered=_first(stored, "answered") or None,
            status=tuple(stored.get("status", ())),
            asker=_first(stored, "asker_facet"),
            party=_first(stored, "party_facet") or None,
            offices=offices,
            ministers=tuple(stored.get("minister_facet", ())),
            languages=held,
        )


def _first(stored: dict[str, list[Any]], name: str) -> str:
    values = stored.get(name)
    return str(values[0]) if values else ""


def _lead(text: str) -> str:
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text[:SNIPPET_CHARS].rsplit(" ", 1)[0]
    return cut + " …"


def _distinct(snippet: tantivy.Snippet) -> int:
    """How many different words a snippet marks: "communication de crise" marks "de" a dozen
    times in a Dutch text, but three words in the French one, which is the hit's language."""
    data = snippet.fragment().encode("utf-8")
    return len({data[r.start : r.end].lower() for r in snippet.highlighted()})


def _html(snippet: tantivy.Snippet) -> str:
    """The fragment escaped, each match in <mark>. The engine gives byte offsets."""
    data = snippet.fragment().encode("utf-8")
    parts, at = [], 0
    for match in sorted(snippet.highlighted(), key=lambda r: r.start):
        if match.start < at:
            continue
        parts.append(escape(data[at : match.start].decode("utf-8", "replace")))
        parts.append("<mark>" + escape(data[match.start : match.end].decode("utf-8", "replace")) + "</mark>")
        at = match.end
    parts.append(escape(data[at:].decode("utf-8", "replace")))
    return "".join(parts)
