"""A response body's text: the charset read from the headers and the page, checked against the
bytes, never assumed."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)


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
        note = (
            ""
            if source == "header" or (source == "page" and header is None)
            else f"labelled {labelled}, but the bytes are not; read as {charset}, {how}"
        )
        return Decoded(text, charset, note)
    return Decoded(body.decode("cp1252", errors="replace"), "cp1252", "undecodable bytes replaced")
