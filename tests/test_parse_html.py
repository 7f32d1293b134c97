"""The web page saved from a browser as HTML: a page made from a seed's text with the markup such
pages have (menus, tables, links, entities, scripts) in a charset other than UTF-8 reads as the
same record as the text; the charset comes from the page; errors name the page's line."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from kg.parse import parse_document, parse_text
from kg.parse.records import DocumentError, QuestionRecord
from kg.paths import SEEDS_DIR

SEED = SEEDS_DIR / "5-8913-nl.txt"
TEXT = SEED.read_text(encoding="utf-8")
EVENT = re.compile(r"(\d{1,2}/\d{1,2}/\d{4})\s*(.*)")


def _block(lines: list[str]) -> str:
    """One block of the text (lines between blank lines) as the page marks it up."""
    first = lines[0]
    if first == "Tweetalige printerversie Eentalige printerversie":
        return (
            '<div class="toolbar"><a href="?MIval=/Vragen/SVPrintNLFR&amp;LEG=5&amp;NR=8913&amp;LANG=nl">'
            'Tweetalige printerversie</a>\n    <a href="?MIval=/Vragen/SVPrint&amp;LEG=5&amp;NR=8913">'
            "Eentalige printerversie</a></div>"
        )
    if first.startswith("Schriftelijke vraag nr."):
        return f"<h1>{html.escape(first)}</h1>"
    if first.startswith("van Martine Taelman"):
        rest = first[first.index("(Open Vld)") + len("(Open Vld)") :]
        return f'<p>van <a href="?MIval=showSenator&amp;ID=1234">Martine\n   Taelman</a> (Open Vld){rest}</p>'
    if EVENT.match(first):
        rows = "".join(
            f"<tr><td>{m.group(1)}</td><td>{html.escape(m.group(2))}</td></tr>\n" for m in map(EVENT.match, lines) if m
        )
        return f'<table class="chrono">\n<tbody>\n{rows}</tbody></table>'
    if first.startswith("Ook gesteld aan"):
        return (
            "<div>"
            + "<br>\n".join(
                f'Ook gesteld aan : <a href="?NR={line[-4:]}">schriftelijke vraag {line.split()[-1]}</a>'
                for line in lines
            )
            + "</div>"
        )
    body = "<br>\n".join(
        html.escape(line, quote=False).replace("é", "&eacute;").replace("ë", "&#235;") for line in lines
    )
    return f"<p>\n  {body}\n</p>"


def saved_page(text: str, charset: str, *, meta: str = "http-equiv", codec: str | None = None) -> bytes:
    """The page, declaring `charset`, in bytes of `codec` (by default the charset itself)."""
    blocks = [block.split("\n") for block in text.strip("\n").split("\n\n")]
    declaration = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        if meta == "http-equiv"
        else f'<meta charset="{charset}">'
    )
    page = (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<html>\n<head>\n'
        f"{declaration}\n<title>Schriftelijke vraag 5-8913 - Belgische Senaat</title>\n"
        "<style>td { font-family: Arial }</style>\n"
        "<script>var menu = 'Schriftelijke vraag nr. 9-9999';</script>\n</head>\n<body>\n"
        '<ul class="menu"><li><a href="/">Home</a></li><li>Zoeken &amp; vinden</li></ul>\n'
        "<noscript>Javascript staat uit</noscript>\n"
        '<table width="100%"><tr><td valign="top">\n'
        + "\n".join(_block([line for line in lines]) for lines in blocks)
        + "\n</td></tr></table>\n</body>\n</html>\n"
    )
    return page.encode(codec or charset)


def same_facts(record: QuestionRecord, expected: QuestionRecord) -> None:
    assert {**record.__dict__, "source": None} == {**expected.__dict__, "source": None}


@pytest.fixture(scope="module")
def expected() -> QuestionRecord:
    (record,) = parse_document(SEED).questions
    return record


@pytest.mark.parametrize(
    ("charset", "meta", "encoding"),
    [
        ("windows-1252", "http-equiv", "cp1252"),
        ("iso-8859-1", "charset", "cp1252"),
        ("utf-8", "charset", "utf-8"),
        ("utf-16", "charset", "utf-16"),
    ],
)
def test_saved_page_reads_as_the_text(
    expected: QuestionRecord, charset: str, meta: str, encoding: str, tmp_path: Path
) -> None:
    path = tmp_path / "5-8913-nl.html"
    # pages that say iso-8859-1 are Windows-1252, as browsers read them
    path.write_bytes(saved_page(TEXT, charset, meta=meta, codec="cp1252" if charset == "iso-8859-1" else None))
    document = parse_document(path, "5-8913-nl.html")
    (record,) = document.questions
    same_facts(record, expected)
    assert (record.source.rendering, record.source.encoding, record.source.path) == ("web", encoding, "5-8913-nl.html")
    assert document.warnings == ()


def test_the_charset_comes_from_the_page(expected: QuestionRecord) -> None:
    page = saved_page(TEXT, "windows-1252")
    (record,) = parse_text(page, "page.html").questions
    assert "(potentiële) klanten" in record.question.paragraphs[0].text  # the Senate's damage repaired
    # the same bytes said to be UTF-8 are not: the page's own declaration decides
    with pytest.raises(DocumentError) as caught:
        parse_text(page.replace(b"charset=windows-1252", b"charset=utf-8"), "page.html")
    assert caught.value.expected == "text in the page's charset utf-8"
    assert caught.value.line == page[: page.index(b"\x8e")].count(b"\n") + 1  # where the first such byte is


def test_a_page_is_known_by_its_content_too(expected: QuestionRecord) -> None:
    (record,) = parse_text(saved_page(TEXT, "windows-1252"), "saved-without-suffix.txt").questions
    same_facts(record, expected)


def test_an_unknown_charset_names_its_line() -> None:
    page = saved_page(TEXT, "utf-8").replace(b"charset=utf-8", b"charset=x-klingon")
    with pytest.raises(DocumentError) as caught:
        parse_text(page, "page.html")
    assert (caught.value.line, caught.value.expected, caught.value.found) == (4, "a charset Python knows", "x-klingon")


def test_errors_name_the_page_line() -> None:
    page = saved_page(TEXT.replace("d.d. 30 april 2013", "d.d. 31 april 2013", 1), "utf-8")
    with pytest.raises(DocumentError) as caught:
        parse_text(page, "page.html")
    line = page.decode().split("\n")[caught.value.line - 1]
    assert "Martine" in line and caught.value.expected == "a real date in the author line"


def test_a_page_that_stops_early_warns_with_the_page_line() -> None:
    page = saved_page(TEXT, "utf-8")
    cut = page[: page.index(b"Graag kreeg ik") + 11]
    document = parse_text(cut, "page.html")
    assert document.questions[0].incomplete
    assert document.warnings[0].line == cut.count(b"\n") + 1


def test_a_page_without_a_question() -> None:
    with pytest.raises(DocumentError) as caught:
        parse_text(b"<!DOCTYPE html><html><body><p>Persbericht</p></body></html>", "press.html")
    assert caught.value.found == "Persbericht"
    with pytest.raises(DocumentError) as caught:
        parse_text(b"<html><head><title>x</title></head><body> </body></html>", "empty.html")
    assert caught.value.found == "a web page without visible text"


# ---- whatever a page holds, a record or a DocumentError

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PAGE = saved_page(TEXT, "windows-1252")
MARKUP = [
    "<p>",
    "</p>",
    "<br>",
    "<br/>",
    "<td>",
    "</tr>",
    "<table>",
    "<pre>",
    "</pre>",
    "<script>",
    "</script>",
    "<![if !supportLists]>",
    "<![endif]>",
    "<![foo[",
    "]]>",
    "<!--",
    "-->",
    "<?xml x?>",
    "<!x>",
    "&nbsp;",
    "&#0;",
    "&#xD800;",
    "&bogus;",
    "<a href='",
    "<meta charset=utf-16>",
    "<meta charset=klingon>",
    "\x00",
    "<head>",
    "</head>",
    "<title>",
    "<",
    ">",
    "&",
]


@st.composite
def mangled_pages(draw: st.DrawFn) -> bytes:
    data = bytearray(PAGE)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "cut", "delete"]))
        if action == "insert":
            data[at:at] = draw(st.one_of(st.sampled_from(MARKUP).map(str.encode), st.binary(max_size=20)))
        elif action == "cut":
            del data[at:]
        else:
            del data[at : at + draw(st.integers(1, 200))]
    return bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled_pages())
def test_mangled_pages_parse_or_raise_document_error(page: bytes) -> None:
    try:
        document = parse_text(page, "fuzz.html")
    except DocumentError as error:
        assert error.path == "fuzz.html" and (error.line is None or error.line >= 1)
        return
    assert document.questions


def test_charset_labels_read_as_browsers_read_them() -> None:
    # a page declaring UTF-16 in ASCII bytes is UTF-8; one declaring latin-1 is Windows-1252
    (record,) = parse_text(saved_page(TEXT, "utf-16", meta="charset", codec="utf-8"), "p.html").questions
    assert record.source.encoding == "utf-8"
    (record,) = parse_text(saved_page(TEXT, "latin1", meta="charset", codec="cp1252"), "p.html").questions
    assert record.answer is not None and record.source.encoding == "cp1252"
    assert any("“Pasoplichting”" in paragraph.text for paragraph in record.answer.text.paragraphs)
