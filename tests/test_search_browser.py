"""Search in a real headless Chromium: the header's search box sends the query to /search, a
facet narrows the hits, a hit opens its question; read from the DOM the browser built. A
screenshot of the results page is left in the test's temporary folder for a look."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from conftest import LiveServer, search_corpus, start_server, stop_server
from test_browser import Browser, Dom, browser  # noqa: F401  (the fixture, shared)

from kg.build.pipeline import build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    files = search_corpus()
    out = tmp_path_factory.mktemp("search-browser")
    assert not build(files, out).failed
    live = start_server(out)
    yield live
    stop_server(live)


class FormDom(Dom):
    """The DOM's links, and the forms with their text inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[dict, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        super().handle_starttag(tag, attrs)
        if tag == "form":
            self.forms.append((dict(attrs), []))
        elif tag == "input" and self.forms and dict(attrs).get("type") == "search":
            self.forms[-1][1].append(dict(attrs).get("name") or "")


def test_search_narrow_and_open_a_hit(browser: Browser, server: LiveServer) -> None:  # noqa: F811
    home = FormDom()
    home.feed(browser.run("--dump-dom", server.url))
    action, names = next(
        (attrs["action"], names) for attrs, names in home.forms if "site-search" in (attrs.get("class") or "")
    )  # inside <search>
    assert action == "/search" and names == ["q"]
    results_url = server.url + "search?" + urlencode({"q": "sociale media", "lang": "nl"})  # what the box sends
    results = browser.dom(results_url)
    hits = [href for href, _ in results.links if href.startswith("/doc/question/")]
    assert "/doc/question/5-8913" in hits and len(hits) >= 4
    browser.screenshot(results_url, "search")
    party = next(href for href, text in results.links if href.startswith("/search?") and "party=Ecolo" in href)
    narrowed = browser.dom(server.url + party.lstrip("/"))
    narrowed_hits = [(href, text) for href, text in narrowed.links if href.startswith("/doc/question/")]
    assert {href for href, _ in narrowed_hits} == {"/doc/question/5-12", "/doc/question/4-1234"}
    href, title = narrowed_hits[0]
    question = browser.dom(server.url + href.lstrip("/"))
    assert question.h1 == [title]
