"""Hits as a reader sees them: the title and a snippet in the language of the hit, matches in
<mark>, everything else escaped.

The engine gives each snippet's matches as byte offsets into its fragment; the fragment is
escaped around them here, so no text of a document reaches the page unescaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

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

    def _marked(self, doc: tantivy.Document, field: str, chars: int) -> _Marked | None:
        """The field's snippet and how many different words it marks (None: it marks none)."""
        text = doc.get_first(field)
        if not text:
            return None
        snippet = self.generator(field, chars).snippet_from_doc(doc)
        fragment = snippet.fragment()
        data = fragment.encode("utf-8")
        ranges = sorted(((r.start, r.end) for r in snippet.highlighted()), key=lambda r: r[0])
        words = len({data[start:end].lower() for start, end in ranges})
        if not words:
            return None
        whole = chars != TITLE_CHARS or fragment == text  # a title is shown whole, or unmarked
        where = snippet.fragment_range()
        return _Marked(words, data, ranges, (where.start, where.end), str(text), whole)

    def hit(self, doc: tantivy.Document, score: float | None) -> Hit:
        held = tuple(
            language
            for language in LANGUAGES
            if doc.get_first(text_field("title", language)) or doc.get_first(text_field("question", language))
        )
        # Per language: the words marked in its title and in its best body snippet. The hit is
        # shown in the language with most, the reader's on a tie; only its snippets are written
        # out as HTML.
        best: tuple[int, int, str, _Marked | None, _Marked | None] | None = None
        if self.query is not None:
            # A snippet costs a pass over its text: stop once one marks every word sought.
            for rank, language in enumerate(self.preferred):
                heading = self._marked(doc, text_field("title", language), TITLE_CHARS)
                body = self._marked(doc, text_field("answer", language), SNIPPET_CHARS)
                if _words(body) < self.sought:
                    question = self._marked(doc, text_field("question", language), SNIPPET_CHARS)
                    if _words(question) > _words(body):
                        body = question
                words = _words(heading) + _words(body)
                if words and (best is None or (words, -rank) > best[:2]):
                    best = (words, -rank, language, heading, body)
                if _words(body) >= self.sought:
                    break
        language = best[2] if best else next((lang for lang in self.preferred if lang in held), self.language)
        body_html = best[4].html() if best and best[4] else None
        snippet_html = body_html or escape(_lead(_first(doc, text_field("question", language))))
        heading_html = best[3].html() if best and best[3] else None
        title = _first(doc, text_field("title", language)) or next(
            (_first(doc, text_field("title", other)) for other in self.preferred), ""
        )
        offices = tuple(
            doc.get_all(facet_field("office", self.language)) or doc.get_all(facet_field("office", language))
        )
        return Hit(
            number=_first(doc, "number"),
            score=score,
            language=language,
            title_html=heading_html or escape(title),
            snippet_html=snippet_html,
            asked=_first(doc, "asked"),
            answered=_first(doc, "answered") or None,
            status=tuple(doc.get_all("status")),
            asker=_first(doc, "asker_facet"),
            party=_first(doc, "party_facet") or None,
            offices=offices,
            ministers=tuple(doc.get_all("minister_facet")),
            languages=held,
        )


@dataclass
class _Marked:
    """A field's snippet: its fragment (UTF-8), the byte ranges the engine marks in it, where the
    fragment is in the text."""

    words: int  # different words marked: "communication de crise" marks "de" a dozen times in a
    # Dutch text, but three words in the French one, which is the hit's language
    data: bytes
    ranges: list[tuple[int, int]]  # in order
    where: tuple[int, int]  # byte offsets of the fragment in the text
    text: str
    whole: bool  # False: a title not shown whole, so not shown marked

    def html(self) -> str | None:
        """The fragment escaped, each match in <mark>, "…" where the text goes on."""
        if not self.whole:
            return None
        data, parts, at = self.data, [], 0
        for start, end in self.ranges:
            if start < at:
                continue
            parts.append(escape(data[at:start].decode("utf-8", "replace")))
            parts.append("<mark>" + escape(data[start:end].decode("utf-8", "replace")) + "</mark>")
            at = end
        parts.append(escape(data[at:].decode("utf-8", "replace")))
        marked = "".join(parts)
        if self.where[0] > 0:
            marked = "… " + marked  # the text goes on before and after the fragment
        if self.where[1] < len(self.text.strip().encode("utf-8")):
            marked += " …"
        return marked


def _words(marked: _Marked | None) -> int:
    return marked.words if marked is not None else 0


def _first(doc: tantivy.Document, name: str) -> str:
    value = doc.get_first(name)
    return "" if value is None else str(value)


def _lead(text: str) -> str:
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text[:SNIPPET_CHARS].rsplit(" ", 1)[0]
    return cut + " …"
