"""Question and answer bodies: paragraphs, and the numbered parts they contain.

A paragraph is a block of lines between blank lines, trailing spaces stripped, lines of one block
joined by "\\n" (flattened tables print one cell per line). A paragraph that starts with a number
and ")", ".", "/" or ")/" ("1)", "2.", "3/", "3)/" as printed) opens a numbered part, which
groups it and the paragraphs after it up to the next numbered paragraph.

Answers split by agency restart their numbering under each header, and a header must not count
as part of the answer before it. So a part also ends:
- at a section header: a one-line paragraph "Voor wat ... betreft :", "Wat ... betreft :",
  "En ce qui concerne ... :", "Pour ce qui concerne ... :" (at most 16 words);
- when the numbering restarts (the next number is not higher), at the first header-like
  paragraph before the restart: one line of at most 16 words that does not end a sentence
  ("Fedasil", "Raad voor Vreemdelingenbetwistingen (RVV)"). Without a restart such lines stay in
  the part: they are flattened table cells ("Facebook", "Twitter").
Every paragraph stays in `Text.paragraphs` whatever the grouping.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.parse.records import NumberedPart, Paragraph, Text
from kg.parse.repair import repair

_NUMBERED = re.compile(r"\s*(\d{1,2})(\)/|[.)/])(?=\s|$)")
_SENTENCE_END = (".", "?", "!", ";", ",")
_SECTION = re.compile(r"(?:(?:Voor wat|Wat)\s.*\sbetreft|(?:En|Pour) ce qui concerne\s.*?)\s*:$")
_MAX_HEADER_WORDS = 16


class Paragraphs:
    """Collects the paragraphs of one body, line by line, repairing encoding damage."""

    def __init__(self, may_be_damaged: bool = True) -> None:
        self.paragraphs: list[Paragraph] = []
        self._lines: list[str] = []
        self.repaired = False
        self._may_be_damaged = may_be_damaged

    def add_line(self, line: str) -> None:
        line = line.rstrip()
        if line:
            self._lines.append(line)
        elif self._lines:
            self._close()

    def finish(self) -> Text:
        if self._lines:
            self._close()
        return make_text(self.paragraphs)

    def _close(self) -> None:
        printed = "\n".join(self._lines)
        self._lines = []
        text = repair(printed) if self._may_be_damaged else printed
        if text is printed:
            self.paragraphs.append(Paragraph(printed))
            return
        text = text.rstrip()
        self.repaired = True
        self.paragraphs.append(Paragraph(text, printed) if text else Paragraph(printed))


def _header_like(paragraph: Paragraph) -> bool:
    text = paragraph.text
    return (
        "\n" not in text
        and not text.endswith(_SENTENCE_END)
        and len(text.split()) <= _MAX_HEADER_WORDS
        and _NUMBERED.match(text) is None
    )


def _section(paragraph: Paragraph) -> bool:
    text = paragraph.text
    return (
        "\n" not in text
        and text.endswith(":")
        and len(text.split()) <= _MAX_HEADER_WORDS
        and _SECTION.match(text) is not None
    )


def make_text(paragraphs: Sequence[Paragraph]) -> Text:
    """A Text with its numbered parts found (see the module docstring for the rule)."""
    starts: list[tuple[int, str, int]] = []
    for index, paragraph in enumerate(paragraphs):
        match = _NUMBERED.match(paragraph.text)
        if match is not None:
            starts.append((index, match.group(1) + match.group(2), int(match.group(1))))
    parts: list[NumberedPart] = []
    for position, (start, label, number) in enumerate(starts):
        end = len(paragraphs)
        restart = False
        if position + 1 < len(starts):
            end, _, next_number = starts[position + 1]
            restart = next_number <= number
        for index in range(start + 1, end):
            paragraph = paragraphs[index]
            if _section(paragraph) or (restart and _header_like(paragraph)):
                end = index
                break
        parts.append(NumberedPart(label, number, tuple(paragraphs[start:end])))
    return Text(tuple(paragraphs), tuple(parts))
