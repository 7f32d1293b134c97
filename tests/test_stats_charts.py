"""The answer-time charts over HTTP against the real server, on the generated answer-time corpus:
each chart's CSV holds the build's figures (checked against counts made here from the corpus),
its SVG and PNG are real images drawn from them, the /stats page shows each with a description,
a table of the same numbers and its downloads; and headless Chromium draws them."""

from __future__ import annotations

import csv
import io
import struct
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from answer_corpus import ADDRESSEES, AS_OF, ASKED, CASES, write_corpus
from conftest import LiveServer, start_server, stop_server
from test_browser import CHROMIUM, Browser

from kg.build.pipeline import build

CHARTS = ("minister-days", "government-on-time", "backlog")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    docs = write_corpus(tmp_path_factory.mktemp("charts-docs"))
    out = tmp_path_factory.mktemp("charts-out")
    assert not build([docs], out, as_of=AS_OF).failed
    live = start_server(out)
    yield live
    stop_server(live)


def rows(server: LiveServer, name: str, language: str = "en") -> list[dict[str, str]]:
    response = httpx.get(server.url + f"stats/charts/{name}.csv", params={"lang": language}, timeout=60)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def test_the_minister_chart_holds_each_ministers_quartiles(server: LiveServer) -> None:
    found = {row["minister"]: row for row in rows(server, "minister-days")}
    for key, (_, person) in ADDRESSEES.items():
        days = sorted((c.answered - ASKED).days for c in CASES if c.addressee == key and c.answered)
        name = " ".join(part.capitalize() for part in person.split("-"))
        row = found[name]
        assert int(row["answered"]) == len(days)
        rank = {share: days[max(-(-len(days) * share // 100), 1) - 1] for share in (25, 75, 90)}
        assert float(row["p25"]) == rank[25] and float(row["p75"]) == rank[75] and float(row["p90"]) == rank[90]


def test_the_government_chart_holds_the_on_time_share_per_year(server: LiveServer) -> None:
    dated = [c for c in CASES if c.answered and c.deadline]
    on_time = sum(c.answered <= c.deadline for c in dated)  # type: ignore[operator]
    (row,) = rows(server, "government-on-time")
    assert (row["year"], int(row["answers"])) == ("2013", len(dated))
    assert float(row["on_time_share"]) == pytest.approx(on_time / len(dated), abs=1e-4)


def test_the_backlog_chart_holds_every_month_from_the_first_question(server: LiveServer) -> None:
    found = rows(server, "backlog")
    assert [row["month"] for row in found] == ["2013-05", "2013-06", "2013-07", "2013-08", "2013-09"]
    end = AS_OF  # the last month is counted on the reference date
    still_open = [
        c for c in CASES if not (c.answered and c.answered <= end) and "clôturé" not in " ".join(c.chronology)
    ]
    assert int(found[-1]["open"]) == len(still_open)
    late = [c for c in still_open if c.deadline is not None and c.deadline < end]
    assert int(found[-1]["open_past_deadline"]) == len(late)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _png_colours(data: bytes) -> int:
    """How many distinct byte values the image's pixel rows hold: a blank image has one or two."""
    chunks, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        if kind == b"IDAT":
            chunks.append(data[offset + 8 : offset + 8 + length])
        offset += 12 + length
    return len(set(zlib.decompress(b"".join(chunks))))


@pytest.mark.parametrize("name", CHARTS)
def test_each_chart_is_an_svg_and_a_png_with_its_title(server: LiveServer, name: str) -> None:
    svg = httpx.get(server.url + f"stats/charts/{name}.svg", params={"lang": "nl"}, timeout=60)
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    root = ET.fromstring(svg.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    title = {"minister-days": "per minister", "government-on-time": "per regering", "backlog": "door de tijd"}[name]
    assert title in texts  # the Dutch title, drawn
    assert "<script" not in svg.text and "http://" not in svg.text.replace("http://www.w3.org/", "")
    png = httpx.get(server.url + f"stats/charts/{name}.png", timeout=60)
    assert png.headers["content-type"] == "image/png"
    width, height = _png_size(png.content)
    assert width > 400 and height > 80
    assert _png_colours(png.content) > 10  # drawn, not blank


def test_unknown_charts_and_formats_are_404s_that_say_what_exists(server: LiveServer) -> None:
    missing = httpx.get(server.url + "stats/charts/pie.svg")
    assert missing.status_code == 404 and "backlog" in missing.text
    wrong = httpx.get(server.url + "stats/charts/backlog.gif")
    assert wrong.status_code == 404 and "svg" in wrong.text


def test_the_stats_page_shows_each_chart_with_a_table_and_downloads(server: LiveServer) -> None:
    html = httpx.get(server.url + "stats", params={"lang": "fr"}, timeout=60).text
    for name in CHARTS:
        assert f'<img src="/stats/charts/{name}.svg?lang=fr" alt="' in html
        assert f'href="/stats/charts/{name}.png?lang=fr"' in html and f'href="/stats/charts/{name}.csv?lang=fr"' in html
    assert html.count("<details>") >= len(CHARTS) and "Les chiffres de ce graphique" in html
    assert "Questions ouvertes au fil du temps" in html


@pytest.mark.browser
def test_chromium_draws_each_chart(server: LiveServer, tmp_path: Path) -> None:
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no Chromium at {CHROMIUM}: install the Debian package `chromium`")
    browser = Browser(tmp_path)
    for name in CHARTS:
        shot = browser.screenshot(server.url + f"stats/charts/{name}.svg", f"chart-{name}")
        assert _png_colours(shot.read_bytes()) > 10
    browser.screenshot(server.url + "stats?lang=nl", "stats-page")
    dom = browser.dom(server.url + "stats?lang=nl")
    assert "Openstaande vragen door de tijd" in dom.text
