"""kg.fetch's decisions, one function at a time: what counts as a missing question, how a page's
charset is read, HTML to text, backoff and Retry-After, spacing, what a re-run asks again, WARC
repair, addresses, and the layer rule (kg.fetch imports nothing above the parser)."""

from __future__ import annotations

import ast
import gzip
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from random import Random

import pytest
from senate_site import site_documents, to_html

from kg.fetch.addresses import Addresses, Target, targets
from kg.fetch.archive import Exchange, WarcArchive, complete_length, repair_open_archives
from kg.fetch.charset import decode_body
from kg.fetch.markup import html_to_text, is_html
from kg.fetch.pages import Kind, classify, question_facts
from kg.fetch.polite import Robots, Throttle, backoff_delay, parse_retry_after
from kg.fetch.state import NumberState
from kg.fetch.walk import FetchOptions, plan

WEB = Target(5, 8913, "web", "nl")
SEED = (Path(__file__).resolve().parents[1] / "seeds" / "5-8913-nl.txt").read_text(encoding="utf-8")


# -- what counts as missing ------------------------------------------------------------------


def test_a_404_or_410_is_a_missing_number() -> None:
    assert classify(404, "", WEB).kind is Kind.MISSING
    assert classify(410, "Gone", WEB).kind is Kind.MISSING


def test_the_question_asked_for_is_a_question() -> None:
    assert classify(200, SEED, WEB).kind is Kind.QUESTION


def test_the_empty_question_template_is_a_missing_number() -> None:
    page = "Tweetalige printerversie Eentalige printerversie\n\nSchriftelijke vraag nr. \n"
    verdict = classify(200, page, WEB)
    assert verdict.kind is Kind.MISSING and "no number" in verdict.reason


def test_the_heading_alone_with_the_number_is_a_missing_number() -> None:
    verdict = classify(200, "Question écrite n° 5-8913\n\n\n", Target(5, 8913, "web", "fr"))
    assert verdict.kind is Kind.MISSING and "5-8913" in verdict.reason


def test_an_error_page_or_login_wall_is_not_a_question() -> None:
    verdict = classify(200, "Aanmelden\n\nGebruikersnaam\nWachtwoord\n", WEB)
    assert verdict.kind is Kind.NOT_QUESTION and "Aanmelden" in verdict.reason


def test_another_questions_page_is_not_a_question() -> None:
    verdict = classify(200, SEED, Target(5, 8914, "web", "nl"))
    assert verdict.kind is Kind.NOT_QUESTION and "5-8913" in verdict.reason


def test_a_phrase_the_operator_names_marks_a_missing_number() -> None:
    page = "Schriftelijke vraag nr. 5-8913\n\nDeze vraag werd ingetrokken.\n"
    assert classify(200, page, WEB).kind is Kind.QUESTION
    assert classify(200, page, WEB, ("werd ingetrokken",)).kind is Kind.MISSING


def test_a_server_error_is_a_failure_not_a_missing_number() -> None:
    assert classify(500, "", WEB).kind is Kind.FAILED


# -- charsets ---------------------------------------------------------------------------------


def test_utf8_bytes_labelled_latin1_are_read_as_utf8_with_a_note() -> None:
    decoded = decode_body("Question écrite n° 5-1".encode(), "text/html; charset=ISO-8859-1")
    assert decoded.text == "Question écrite n° 5-1" and decoded.charset == "utf-8"
    assert "labelled cp1252" in decoded.note


def test_windows1252_bytes_labelled_utf8_are_read_as_windows1252() -> None:
    decoded = decode_body("Réponse reçue – 5".encode("cp1252"), "text/html; charset=utf-8")
    assert decoded.text == "Réponse reçue – 5" and decoded.charset == "cp1252" and decoded.note


def test_the_pages_meta_charset_is_used_without_a_header_charset() -> None:
    body = '<meta charset="iso-8859-15"><p>5 €</p>'.encode("iso-8859-15")
    decoded = decode_body(body, "text/html")
    assert decoded.charset == "iso8859-15" and "5 €" in decoded.text and not decoded.note


def test_a_byte_order_mark_wins() -> None:
    assert decode_body("é".encode("utf-16"), "text/html; charset=cp1252").text == "é"


def test_html_is_told_by_its_media_type_or_its_start() -> None:
    assert is_html("text/html; charset=utf-8", b"x")
    assert not is_html("text/plain", b"<html>")
    assert is_html(None, b"  <!DOCTYPE html><html>")


# -- HTML to text -----------------------------------------------------------------------------


def test_html_to_text_drops_head_and_scripts_and_breaks_lines() -> None:
    page = (
        "<html><head><title>T</title><script>x = '<p>no</p>'</script></head><body>"
        "<p>one<br>\n  two &amp; <b>three</b></p><p>a&nbsp;b</p><table><tr><td>c1</td><td>c2</td></tr>"
        "</table><pre>  kept\n  as is</pre></body></html>"
    )
    assert html_to_text(page) == "one\ntwo & three\n\na\xa0b\n\nc1\nc2\n\n  kept\n  as is\n"


def test_the_test_sites_pages_come_back_as_the_exact_documents() -> None:
    documents = site_documents(8, seed=3)
    assert len(documents) > 20
    for name, text in documents.items():
        assert html_to_text(to_html(text, "nl")) == text, name


def test_question_facts_read_the_date_and_whether_the_question_is_final() -> None:
    facts = question_facts(SEED, "5-8913-nl.txt")
    assert facts.sent == date(2013, 4, 30) and facts.final  # answered on 6 September 2013
    opened = SEED.replace("6/9/2013Antwoord\n", "").split("Antwoord ontvangen op")[0]
    facts = question_facts(opened, "open.txt")
    assert facts.sent == date(2013, 4, 30) and not facts.final
    broken = question_facts("Schriftelijke vraag nr. 5-1\n\nzomaar\n", "x.txt")
    assert broken.sent is None and not broken.final and broken.error


# -- politeness -------------------------------------------------------------------------------


def test_backoff_doubles_with_jitter_and_stops_at_the_cap() -> None:
    rng = Random(1)
    for attempt, ceiling in ((1, 2.0), (2, 4.0), (3, 8.0), (4, 16.0), (8, 60.0)):
        delays = [backoff_delay(attempt, 2.0, 60.0, rng) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert max(delays) - min(delays) > ceiling / 4  # jittered, not one value


def test_retry_after_in_seconds_or_as_a_date() -> None:
    now = datetime(2024, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120
    assert parse_retry_after("Mon, 01 Jan 2024 12:00:30 GMT", now) == 30
    assert parse_retry_after("Mon, 01 Jan 2024 11:00:00 GMT", now) == 0
    assert parse_retry_after("soon", now) is None and parse_retry_after(None, now) is None


def test_throttle_spaces_request_starts() -> None:
    clock = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    throttle = Throttle(1.0, clock=lambda: clock[0], sleep=sleep)
    throttle.wait()
    clock[0] += 0.25
    throttle.wait()
    throttle.wait(at_least=3.0)
    assert slept == [0.75, 3.0]


def test_robots_rules_apply_to_the_query_part_of_the_senates_addresses() -> None:
    robots = Robots("User-agent: *\nDisallow: /www/?MIval=/Vragen/SVPrint\nCrawl-delay: 4\n", "kg-fetch")
    base = "https://www.senate.be/www/?MIval=/Vragen/"
    assert robots.allows(base + "SchriftelijkeVraag&LEG=5&NR=1&LANG=nl")
    assert not robots.allows(base + "SVPrint&LEG=5&NR=1&LANG=nl")
    assert not robots.allows(base + "SVPrintNLFR&LEG=5&NR=1&LANG=nl")
    assert robots.crawl_delay() == 4.0
    assert Robots.from_response(404, "", "kg-fetch").allows(base + "SVPrint")
    assert not Robots.from_response(403, "", "kg-fetch").allows(base + "SchriftelijkeVraag")
    assert not Robots.from_response(503, "", "kg-fetch").allows(base + "SchriftelijkeVraag")


# -- what a re-run asks again -----------------------------------------------------------------

NOW = datetime(2024, 6, 1, tzinfo=UTC)


def _known(
    kind: str, number: int = 10, *, final: bool = False, days_ago: int = 1, sent: str | None = None, run: str = "old"
) -> NumberState:
    return NumberState(5, number, kind, (NOW - timedelta(days=days_ago)).isoformat(), run, sent=sent, final=final)


@pytest.mark.parametrize(
    "known, resumed, highest, expected",
    [
        (None, None, 0, "fetch"),
        (_known("question", final=True), None, 10, "skip"),
        (_known("question", final=True, days_ago=40), None, 10, "revisit"),
        (_known("question", final=False), None, 10, "revisit"),
        (_known("question", final=False, run="cut"), "cut", 10, "skip"),
        (_known("failed", run="cut"), "cut", 10, "fetch"),
        (_known("missing", number=5), None, 10, "skip"),
        (_known("missing", number=12), None, 10, "fetch"),
        (_known("missing", number=5, days_ago=40), None, 10, "fetch"),
        (_known("question", sent="2012-01-01"), None, 10, "skip"),
        (_known("question", sent="2014-01-01"), None, 10, "revisit"),
    ],
)
def test_plan_asks_again_only_what_may_have_changed(
    known: NumberState | None, resumed: str | None, highest: int, expected: str
) -> None:
    options = FetchOptions(Path("x"), 5, "ops@example.org", since=date(2013, 1, 1))
    if known is not None and known.sent is None:
        options = FetchOptions(Path("x"), 5, "ops@example.org")
    assert plan(known, options, NOW, resumed, highest) == expected


# -- the archive ------------------------------------------------------------------------------


def _exchange(url: str, body: bytes) -> Exchange:
    return Exchange(
        url,
        "GET",
        [("User-Agent", "kg-fetch/test")],
        200,
        "OK",
        "HTTP/1.1",
        [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")],
        body,
        datetime(2024, 1, 1, tzinfo=UTC),
    )


def _responses(path: Path) -> list[tuple[str, bytes]]:
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as handle:
        return [
            (record.rec_headers.get_header("WARC-Target-URI"), record.content_stream().read())
            for record in ArchiveIterator(handle)
            if record.rec_type == "response"
        ]


def test_a_torn_warc_is_cut_back_to_its_whole_records(tmp_path: Path) -> None:
    archive = WarcArchive(tmp_path, "test", datetime(2024, 1, 1, tzinfo=UTC))
    archive.add(_exchange("http://a/1", b"one" * 100))
    archive.add(_exchange("http://a/2", b"two" * 100))
    open_file = tmp_path / (archive.name + ".open")
    whole = open_file.stat().st_size
    archive._handle.write(gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" + Random(0).randbytes(5000))[:700])
    archive._handle.close()  # a kill: the file stays .open, with half a record at its end
    assert complete_length(open_file) == whole
    repaired = repair_open_archives(tmp_path)
    assert repaired == [(archive.name, 700)]
    assert _responses(tmp_path / archive.name) == [("http://a/1", b"one" * 100), ("http://a/2", b"two" * 100)]


def test_an_archive_record_keeps_headers_and_body_as_received(tmp_path: Path) -> None:
    from warcio.archiveiterator import ArchiveIterator

    archive = WarcArchive(tmp_path, "test", datetime(2024, 1, 1, tzinfo=UTC))
    offset = archive.add(_exchange("http://a/1?x=1", b"<p>hi</p>"))
    archive.close()
    with open(tmp_path / archive.name, "rb") as handle:
        handle.seek(offset)
        record = next(iter(ArchiveIterator(handle)))
        assert record.rec_type == "response" and record.http_headers.get_statuscode() == "200"
        assert record.http_headers.get_header("Content-Type") == "text/html"
        assert record.http_headers.get_header("Transfer-Encoding") is None
        assert record.content_stream().read() == b"<p>hi</p>"
        assert record.rec_headers.get_header("WARC-Payload-Digest")


# -- addresses --------------------------------------------------------------------------------


def test_the_default_address_is_the_senates() -> None:
    assert Addresses().url(WEB) == "https://www.senate.be/www/?MIval=/Vragen/SchriftelijkeVraag&LEG=5&NR=8913&LANG=nl"
    assert (
        Addresses("https://mirror.example/", "{base}{legislature}/{number}.{lang}.html").url(WEB)
        == "https://mirror.example/5/8913.nl.html"
    )


def test_a_pattern_with_an_unknown_field_or_no_number_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown field"):
        Addresses(pattern="{base}{nummer}")
    with pytest.raises(ValueError, match="no {number}"):
        Addresses(pattern="{base}{legislature}")


def test_each_number_asks_its_pages_in_a_fixed_order_with_the_synth_file_names() -> None:
    names = [t.file_name for t in targets(5, 7, ("nl", "fr"), ("web", "print", "bilingual"))]
    assert names == ["5-7-nl.txt", "5-7-fr.txt", "5-7-nl-print.txt", "5-7-fr-print.txt", "5-7-nlfr-print.txt"]


# -- the layer rule ---------------------------------------------------------------------------


def test_kg_fetch_imports_nothing_above_the_parser() -> None:
    folder = Path(__file__).resolve().parents[1] / "kg" / "fetch"
    forbidden = (
        "kg.rdf",
        "kg.build.pipeline",
        "kg.store",
        "kg.stores",
        "kg.web",
        "kg.extract",
        "kg.build.pieces",
        "kg.build.lines",
        "fastapi",
        "pyoxigraph",
        "rdflib",
    )
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                assert not any(name == f or name.startswith(f + ".") for f in forbidden), (path.name, name)
