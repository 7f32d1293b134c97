"""From bytes to lines of text.

Accepted: UTF-8 with or without a byte-order mark, UTF-16 with a byte-order mark, and, for bytes
that are not valid UTF-8, Windows-1252 (a superset of Latin-1's printable range, the encoding
older Senate exports and Belgian office tools write). UTF-8 is tried first because a Windows-1252
text with accents is almost never valid UTF-8, while the reverse always decodes into garbage.
Line ends CRLF and CR become LF. Text with control characters (other than tab and form feed)
is not a document but binary data, and is refused with the line where it shows.
"""

from __future__ import annotations

import codecs
import re

from kg.parse.records import DocumentError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def decode(data: bytes | str, path: str) -> tuple[str, str]:
    """(text with LF line ends, encoding name). Raises DocumentError for empty or binary input."""
    if isinstance(data, str):
        text, encoding = data, "utf-8"
        if text.startswith("\ufeff"):
            text = text[1:]
    else:
        text, encoding = _decode_bytes(data, path)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _CONTROL.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        raise DocumentError(path, line, "text", f"binary data (control character U+{ord(bad.group()):04X})")
    if not text.strip():
        raise DocumentError(path, 1, "a written question", "an empty document")
    return text, encoding


def _decode_bytes(data: bytes, path: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8"
        except UnicodeDecodeError as error:
            raise _undecodable(data, path, error) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise _undecodable(data, path, error) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        raise _undecodable(data, path, error) from None


def _undecodable(data: bytes, path: str, error: UnicodeDecodeError) -> DocumentError:
    line = data.count(b"\n", 0, error.start) + 1
    return DocumentError(path, line, "text in UTF-8 or Windows-1252", f"undecodable byte 0x{data[error.start]:02X}")
