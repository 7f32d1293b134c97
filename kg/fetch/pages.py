"""What a fetched page says: its text (charset from the headers and the page), whether it is the
written question asked for, missing, or something else, and the facts the fetcher plans with.

How the Senate marks a missing question: kg takes a number as missing when the server answers
404 or 410, or answers a page in the question layout with no question in it (the heading alone,
with no number or with the number and nothing after it: the template filled with nothing), or a
page holding one of the phrases the operator names (`--missing-text`). A page with no
written-question heading at all (an error page, a login wall) or with another question's
heading is not a question: it is reported and never written as a document.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import date
from enum import Enum
from html.parser import HTMLParser

from kg.fetch.addresses import Target

_HEADING = re.compile(r"(?:Schriftelijke\s+vraag\s+nr\.?|Question\s+[ée]crite\s+n[°º]?)[ \t\xa0]*(?:(\d+)\s*-\s*(\d+))?",
                      re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)


class Kind(str, Enum):
    QUESTION = "question"
    MISSING = "missing"
    NOT_QUESTION = "not-a-question"
    FAILED = "failed"


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    reason: str = ""


def classify(status: int, text: str, target: Target, missing_phrases: tuple[str, ...] = ()) -> Verdict:
    """Is this answer the question `target` names, a missing number, or neither?"""
    if status in (404, 410):
        return Verdict(Kind.MISSING, f"HTTP {status}")
    if not 200 <= status < 300:
        return Verdict(Kind.FAILED, f"HTTP {status}")
    for phrase in missing_phrases:
        if phrase and phrase in text:
            return Verdict(Kind.MISSING, f"the page says {phrase!r}")
    headings = list(_HEADING.finditer(text))
    if not headings:
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        return Verdict(Kind.NOT_QUESTION, f"no written-question heading (first line: {first[:60]!r})")
    wanted = (target.legislature, target.number)
    mine = [m for m in headings if m.group(1) and (int(m.group(1)), int(m.group(2))) == wanted]
    if mine:
        rest = text[mine[-1].end():]
        if any(_LETTER.search(line) for line in rest.splitlines()):
            return Verdict(Kind.QUESTION)
        return Verdict(Kind.MISSING, f"the page names {target.reference} and holds nothing else")
    if any(m.group(1) is None for m in headings):
        return Verdict(Kind.MISSING, "the question template holds no number")
    other = headings[0]
    return Verdict(Kind.NOT_QUESTION, f"the page is question {other.group(1)}-{other.group(2)}, not {target.reference}")


# --------------------------------------------------------------------------------------------
# Charset: read from the headers and the page, checked against the bytes.


@dataclass(frozen=True)
class Decoded:
    text: str
    charset: str
    note: str = ""  # why the bytes were not read as labelled, when they were not


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    # What browsers do (WHATWG Encoding): a Latin-1 label means Windows-1252.
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def decode_body(body: bytes, content_type: str | None) -> Decoded:
    """Text of a response body. A byte-order mark wins; then bytes that are valid UTF-8 with
    non-ASCII in them are UTF-8 whatever a label says (a single-byte text with accents is almost
    never valid UTF-8, so such a label is wrong); else the header's charset, then the page's
    `<meta charset>`, then Windows-1252, each used only if it decodes the bytes."""
    if body.startswith(codecs.BOM_UTF8):
        return Decoded(body[3:].decode("utf-8", errors="replace"), "utf-8")
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(body.decode("utf-16", errors="replace"), "utf-16")
    header_match = _HEADER_CHARSET.search(content_type or "")
    header = _codec(header_match.group(1)) if header_match else None
    meta_match = _META_CHARSET.search(body[:4096])
    meta = _codec(meta_match.group(1).decode("ascii")) if meta_match else None
    labelled = header or meta
    if body.isascii():
        return Decoded(body.decode("ascii"), labelled or "utf-8")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        note = "" if labelled in (None, "utf-8") else f"labelled {labelled}, but the bytes are UTF-8"
        return Decoded(text, "utf-8", note)
    for source, charset in (("header", header), ("page", meta), ("fallback", "cp1252")):
        if charset is None or charset == "utf-8":
            continue
        try:
            text = body.decode(charset)
        except UnicodeDecodeError:
            continue
        how = {"header": "as the header says", "page": "as the page's meta says", "fallback": "by default"}[source]
        note = "" if source == "header" or (source == "page" and header is None) else \
            f"labelled {labelled}, but the bytes are not; read as {charset}, {how}"
        return Decoded(text, charset, note)
    return Decoded(body.decode("cp1252", errors="replace"), "cp1252", "undecodable bytes replaced")


# --------------------------------------------------------------------------------------------
# HTML -> the text a reader sees, in the layout kg's parser reads (what a browser's copy gives).

_SKIP = frozenset({"head", "script", "style", "title", "noscript", "template"})
_PARAGRAPH = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "blockquote"})
_BLOCK = frozenset({"div", "li", "ul", "ol", "tr", "td", "th", "dl", "dt", "dd", "section", "article",
                    "header", "footer", "nav", "main", "form", "center", "address", "hr", "body", "html",
                    "tbody", "thead", "caption"})
_SPACE = re.compile(r"[ \t\n\r\f]+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.newlines = 0  # "\n" at the end of what is out
        self.pending = 0  # line breaks owed before the next text: 1 a new line, 2 a blank line
        self.skip = 0
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "br":
            self._emit("\n")
        elif tag in _PARAGRAPH or tag in _BLOCK:
            self.pending = max(self.pending, 2 if tag in _PARAGRAPH else 1)
            self.pre += tag == "pre"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._emit("\n")
        elif tag in _PARAGRAPH or tag in _BLOCK:
            self.pending = max(self.pending, 1)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _PARAGRAPH or tag in _BLOCK:
            self.pending = max(self.pending, 2 if tag in _PARAGRAPH else 1)
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if not self.pre:
            data = _SPACE.sub(" ", data)
            at_line_start = not self.out or self.newlines > 0 or self.pending > 0
            if at_line_start:
                data = data.lstrip(" ")
            if not data:
                return
        self._emit(data)

    def _emit(self, data: str) -> None:
        if self.skip:
            return
        if self.pending and self.out and self.pending > self.newlines:
            self.out.append("\n" * (self.pending - self.newlines))
        self.pending = 0
        self.out.append(data)
        stripped = data.rstrip("\n")
        self.newlines = len(data) - len(stripped) + (self.newlines if not stripped else 0)


def html_to_text(html: str) -> str:
    """The text of an HTML page, line by line: `<br>` ends a line, block elements start one,
    paragraphs, headings, tables and `<pre>` stand between blank lines; spaces collapse outside
    `<pre>`; head, scripts and styles are dropped."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "\n".join(line.rstrip(" \t") for line in "".join(parser.out).split("\n")).strip("\n")
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text + "\n" if text else ""


def is_html(content_type: str | None, body: bytes) -> bool:
    media = (content_type or "").split(";")[0].strip().lower()
    if media in ("text/html", "application/xhtml+xml"):
        return True
    if media:
        return False
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


# --------------------------------------------------------------------------------------------
# What the fetcher plans with: when the question was sent, and whether it can still change.


@dataclass(frozen=True)
class QuestionFacts:
    sent: date | None  # the question's date, None when the page could not be read
    final: bool  # answered, closed or lapsed: its page is not expected to change
    error: str = ""  # why the page could not be read, if it could not


def question_facts(text: str, name: str) -> QuestionFacts:
    """Read the page with kg's parser; a page it cannot read is never final (it is fetched
    again on every run, and `kg build` reports it)."""
    from kg.parse import parse_text
    from kg.records import DocumentError

    try:
        parsed = parse_text(text.encode("utf-8"), name)
    except DocumentError as error:
        return QuestionFacts(None, False, str(error))
    records = parsed.questions
    final = any(record.answer is not None
                or any(event.kind in ("answer", "closed", "end-of-legislature") for event in record.chronology)
                for record in records)
    return QuestionFacts(records[0].date if records else None, final)
