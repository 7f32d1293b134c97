"""Documents that stop early, cut at every point: inside the header they fail with an error that
says so, after it they convert what they have (never a cut list item, never a fact the whole
document does not state) with a warning naming the line where they stop."""

from __future__ import annotations

import pytest
from test_parse_print import BILINGUAL_WHOLE, NL_WHOLE

from kg.parse import parse_text
from kg.parse.records import STOPS_IN_HEADER, DocumentError, ParsedDocument, QuestionRecord
from kg.paths import SEEDS_DIR

WEB = (SEEDS_DIR / "5-8913-nl.txt").read_text(encoding="utf-8")
WHOLE = {"web": WEB, "print": NL_WHOLE, "bilingual": BILINGUAL_WHOLE}
TITLE = {"web": "Gebruik van sociale media\n", "print": "Gebruik van sociale media\n", "bilingual": "sociale media \n"}
# Where the last text starts, in which a cut at the end of a sentence cannot be seen.
LAST_TEXT = "Antwoord ontvangen op"


def header_end(text: str, kind: str) -> int:
    """The first character after the title line and the blank lines after it: a cut before it
    is a cut inside the header (the title line may be cut)."""
    end = text.index(TITLE[kind]) + len(TITLE[kind])
    while text[end] == "\n":
        end += 1
    return end


def _is_prefix(part: tuple[object, ...], whole: tuple[object, ...]) -> bool:
    return whole[: len(part)] == part


def _agrees(record: QuestionRecord, whole: QuestionRecord) -> None:
    """A record of a cut document says nothing the whole document does not."""
    assert (record.number, record.author, record.party, record.date, record.title) == (
        whole.number,
        whole.author,
        whole.party,
        whole.date,
        whole.title,
    )
    assert _is_prefix(record.descriptors, whole.descriptors)
    assert _is_prefix(record.chronology, whole.chronology)
    assert _is_prefix(record.links, whole.links)
    for texts, full in [(record.question.paragraphs, whole.question.paragraphs)] + (
        [(record.answer.text.paragraphs, whole.answer.text.paragraphs)] if record.answer and whole.answer else []
    ):
        if texts:
            assert texts[:-1] == full[: len(texts) - 1]
            assert full[len(texts) - 1].text.startswith(texts[-1].text)


def _last_line(text: str) -> int:
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return len(lines)


@pytest.mark.parametrize("kind", ["web", "print", "bilingual"])
def test_every_cut_after_the_header_converts_what_it_has(kind: str) -> None:
    whole_text = WHOLE[kind]
    whole = parse_text(whole_text, "whole.txt")
    assert whole.warnings == () and not any(record.incomplete for record in whole.questions)
    start = header_end(whole_text, kind) + 1
    end = whole_text.rindex(LAST_TEXT)
    for cut in range(start, end, 3):
        text = whole_text[:cut]
        document = parse_text(text, "cut.txt")
        assert all(record.incomplete for record in document.questions), cut
        (warning,) = document.warnings
        assert (warning.path, warning.line) == ("cut.txt", _last_line(text)), cut
        assert str(warning).startswith(f"cut.txt:{warning.line}: the document stops early (")
        for record, full in zip(document.questions, whole.questions, strict=True):
            _agrees(record, full)


@pytest.mark.parametrize("kind", ["web", "print", "bilingual"])
def test_every_cut_inside_the_header_fails_saying_so(kind: str) -> None:
    whole_text = WHOLE[kind]
    number_line = whole_text.index("\n", whole_text.index(" 5-89")) + 1  # from the number line on
    end = header_end(whole_text, kind)
    for cut in range(number_line, end + 1, 2):
        with pytest.raises(DocumentError) as caught:
            parse_text(whole_text[:cut], "cut.txt")
        error = caught.value
        assert error.stops_in_header and str(error).endswith(STOPS_IN_HEADER), cut
        # the last line, or the end after it (blank lines included)
        assert _last_line(whole_text[:cut]) <= error.line <= whole_text[:cut].count("\n") + 2, cut


def parsed(text: str) -> ParsedDocument:
    return parse_text(text, "cut.txt")


def test_cut_mid_line_in_the_descriptors_leaves_the_cut_one_out() -> None:
    document = parsed(NL_WHOLE[: NL_WHOLE.index("gemeenschap")])
    (record,) = document.questions
    assert record.descriptors == ("ministerie",) and record.chronology == () and record.question.paragraphs == ()
    assert document.warnings[0].line == 16


def test_cut_mid_line_in_the_chronology() -> None:
    (record,) = parsed(NL_WHOLE[: NL_WHOLE.index("18/12/2013") + 6]).questions
    assert [event.kind for event in record.chronology] == ["sent"] and record.incomplete


def test_cut_mid_list_in_the_links() -> None:
    document = parsed(NL_WHOLE[: NL_WHOLE.index("vraag 5-8905") + 3])
    (record,) = document.questions
    assert [str(link.target) for link in record.links] == ["5-8900", "5-8901", "5-8903", "5-8904"]
    assert "expected the question header" in document.warnings[0].message


def test_cut_mid_question_keeps_the_cut_paragraph_as_printed() -> None:
    document = parsed(NL_WHOLE[: NL_WHOLE.index("Graag kreeg ik") + 11])
    (record,) = document.questions
    assert record.question.paragraphs[-1].text == "Graag kreeg"
    assert "the question text ends inside a sentence" in document.warnings[0].message


def test_cut_between_question_and_answer_is_seen_in_the_chronology() -> None:
    text = NL_WHOLE[: NL_WHOLE.index("Antwoord ontvangen op")]
    document = parsed(text)
    (record,) = document.questions
    assert record.answer is None and record.question.paragraphs[-1].text.endswith("sociale media?")
    assert "the chronology records an answer of 17/02/2014 the document does not print" in document.warnings[0].message


def test_cut_in_the_french_answer_of_a_bilingual_version() -> None:
    document = parsed(BILINGUAL_WHOLE[: BILINGUAL_WHOLE.index("Fedasil utilise") + 7])
    fr, nl = document.questions
    assert fr.answer is not None and fr.answer.text.paragraphs[0].text == "Fedasil"
    assert nl.answer is None and fr.incomplete and nl.incomplete
    assert len(nl.question.paragraphs) == 1


def test_junk_after_the_end_is_still_an_error() -> None:
    with pytest.raises(DocumentError) as caught:
        parsed(NL_WHOLE + "\nPagina 2\n")
    assert caught.value.found == "Pagina 2" and not caught.value.stops_in_header


def test_a_whole_document_ending_without_a_rule_is_whole() -> None:
    document = parsed(NL_WHOLE.rstrip("_\n") + "\n")
    assert document.warnings == () and not document.questions[0].incomplete


def test_web_page_cut_in_the_answer_header_keeps_the_question_whole() -> None:
    text = WEB[: WEB.index("Antwoord ontvangen op") + len("Antwoord ontvangen op 6 sept")]
    document = parsed(text)
    (record,) = document.questions
    whole = parsed(WEB).questions[0]
    assert record.question == whole.question and record.answer is None and record.incomplete
    assert "expected the answer header" in document.warnings[0].message
