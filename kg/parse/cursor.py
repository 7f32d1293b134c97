"""A cursor over a document's lines that knows its line numbers, so every error names the line
where the document stopped making sense. For a text read out of an HTML page, `source_lines`
maps each text line to the page's line it came from, so errors name the page's line."""

from __future__ import annotations

import re

from kg.parse.phrases import RULE_RE
from kg.parse.records import DocumentError


class Lines:
    def __init__(self, text: str, path: str, source_lines: list[int] | None = None):
        self.lines = text.split("\n")
        if len(self.lines) > 1 and not self.lines[-1]:
            self.lines.pop()  # the final line end does not start another line
        self.index = 0
        self.path = path
        self.source_lines = source_lines
        last = len(self.lines)
        while last > 0 and not self.lines[last - 1].strip():
            last -= 1
        self.last = last  # the 1-based number of the last line that is not blank (0: none)
        self.failed_at = 0  # the 1-based line of the last error made (one past the end: the end)

    def source_line(self, line: int) -> int:
        """The file's line number of a 1-based text line (past the end: the line after the last)."""
        if self.source_lines is None:
            return line
        if line <= len(self.source_lines):
            return self.source_lines[line - 1]
        return (self.source_lines[-1] if self.source_lines else 0) + 1

    def stops_here(self) -> bool:
        """Did the last error happen where the document stops: at its end, or on its last line
        (a line cut in the middle)? Then the document was cut off, not malformed."""
        return self.failed_at >= self.last

    def at_end(self) -> bool:
        return self.index >= len(self.lines)

    def current(self) -> str | None:
        return self.lines[self.index] if self.index < len(self.lines) else None

    def advance(self) -> None:
        self.index += 1

    def skip_blank(self, rules: bool = False) -> None:
        """Past blank lines, and past rule lines too in the print renderings."""
        lines, index = self.lines, self.index
        while index < len(lines) and (not lines[index].strip() or (rules and RULE_RE.match(lines[index]) is not None)):
            index += 1
        self.index = index

    def is_rule(self) -> bool:
        line = self.current()
        return line is not None and RULE_RE.match(line) is not None

    def error(self, expected: str, line: int | None = None) -> DocumentError:
        """A DocumentError at the current line, or at the given 1-based line."""
        if line is None and self.index >= len(self.lines):
            self.failed_at = len(self.lines) + 1
            return DocumentError(self.path, self.source_line(self.failed_at), expected, "end of document")
        if line is None:
            line = self.index + 1
        self.failed_at = line
        found = self.lines[line - 1].strip()
        return DocumentError(
            self.path, self.source_line(line), expected, found if len(found) <= 80 else found[:77] + "..."
        )

    def expect(self, pattern: re.Pattern[str], expected: str, rules: bool = False) -> re.Match[str]:
        """Skip blank lines, match the next line against the pattern, and move past it."""
        self.skip_blank(rules)
        line = self.current()
        match = pattern.match(line.strip()) if line is not None else None
        if match is None:
            raise self.error(expected)
        self.index += 1
        return match

    def optional(self, pattern: re.Pattern[str], rules: bool = False) -> re.Match[str] | None:
        """Like `expect`, but a line that does not match stays where it is and gives None."""
        self.skip_blank(rules)
        line = self.current()
        match = pattern.match(line.strip()) if line is not None else None
        if match is not None:
            self.index += 1
        return match
