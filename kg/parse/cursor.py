"""A cursor over a document's lines that knows its line numbers, so every error names the line
where the document stopped making sense."""

from __future__ import annotations

import re

from kg.parse.phrases import RULE_RE
from kg.records import DocumentError


class Lines:
    def __init__(self, text: str, path: str):
        self.lines = text.split("\n")
        if len(self.lines) > 1 and not self.lines[-1]:
            self.lines.pop()  # the final line end does not start another line
        self.index = 0
        self.path = path

    def at_end(self) -> bool:
        return self.index >= len(self.lines)

    def current(self) -> str | None:
        return self.lines[self.index] if self.index < len(self.lines) else None

    def advance(self) -> None:
        self.index += 1

    def skip_blank(self, rules: bool = False) -> None:
        """Past blank lines, and past rule lines too in the print renderings."""
        lines, index = self.lines, self.index
        while index < len(lines) and (not lines[index].strip()
                                      or (rules and RULE_RE.match(lines[index]) is not None)):
            index += 1
        self.index = index

    def is_rule(self) -> bool:
        line = self.current()
        return line is not None and RULE_RE.match(line) is not None

    def error(self, expected: str, line: int | None = None) -> DocumentError:
        """A DocumentError at the current line, or at the given 1-based line."""
        if line is None and self.index >= len(self.lines):
            return DocumentError(self.path, len(self.lines) + 1, expected, "end of document")
        if line is None:
            line = self.index + 1
        found = self.lines[line - 1].strip()
        return DocumentError(self.path, line, expected, found if len(found) <= 80 else found[:77] + "...")

    def expect(self, pattern: re.Pattern[str], expected: str, rules: bool = False) -> re.Match[str]:
        """Skip blank lines, match the next line against the pattern, and move past it."""
        self.skip_blank(rules)
        line = self.current()
        match = pattern.match(line.strip()) if line is not None else None
        if match is None:
            raise self.error(expected)
        self.index += 1
        return match
