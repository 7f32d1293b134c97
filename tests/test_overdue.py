"""/stats/overdue over HTTP against the real server, on the generated answer-time corpus built at
its latest date (two questions open past their deadline, to two ministers): the list oldest
first, its filters (and their 400s), its CSV, and its Atom feed, read by a real feed reader
(feedparser) and checked against the rules of RFC 4287."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlparse

import feedparser
import httpx
import pytest
from answer_corpus import CASES, HOSTILE_NUMBER, HOSTILE_TITLE, LATEST, write_corpus
from conftest import LiveServer, start_server, stop_server
from test_browser import CHROMIUM, Browser
from test_stats_page import Page

from kg.build.pipeline import build
from kg.uris import DEFAULT_BASE
from kg.web.i18n import _STATS_UI

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
OVERDUE = sorted(
    (case for case in CASES if (case.latest or case.status) == "OpenPastDeadline"),
    key=lambda case: case.deadline,  # type: ignore[arg-type, return-value]
)
GEENS = DEFAULT_BASE + "id/person/koen-geens"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    docs = write_corpus(tmp_path_factory.mktemp("overdue-docs"))
    out = tmp_path_factory.mktemp("overdue-out")
    assert not build([docs], out).failed  # reference date: the latest date in the corpus
    live = start_server(out)
    yield live
    stop_server(live)


def body_rows(page: Page) -> list[list[str]]:
    return [row for row in page.rows if row and re.match(r"\d+-\d+", row[0])]


def test_the_list_holds_every_overdue_question_oldest_deadline_first(server: LiveServer) -> None:
    assert len(OVERDUE) == 2  # the corpus as this test expects it
    response = httpx.get(server.url + "stats/overdue", params={"lang": "en"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = Page(response.text)
    rows = body_rows(page)
    assert [row[0].split()[0] for row in rows] == [case.number for case in OVERDUE]
    assert [row[-1] for row in rows] == [str((LATEST - case.deadline).days) for case in OVERDUE]  # type: ignore[operator]
    assert rows[0][2] == "Koen Geens" and rows[1][2] == "Elio Di Rupo"
    assert page.scripts == 0 and HOSTILE_TITLE not in response.text  # the hostile title is escaped
    assert page.alternate_hrefs["application/atom+xml"].startswith("/stats/overdue.atom")


def test_a_filter_narrows_the_list_and_shows_the_values_with_counts(server: LiveServer) -> None:
    everything = Page(httpx.get(server.url + "stats/overdue").text)
    ministers = {value for name, value, _ in everything.boxes if name == "minister"}
    assert GEENS in ministers and len(ministers) == 2
    narrowed = Page(httpx.get(server.url + "stats/overdue", params={"minister": GEENS}).text)
    assert [row[0].split()[0] for row in body_rows(narrowed)] == [HOSTILE_NUMBER]
    assert (("minister", GEENS, True)) in narrowed.boxes
    # the other filters count among what this one leaves: only the office Geens holds
    assert len([1 for name, _, _ in narrowed.boxes if name == "office"]) == 1


def test_filters_combine_as_and_across_and_or_within(server: LiveServer) -> None:
    both = [box for box in Page(httpx.get(server.url + "stats/overdue").text).boxes if box[0] == "minister"]
    either = httpx.get(server.url + "stats/overdue", params=[("minister", value) for _, value, _ in both])
    assert len(body_rows(Page(either.text))) == 2
    offices = [box[1] for box in Page(httpx.get(server.url + "stats/overdue").text).boxes if box[0] == "office"]
    prime_office = next(office for office in offices if "prime" in office)
    none = httpx.get(server.url + "stats/overdue", params={"minister": GEENS, "office": prime_office})
    assert body_rows(Page(none.text)) == []


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"minister": "http://example.org/nobody"}, "minister"),
        ({"minister": "<script>"}, "minister"),
        ({"colour": "red"}, "colour"),
        ({"page": "0"}, "page"),
        ({"page": "x"}, "page"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(server: LiveServer, params: dict[str, str], says: str) -> None:
    for path in ("stats/overdue", "stats/overdue.atom", "stats/overdue.csv"):
        response = httpx.get(server.url + path, params=params)
        assert response.status_code == 400, path
        assert says in response.text and "<script>" not in response.headers["content-type"]


def test_the_csv_holds_the_filtered_list(server: LiveServer) -> None:
    text = httpx.get(server.url + "stats/overdue.csv", params={"minister": GEENS}).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(row["identifier"], row["minister"]) for row in rows] == [(HOSTILE_NUMBER, GEENS)]


def test_the_feed_is_atom_a_feed_reader_accepts(server: LiveServer) -> None:
    response = httpx.get(server.url + "stats/overdue.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    # newest deadline first: the question most recently past its deadline leads
    assert [entry.title.split(" · ")[0] for entry in parsed.entries] == [case.number for case in reversed(OVERDUE)]
    hostile = next(entry for entry in parsed.entries if entry.title.startswith(HOSTILE_NUMBER))
    assert HOSTILE_TITLE in hostile.title  # the markup is text in the feed, escaped in its XML


def test_the_feed_follows_the_rules_of_rfc_4287(server: LiveServer) -> None:
    root = ET.fromstring(httpx.get(server.url + "stats/overdue.atom").content)
    assert root.tag == ATOM + "feed"

    def one(element: ET.Element, name: str) -> ET.Element:
        found = element.findall(ATOM + name)
        assert len(found) == 1, name  # 4.1.1 / 4.1.2: exactly one id, title, updated
        return found[0]

    for name in ("id", "title", "updated"):
        one(root, name)
    assert RFC3339.match(one(root, "updated").text or "")
    assert root.findall(ATOM + "author") and root.find(ATOM + "author/" + ATOM + "name") is not None
    assert any(link.get("rel") == "self" for link in root.findall(ATOM + "link"))
    ids = []
    for entry in root.findall(ATOM + "entry"):
        for name in ("id", "title", "updated"):
            one(entry, name)
        assert RFC3339.match(one(entry, "updated").text or "")
        ids.append(one(entry, "id").text or "")
        alternates = [link for link in entry.findall(ATOM + "link") if link.get("rel") in (None, "alternate")]
        assert alternates and all(urlparse(link.get("href") or "").scheme == "http" for link in alternates)
    assert len(ids) == len(set(ids)) == len(OVERDUE) and all(urlparse(i).scheme for i in ids)  # absolute IRIs
    latest = max(entry.findtext(ATOM + "updated") or "" for entry in root.findall(ATOM + "entry"))
    assert one(root, "updated").text == latest


def test_the_feed_follows_the_filters(server: LiveServer) -> None:
    parsed = feedparser.parse(httpx.get(server.url + "stats/overdue.atom", params={"minister": GEENS}).content)
    assert [entry.title.split(" · ")[0] for entry in parsed.entries] == [HOSTILE_NUMBER]


def test_every_answer_time_word_is_translated() -> None:
    english = set(_STATS_UI["en"])
    # templates read words as `words.name`, which Jinja looks up as an attribute first
    assert not [key for key in english if hasattr(dict, key)]
    for language in ("nl", "fr"):
        assert set(_STATS_UI[language]) == english, sorted(english ^ set(_STATS_UI[language]))


@pytest.mark.browser
def test_chromium_shows_the_filtered_list(server: LiveServer, tmp_path: Path) -> None:
    """The filter form is a plain GET: the address it submits is what Chromium loads here."""
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no Chromium at {CHROMIUM}: install the Debian package `chromium`")
    browser = Browser(tmp_path)
    everything = browser.dom(server.url + "stats/overdue?lang=nl")
    numbers = [text for href, text in everything.links if href.startswith("/doc/question/")]
    assert numbers == [case.number for case in OVERDUE]
    url = server.url + "stats/overdue?" + urlencode({"minister": GEENS, "lang": "nl"})
    narrowed = browser.dom(url)
    assert [text for href, text in narrowed.links if href.startswith("/doc/question/")] == [HOSTILE_NUMBER]
    assert "Filters wissen" in narrowed.text  # the way back, in the reader's language
    browser.screenshot(url, "overdue-filtered")
