"""Each page kind in a real headless Chromium (driven by Playwright, using the system's
/usr/bin/chromium; nothing is downloaded): the key facts are in the text rendered above the fold,
the page's links answer, the language switch works and is kept when following a link, and no
console error. Screenshots go to $KG_SCREENSHOTS or the test's temporary folder."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from conftest import LiveServer

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api", reason="Python package playwright (test extra) not installed")

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 900}

# Text a reader sees without scrolling, as the browser laid it out.
ABOVE_THE_FOLD = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.height > 0 && box.bottom > 0 && box.top < window.innerHeight) out.push(node.textContent.trim());
  }
  return out.join(' ').replace(/\\s+/g, ' ');
}"""


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("KG_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no Chromium at {CHROMIUM}: install the Debian package `chromium`")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


class Visit:
    """One page in a fresh tab: its console errors, the text above the fold, a screenshot."""

    def __init__(self, browser: object, url: str, screenshots: Path, name: str):
        self.page = browser.new_page(viewport=VIEWPORT)  # type: ignore[attr-defined]
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url
        self.above = self.page.evaluate(ABOVE_THE_FOLD)
        self.page.screenshot(path=str(screenshots / f"{name}.png"))
        assert (screenshots / f"{name}.png").stat().st_size > 10_000

    def local_links(self) -> list[str]:
        hrefs = self.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        origin = urlsplit(self.page.url).netloc
        return sorted({h.split("#")[0] for h in hrefs if urlsplit(h).netloc == origin})


KINDS = [
    (
        "question",
        "doc/question/5-8913",
        {
            "nl": (
                "5-8913",
                "Gesteld door",
                "Martine Taelman",
                "Open Vld",
                "30 april 2013",
                "Melchior Wathelet",
                "beantwoord, termijn onbekend",
                "129 dagen",
                "Termijn",
                "onbekend",
                "Rappels",
            ),
            "fr": ("5-8913", "Posée par", "Martine Taelman", "30 avril 2013", "129 jours", "Délai", "inconnu"),
            "en": ("5-8913", "Asked by", "Martine Taelman", "30 April 2013", "129 days", "Deadline", "unknown"),
        },
    ),
    (
        "senator",
        "doc/person/martine-taelman",
        {
            "nl": ("Martine Taelman", "Open Vld", "Gestelde vragen", "5-8913", "5-8916"),
            "fr": ("Martine Taelman", "Questions posées", "5-8913"),
            "en": ("Martine Taelman", "Questions asked", "5-8916"),
        },
    ),
    (
        "minister",
        "doc/person/melchior-wathelet",
        {
            "nl": ("Melchior Wathelet", "cdH", "Beklede ambten", "staatssecretaris voor Staatshervorming"),
            "fr": ("Melchior Wathelet", "Fonctions exercées"),
            "en": ("Melchior Wathelet", "Offices held"),
        },
    ),
    (
        "agency",
        "doc/agency/fod-financien",
        {
            "nl": ("Federale Overheidsdienst Financiën", "SPF Finances", "FPS Finance", "0308.357.159", "Twitter"),
            "fr": ("Service public fédéral Finances", "Numéro d'entreprise", "0308.357.159"),
            "en": ("Federal Public Service Finance", "Enterprise number", "0308.357.159"),
        },
    ),
    (
        "questions",
        "list/questions",
        {
            "nl": ("Vragen", "Zittingsperiode", "Partij", "Stand", "5-8913", "5-8916", "niet geladen"),
            "fr": ("Questions", "Législature", "Parti", "État", "5-8913"),
            "en": ("Questions", "Legislature", "Party", "Status", "5-8916"),
        },
    ),
    (
        "home",
        "",
        {"nl": ("Schriftelijke vragen van de Senaat",), "fr": ("Questions écrites du Sénat",), "en": ("Senate",)},
    ),
]


@pytest.mark.parametrize("kind, path, facts", KINDS, ids=[k[0] for k in KINDS])
@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_key_facts_are_in_the_first_screen(
    browser: object, live_server: LiveServer, screenshots: Path, kind: str, path: str, facts: dict, language: str
) -> None:
    visit = Visit(browser, f"{live_server.url}{path}?lang={language}", screenshots, f"{kind}-{language}")
    try:
        for fact in facts[language]:
            assert fact in visit.above, (fact, visit.above[:2000])
        assert visit.page.evaluate("document.documentElement.lang") == language
        assert not visit.errors, visit.errors
    finally:
        visit.page.close()


@pytest.mark.parametrize("kind, path, facts", KINDS, ids=[k[0] for k in KINDS])
def test_every_local_link_answers(
    browser: object, live_server: LiveServer, screenshots: Path, kind: str, path: str, facts: dict
) -> None:
    visit = Visit(browser, live_server.url + path, screenshots, f"{kind}-links")
    try:
        links = visit.local_links()
        assert len(links) > 10
        with httpx.Client(timeout=30) as client:
            for href in links:
                response = client.get(href, headers={"Accept": "text/html"})
                assert response.status_code == 200, (href, response.status_code)
    finally:
        visit.page.close()


def test_language_switch_is_kept_from_page_to_page(browser: object, live_server: LiveServer, screenshots: Path) -> None:
    visit = Visit(browser, live_server.url + "doc/question/5-8913", screenshots, "switch-before")
    try:
        visit.page.click('p.languages a[hreflang="fr"]')
        visit.page.wait_for_load_state()
        assert visit.page.evaluate("document.documentElement.lang") == "fr"
        assert "Posée par" in visit.page.evaluate(ABOVE_THE_FOLD)
        visit.page.click('header.question-header a[href^="/doc/person/martine-taelman"]')
        visit.page.wait_for_load_state()
        assert visit.page.evaluate("document.documentElement.lang") == "fr"
        assert "Questions posées" in visit.page.evaluate(ABOVE_THE_FOLD)
        visit.page.click('nav a[href^="/list/questions"]')
        visit.page.wait_for_load_state()
        assert visit.page.evaluate("document.documentElement.lang") == "fr"
        visit.page.screenshot(path=str(screenshots / "switch-after.png"))
        assert not visit.errors, visit.errors
    finally:
        visit.page.close()


def test_texts_switch_language_and_marks_are_reachable_without_javascript(
    browser: object, live_server: LiveServer, screenshots: Path
) -> None:
    page = browser.new_context(java_script_enabled=False, viewport=VIEWPORT).new_page()  # type: ignore[attr-defined]
    try:
        page.goto(live_server.url + "doc/question/5-8913?lang=en")
        first = page.eval_on_selector('section.extracted a[href^="#ev-"]', "a => a.getAttribute('href')")
        page.click(f'section.extracted a[href="{first}"]')
        mark = page.locator(f"mark{first}")
        assert mark.is_visible()
        box = mark.bounding_box()
        assert box is not None and 0 <= box["y"] < VIEWPORT["height"]
        page.screenshot(path=str(screenshots / "question-mark.png"))
        assert re.search(r"\w", mark.inner_text())
    finally:
        page.close()
