"""The web page saved from a browser as HTML: its visible text, read as a browser lays it out, so
the parser reads it like the page's text.

- What is a page: a file named .htm or .html, or content that starts (after a byte-order mark and
  white space) with "<!DOCTYPE html", "<html" or "<head".
- Charset: a byte-order mark first, then the page's own declaration (`<meta charset=...>` or
  `<meta http-equiv="Content-Type" content="...; charset=...">` in its first 4,096 bytes), else
  as a text document (UTF-8, else Windows-1252). "iso-8859-1", "latin1" and "us-ascii" mean
  Windows-1252, and a declared UTF-16 means UTF-8 (without a byte-order mark), as browsers read
  them. A charset Python does not know, or bytes the declared one
  cannot decode, is a DocumentError naming the line.
- Text: what is inside <head>, <script>, <style>, <template> and <noscript> is not shown. White
  space runs collapse to one space (not in <pre>); <br> ends a line; block elements (p, div, h1-h6,
  li, table, tr, hr, ...) stand on lines of their own, separated by a blank line; table cells of
  one row are separated by a tab. Entities are decoded.
- Lines: each text line remembers the page's line its text starts on, so errors and warnings
  name the page's line. The page's text before the document's first line (its toolbar line, its
  number line or a print version's head) is the site's menus and banners and is not read. Text
  after the document (a site footer) cannot be told from it: it is read as the end of its last
  text.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from kg.parse.decoding import decode
from kg.parse.records import DocumentError

_SNIFF = re.compile(rb"\s*<(?:!doctype\s+html|html|head)[\s>]", re.IGNORECASE)
_META = re.compile(rb"<meta\s[^>]*?charset\s*=\s*[\"']?\s*([-\w.:]+)", re.IGNORECASE)
_WINDOWS_1252 = {
    "iso-8859-1",
    "iso8859-1",
    "latin1",
    "latin-1",
    "l1",
    "us-ascii",
    "ascii",
    "windows-1252",
    "cp1252",
    "x-cp1252",
}
_HIDDEN = frozenset({"head", "script", "style", "template", "noscript", "title"})
_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "ul",
    }
)
_SPACE = re.compile(r"[ \t\n\r\f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def is_html(data: bytes | str, path: str) -> bool:
    if path.lower().endswith((".htm", ".html")):
        return True
    head = data[:512] if isinstance(data, bytes) else data[:512].encode("utf-8", "replace")
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):
            head = head[len(bom) :]
            if bom != codecs.BOM_UTF8:
                head = head.decode("utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be", "replace").encode(
                    "utf-8"
                )
    return _SNIFF.match(head) is not None


def read_html(data: bytes, path: str) -> tuple[str, str, list[int]]:
    """(visible text, the encoding it was decoded with, the page's line of each text line)."""
    page, encoding = _decode(data, path)
    reader = _Reader()
    reader.feed(page)
    reader.close()
    lines, sources = reader.finish()
    text = "\n".join(lines)
    bad = _CONTROL.search(text)
    if bad is not None:
        line = sources[text.count("\n", 0, bad.start())]
        raise DocumentError(path, line, "text", f"binary data (control character U+{ord(bad.group()):04X})")
    if not text.strip():
        raise DocumentError(path, 1, "a written question", "a web page without visible text")
    return text + "\n", encoding, sources


def _decode(data: bytes, path: str) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data, path)
    declared = _META.search(data[:4096])
    if declared is None:
        return decode(data, path)
    label = declared.group(1).decode("ascii", "replace").lower()
    line = data.count(b"\n", 0, declared.start()) + 1
    codec = "cp1252" if label in _WINDOWS_1252 else label
    try:
        codec = codecs.lookup(codec).name
    except LookupError:
        raise DocumentError(path, line, "a charset Python knows", label) from None
    if codec.startswith("utf-16"):  # a page that could say so in ASCII is not UTF-16
        codec = "utf-8"
    try:
        return data.decode(codec).replace("\r\n", "\n").replace("\r", "\n"), codec
    except UnicodeDecodeError as error:
        at = data.count(b"\n", 0, error.start) + 1
        raise DocumentError(
            path, at, f"text in the page's charset {label}", f"undecodable byte 0x{data[error.start]:02X}"
        ) from None


class _Reader(HTMLParser):
    """Collects the visible text in lines, with the page's line where each starts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.sources: list[int] = []
        self.current: list[str] = []
        self.current_source = 0
        self.hidden = 0
        self.pre = 0
        self.cells = 0  # cells seen in the current table row

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """`<![if !supportLists]>` (office programs write them) and other marked sections the
        standard parser refuses: skipped to their ">", as browsers skip a bogus comment."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            end = self.rawdata.find(">", i)
            return -1 if end < 0 else end + 1

    def _break(self, blank: bool) -> None:
        """End the current line; `blank`: and leave a blank line after it (a block's edge)."""
        line = "".join(self.current).strip(" ")
        if line or self.current:
            self.lines.append(line)
            self.sources.append(self.current_source or self.getpos()[0])
        self.current = []
        self.current_source = 0
        if blank and self.lines and self.lines[-1]:
            self.lines.append("")
            self.sources.append(self.sources[-1])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self._break(False)
        elif tag in ("td", "th"):
            if self.cells:
                self.current.append("\t")
            self.cells += 1
        elif tag == "tr":
            self._break(False)
            self.cells = 0
        elif tag in _BLOCKS:
            self._break(True)
            self.pre += tag == "pre"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr", "td", "th", "tr") and tag not in _HIDDEN:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "tr":
            self._break(False)
            self.cells = 0
        elif tag in _BLOCKS:
            self._break(True)
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        line = self.getpos()[0]
        if self.pre:
            first, *rest = data.split("\n")
            self._add(first, line)
            for offset, piece in enumerate(rest, start=1):
                self._break(False)
                self._add(piece, line + offset)
            return
        text = _SPACE.sub(" ", data)
        if text == " " and (not self.current or self.current[-1].endswith((" ", "\t"))):
            return
        self._add(text, line + data[: len(data) - len(data.lstrip())].count("\n"))

    def _add(self, text: str, line: int) -> None:
        if not text:
            return
        if not self.current_source and text.strip():
            self.current_source = line
        if self.current and self.current[-1].endswith(" ") and text.startswith(" "):
            text = text[1:]
        self.current.append(text)

    def finish(self) -> tuple[list[str], list[int]]:
        self._break(False)
        lines: list[str] = []
        sources: list[int] = []
        for line, source in zip(self.lines, self.sources, strict=True):
            line = line.strip()
            if not line and (not lines or not lines[-1]):
                continue  # one blank line between blocks, none at the start
            lines.append(line)
            sources.append(source)
        while lines and not lines[-1]:
            lines.pop()
            sources.pop()
        return lines, sources
