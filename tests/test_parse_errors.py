"""Bad input: every way a document can be unreadable gives a DocumentError that names the file,
the line and what was expected, and nothing else ever escapes the parser (fuzzed)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.parse import parse_document, parse_text
from kg.parse.records import DocumentError
from kg.paths import SEEDS_DIR
from kg.synth import generate_documents

DOCUMENTS = Path(__file__).parent / "documents"
SEED = (SEEDS_DIR / "5-8913-nl.txt").read_bytes()


def error_of(data: bytes | str, path: str = "doc.txt") -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        parse_text(data, path)
    return caught.value


@pytest.mark.parametrize("data", [b"", b"   \n\n \r\n", "\ufeff", codecs.BOM_UTF8 + b"\n"])
def test_empty_document(data: bytes | str) -> None:
    error = error_of(data, "empty.txt")
    assert (error.path, error.line, error.found) == ("empty.txt", 1, "an empty document")
    assert str(error) == "empty.txt:1: expected a written question, found 'an empty document'"


def test_binary_junk_names_the_line_with_the_control_character() -> None:
    error = error_of(b"Tweetalige printerversie Eentalige printerversie\n\n\x00\x01\x02PK\x03\x04", "junk.bin")
    assert (error.path, error.line, error.expected) == ("junk.bin", 3, "text")
    assert error.found == "binary data (control character U+0000)"


def test_bytes_neither_utf8_nor_windows_1252() -> None:
    error = error_of(b"Schriftelijke vraag nr. 5-1\n\nvan X \x81 d.d. 1 mei 2013\n", "odd.txt")
    assert (error.line, error.expected) == (3, "text in UTF-8 or Windows-1252")
    assert error.found == "undecodable byte 0x81"


def test_cut_off_mid_header() -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document(DOCUMENTS / "bad-cut-header.txt", "tests/documents/bad-cut-header.txt")
    error = caught.value
    assert (error.path, error.line) == ("tests/documents/bad-cut-header.txt", 7)
    assert error.expected == "the addressee line 'aan ...'"
    assert error.found == "end of document"


def test_a_document_ending_in_its_chronology_converts_incomplete() -> None:
    document = parse_document(DOCUMENTS / "bad-no-question.txt", "cut.txt")
    (record,) = document.questions
    assert record.incomplete and record.title == "Federale overheidsdiensten - Gebruik van sociale media"
    assert record.descriptors == ("sociale media",)
    assert record.chronology == ()  # the event on the line where it stops may be cut: left out
    assert record.question.paragraphs == () and record.answer is None
    (warning,) = document.warnings
    assert (warning.path, warning.line) == ("cut.txt", 15)
    assert str(warning) == (
        "cut.txt:15: the document stops early (expected the question header "
        "'Vraag nr. 5-8913 d.d. DATE :'); converted what it has"
    )


def test_no_question_header_in_the_middle_is_an_error() -> None:
    text = (DOCUMENTS / "bad-no-question.txt").read_text(encoding="utf-8") + "\nEen vraag.\n\nNog een.\n"
    error = error_of(text)
    assert (error.line, error.found) == (17, "Een vraag.")
    assert error.expected == "the question header 'Vraag nr. 5-8913 d.d. DATE :'" and not error.stops_in_header


def test_not_a_question_at_all() -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document(DOCUMENTS / "bad-not-a-question.txt", "press.txt")
    assert (caught.value.line, caught.value.found) == (1, "Belgische Senaat - Persbericht")
    assert "Schriftelijke vraag nr." in caught.value.expected


def test_missing_file_is_a_document_error() -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document(DOCUMENTS / "no-such-file.txt", "no-such-file.txt")
    assert (caught.value.path, caught.value.line, caught.value.expected) == (
        "no-such-file.txt",
        None,
        "a readable file",
    )


def test_impossible_dates_are_reported_on_their_line() -> None:
    text = SEED.decode().replace("30/4/2013Verzending", "31/4/2013Verzending")
    error = error_of(text)
    assert error.line == 19 and error.expected == "a real date d/m/yyyy"
    error = error_of(SEED.decode().replace("d.d. 30 april 2013", "d.d. 31 april 2013", 1))
    assert error.line == 5 and error.expected == "a real date in the author line"


def test_question_header_of_another_number() -> None:
    error = error_of(SEED.decode().replace("Vraag nr. 5-8913", "Vraag nr. 5-8914"))
    assert (error.line, error.expected) == (41, "the question header of 5-8913")


def test_question_without_text() -> None:
    text = SEED.decode()
    cut = text[: text.index("Antwoord ontvangen op")]
    question = cut.index("Vraag nr. 5-8913")
    error = error_of(
        cut[:question] + "Vraag nr. 5-8913 d.d. 30 april 2013 :\n\n" + text[text.index("Antwoord ontvangen op") :]
    )
    assert (error.line, error.expected) == (43, "the question text")


def test_answer_header_at_the_end_converts_incomplete_with_the_answer_date() -> None:
    text = SEED.decode()
    document = parse_text(
        text[: text.index("Antwoord ontvangen op")] + "Antwoord ontvangen op 6 september 2013 :\n", "a.txt"
    )
    (record,) = document.questions
    assert record.incomplete and record.answer is not None and record.answer.text.paragraphs == ()
    assert record.answer.date.isoformat() == "2013-09-06"
    assert "expected the answer text" in str(document.warnings[0])


def test_text_after_the_end_of_a_print_version() -> None:
    text = (DOCUMENTS / "print-fr-4-1234.txt").read_text(encoding="utf-8") + "\nPage 2\n"
    error = error_of(text, "p.txt")
    assert (error.line, error.found) == (33, "Page 2")
    assert error.expected == "the answer header 'Réponse reçue le DATE :'"


def test_bilingual_pairs_must_agree() -> None:
    text = (DOCUMENTS / "bilingual-5-12.txt").read_text(encoding="utf-8")
    error = error_of(text.replace("2/9/2010 Antwoord", "3/9/2010 Antwoord"))
    assert (error.line, error.found) == (27, "3/9/2010 Antwoord")
    error = error_of(
        text.replace("Herindiening van : schriftelijke vraag 4-1234", "Herindiening van : schriftelijke vraag 4-1235")
    )
    assert (error.line, error.expected) == (30, "the links once in French and once in Dutch, to the same questions")
    error = error_of(text.replace("Schriftelijke vraag nr. 5-12", "Schriftelijke vraag nr. 5-13"))
    assert (error.line, error.expected) == (5, "the same number, session and date in French and Dutch")


def test_bilingual_descriptors_need_both_languages() -> None:
    text = (DOCUMENTS / "bilingual-5-12.txt").read_text(encoding="utf-8")
    error = error_of(text.replace("média social\n\npolitie\nsociale media\n", "média social\n"))
    assert error.expected == "the French descriptors, then the Dutch ones"


# ---- fuzzing: whatever the input, a DocumentError or a result, quickly.


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


SEED_LINES = _lines(SEED)
OTHER_LINES = [line for path in sorted(DOCUMENTS.glob("*.txt")) for line in _lines(path.read_bytes())]
# one generated document of each rendering
GENERATED = list(
    {document.rendering: _lines(document.text.encode("utf-8")) for document in generate_documents(40, seed=4)}.values()
)


@st.composite
def mutated_documents(draw: st.DrawFn) -> bytes:
    """A real document with lines dropped, duplicated, cut, swapped or replaced by noise."""
    lines = list(
        draw(
            st.sampled_from(
                [
                    SEED_LINES,
                    _lines((DOCUMENTS / "bilingual-5-12.txt").read_bytes()),
                    _lines((DOCUMENTS / "web-fr-5-8914.txt").read_bytes()),
                    _lines((DOCUMENTS / "print-nl-4-5678.txt").read_bytes()),
                    *GENERATED,
                ]
            )
        )
    )
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "dup", "cut", "noise", "other", "truncate", "bytes"]))
        if action == "drop":
            del lines[index]
        elif action == "dup":
            lines.insert(index, lines[index])
        elif action == "cut":
            lines[index] = lines[index][: draw(st.integers(0, max(0, len(lines[index]))))]
        elif action == "noise":
            lines[index] = draw(st.binary(max_size=40))
        elif action == "other":
            lines[index] = draw(st.sampled_from(OTHER_LINES))
        elif action == "truncate":
            lines = lines[:index]
        else:
            lines[index] = draw(st.text(max_size=60)).encode("utf-8", "surrogatepass")
    return b"\n".join(lines)


def _parses_or_explains(data: bytes | str) -> None:
    try:
        document = parse_text(data, "fuzz.txt")
    except DocumentError as error:
        assert error.path == "fuzz.txt"
        assert error.line is None or error.line >= 1
        return
    assert document.questions


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_mutated_documents_parse_or_raise_document_error(data: bytes) -> None:
    _parses_or_explains(data)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400)))
def test_random_input_raises_only_document_error(data: bytes | str) -> None:
    _parses_or_explains(data)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SEED_LINES + OTHER_LINES + GENERATED[0] + [b"", b"_" * 72]), max_size=60))
def test_shuffled_real_lines_raise_only_document_error(lines: list[bytes]) -> None:
    _parses_or_explains(b"\n".join(lines))
