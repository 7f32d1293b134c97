"""The parser under mutated documents: mixed encodings, line endings, junk bytes, huge fields and
huge numbers of lines. Whatever it is given, it returns questions or raises DocumentError, and
it finishes (the million-line documents run in a child process with a generous deadline, so a
hang fails the test instead of stalling the suite; how parse time grows with size is measured by
benchmarks/parse_scaling.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.paths import SEEDS_DIR
from kg.parse import parse_text
from kg.parse.records import DocumentError
from kg.synth import generate_documents

DOCUMENTS = Path(__file__).parent / "documents"
SOURCES = [SEEDS_DIR / "5-8913-nl.txt", SEEDS_DIR / "5-8916-nl.txt", *sorted(DOCUMENTS.glob("*.txt"))]
TEXTS = [path.read_text(encoding="utf-8", errors="replace") for path in SOURCES] + [
    document.text for document in generate_documents(12, seed=7)]
ENCODINGS = ["utf-8", "cp1252", "latin-1", "utf-16", "utf-16-le", "utf-8-sig", "cp850", "mac_roman"]


def parses_or_explains(data: bytes | str) -> None:
    try:
        document = parse_text(data, "fuzz.txt")
    except DocumentError as error:
        assert error.path == "fuzz.txt"
        assert error.line is None or error.line >= 1
        assert str(error)  # says something
        return
    assert document.questions
    for record in document.questions:
        assert record.number.legislature >= 0 and record.title is not None


@st.composite
def mixed_encodings(draw: st.DrawFn) -> bytes:
    """A document whose lines are encoded each in its own way, with mixed line endings."""
    lines = draw(st.sampled_from(TEXTS)).split("\n")
    out = []
    for line in lines:
        encoding = draw(st.sampled_from(ENCODINGS[:3])) if draw(st.booleans()) else "utf-8"
        ending = draw(st.sampled_from([b"\n", b"\r\n", b"\r", b"\n"]))
        out.append(line.encode(encoding, errors="replace") + ending)
    return b"".join(out)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_encodings())
def test_mixed_encodings_and_line_endings(data: bytes) -> None:
    parses_or_explains(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TEXTS), st.sampled_from(ENCODINGS))
def test_whole_document_in_another_encoding(text: str, encoding: str) -> None:
    parses_or_explains(text.encode(encoding, errors="replace"))


@st.composite
def junk_inserted(draw: st.DrawFn) -> bytes:
    """Junk bytes (NULs, control characters, broken UTF-8, BOMs) spliced into a document."""
    data = bytearray(draw(st.sampled_from(TEXTS)).encode("utf-8"))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        junk = draw(st.one_of(
            st.binary(min_size=1, max_size=30),
            st.sampled_from([b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xc3", b"\xe2\x80", b"\x1b[31m", b"\x0c",
                             b"\xed\xa0\x80", b"\xf4\x90\x80\x80", "\u2028".encode("utf-8")]),
        ))
        data[at:at] = junk
    return bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(junk_inserted())
def test_junk_bytes_anywhere(data: bytes) -> None:
    parses_or_explains(data)


@st.composite
def reordered(draw: st.DrawFn) -> str:
    """Blocks of a document (paragraphs between blank lines) shuffled, duplicated or dropped."""
    blocks = draw(st.sampled_from(TEXTS)).split("\n\n")
    chosen = draw(st.lists(st.sampled_from(blocks), min_size=1, max_size=len(blocks) + 4))
    if draw(st.booleans()):
        chosen = draw(st.permutations(blocks))
    return "\n\n".join(chosen)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reordered())
def test_shuffled_and_duplicated_blocks(text: str) -> None:
    parses_or_explains(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TEXTS), st.integers(0, 10_000))
def test_truncated_anywhere(text: str, cut: int) -> None:
    data = text.encode("utf-8")
    parses_or_explains(data[: cut % (len(data) + 1)])


SEED = (SEEDS_DIR / "5-8913-nl.txt").read_text(encoding="utf-8")
SIBLING = "Ook gesteld aan : schriftelijke vraag 5-8900\n"
TITLE = "Federale overheidsdiensten - Communicatie met burgers - Gebruik van sociale media"
DESCRIPTOR = "\nministerie\n"
PARAGRAPH = "Graag kreeg ik dan ook een antwoord op de volgende vragen:"


@pytest.mark.parametrize("field", ["title", "descriptor", "paragraph", "author"])
def test_huge_fields(field: str) -> None:
    """Fields of several megabytes parse (or are refused) like small ones."""
    huge = "sociale media " * 400_000  # 5.6 MB
    if field == "title":
        text = SEED.replace(TITLE, TITLE + " - " + huge, 1)
    elif field == "descriptor":
        text = SEED.replace(DESCRIPTOR, "\n" + huge + "\n", 1)
    elif field == "paragraph":
        text = SEED.replace(PARAGRAPH, huge + PARAGRAPH, 1)
    else:
        text = SEED.replace("Martine Taelman", "Martine " + "Taelman" * 500_000, 1)
    parses_or_explains(text)
    if field != "author":
        document = parse_text(text, "huge.txt")
        assert any(len(p.text) > 5_000_000 for p in document.questions[0].question.paragraphs) or \
            len(document.questions[0].title) > 5_000_000 or \
            any(len(d) > 5_000_000 for d in document.questions[0].descriptors)


MILLION = textwrap.dedent("""
    import sys
    from pathlib import Path
    from kg.parse import parse_text
    from kg.parse.records import DocumentError

    seed = Path(sys.argv[1]).read_text(encoding="utf-8")
    kind, n = sys.argv[2], int(sys.argv[3])
    sibling = "Ook gesteld aan : schriftelijke vraag 5-8900\\n"
    if kind == "siblings":
        text = seed.replace(sibling, sibling * n, 1)
    elif kind == "descriptors":
        text = seed.replace("\\nministerie\\n", "\\n" + "ministerie\\n" * n, 1)
    elif kind == "chronology":
        text = seed.replace("6/9/2013Antwoord\\n", "6/9/2013Antwoord\\n" + "1/5/2013Herinnering\\n" * n, 1)
    elif kind == "blank lines":
        text = seed.replace("\\n\\n", "\\n" * n, 1)
    else:
        text = seed.replace("Graag kreeg ik", "Zin.\\n\\n" * (n // 2) + "Graag kreeg ik", 1)
    try:
        document = parse_text(text, "million.txt")
    except DocumentError as error:
        print("error", error)
    else:
        record = document.questions[0]
        print("ok", len(record.links), len(record.descriptors), len(record.chronology),
              len(record.question.paragraphs))
""")


@pytest.mark.parametrize(("kind", "lines"), [("siblings", 1_000_000), ("blank lines", 1_000_000),
                                             ("descriptors", 250_000), ("chronology", 250_000),
                                             ("paragraphs", 250_000)])
def test_a_million_lines_do_not_hang(kind: str, lines: int) -> None:
    result = subprocess.run([sys.executable, "-c", MILLION, str(SEEDS_DIR / "5-8913-nl.txt"), kind, str(lines)],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    outcome = result.stdout.split()
    assert outcome[0] in ("ok", "error"), result.stdout
    if kind == "siblings":
        assert outcome[0] == "ok" and int(outcome[1]) >= lines  # every sibling kept
