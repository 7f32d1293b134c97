"""HTML -> the text a reader sees, in the layout kg's parser reads (what a browser's copy gives)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIP = frozenset({"head", "script", "style", "title", "noscript", "template"})
_PARAGRAPH = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "blockquote"})
_BLOCK = frozenset(
    {
        "div",
        "li",
        "ul",
        "ol",
        "tr",
        "td",
        "th",
        "dl",
        "dt",
        "dd",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "main",
        "form",
        "center",
        "address",
        "hr",
        "body",
        "html",
        "tbody",
        "thead",
        "caption",
    }
)
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
