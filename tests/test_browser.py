"""What a person sees in a real headless Chromium: the home page, a question and an agency page
from the live server over the seeds, read from the DOM the browser built. Screenshots of each
page kind are left in the test's temporary folder for a look."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from conftest import LiveServer

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Browser:
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no Chromium at {CHROMIUM}: install the Debian package `chromium`")
    return Browser(tmp_path_factory.mktemp("chromium"))


class Browser:
    def __init__(self, folder: Path):
        self.folder = folder

    def run(self, *arguments: str) -> str:
        result = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.folder / 'profile'}", *arguments],
            capture_output=True,
            timeout=90,
            check=True,
        )
        return result.stdout.decode("utf-8")

    def dom(self, url: str) -> Dom:
        dom = Dom()
        dom.feed(self.run("--dump-dom", url))
        return dom

    def screenshot(self, url: str, name: str) -> Path:
        path = self.folder / f"{name}.png"
        self.run("--window-size=1280,1600", f"--screenshot={path}", url)
        assert path.stat().st_size > 10_000  # a rendered page, not an empty canvas
        return path


class Dom(HTMLParser):
    """The visible text of headings and links, as the browser serialized its DOM."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h1: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.text = ""
        self._open: list[tuple[str, dict, str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("h1", "a"):
            self._open.append((tag, dict(attrs), ""))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            _, attrs, text = self._open.pop()
            text = " ".join(text.split())
            if tag == "h1":
                self.h1.append(text)
            else:
                self.links.append((attrs.get("href") or "", text))
            if self._open:
                outer = self._open[-1]
                self._open[-1] = (outer[0], outer[1], outer[2] + text)

    def handle_data(self, data: str) -> None:
        self.text += data
        if self._open:
            tag, attrs, text = self._open[-1]
            self._open[-1] = (tag, attrs, text + data)


def test_home_page(browser: Browser, live_server: LiveServer) -> None:
    dom = browser.dom(live_server.url)
    hrefs = dict(dom.links)
    assert "/sparql" in hrefs and "/dumps/" in hrefs and "/list/questions" in hrefs
    assert "/doc/question/5-8913" in hrefs  # among the latest questions
    browser.screenshot(live_server.url, "home")


def test_question_page(browser: Browser, live_server: LiveServer) -> None:
    url = live_server.url + "doc/question/5-8913"
    dom = browser.dom(url)
    assert dom.h1 == ["Federale overheidsdiensten - Communicatie met burgers - Gebruik van sociale media"]
    assert ("/doc/person/martine-taelman", "Martine Taelman") in dom.links
    assert "1) Maken de FOD's die onder uw bevoegdheid vallen gebruik van sociale media" in dom.text
    browser.screenshot(url, "question")


def test_agency_page(browser: Browser, live_server: LiveServer) -> None:
    listing = Dom()
    listing.feed(httpx.get(live_server.url + "list/agencies", timeout=30).text)
    agencies = [(href, text) for href, text in listing.links if href.startswith("/doc/agency/")]
    if not agencies and importlib.util.find_spec("kg.rdf.social") is None:
        pytest.skip("the graph has no agencies: kg.rdf.social (agency extraction) is not there")
    assert agencies, "the seeds name agencies; the list shows none"
    href, name = agencies[0]
    url = live_server.url + href.lstrip("/")
    dom = browser.dom(url)
    assert dom.h1 == [name]
    accounts = [link for link in dom.links if link[0].startswith("/doc/account/")]
    assert accounts, "an agency page lists its accounts"
    browser.screenshot(url, "agency")
