"""/stats over HTTP against the real server: the page (tables, chart, overdue list, sort links, no
inline script or style), its JSON and CSV twins, bad parameters, and the example queries about
answer times run through the real SPARQL endpoint; on the generated corpus and on the seeds."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from html.parser import HTMLParser

import httpx
import pytest
from answer_corpus import AS_OF, CASES, HOSTILE_TITLE, write_corpus
from conftest import LiveServer, start_server, stop_server

from kg.build.pipeline import build
from kg.paths import QUERIES_DIR


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    docs = write_corpus(tmp_path_factory.mktemp("stats-docs"))
    out = tmp_path_factory.mktemp("stats-out")
    assert not build([docs], out, as_of=AS_OF).failed
    live = start_server(out)
    yield live
    stop_server(live)


class Page(HTMLParser):
    """The parts of a page the tests look at: table rows (cell texts), chart bars, scripts, styles,
    alternate links (type -> address) and checkboxes (name, value, checked)."""

    def __init__(self, html: str):
        super().__init__()
        self.rows: list[list[str]] = []
        self.bars = 0
        self.scripts = 0
        self.styled = 0
        self.alternates: list[str] = []
        self.alternate_hrefs: dict[str, str] = {}
        self.boxes: list[tuple[str, str, bool]] = []
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "rect" and found.get("class") == "bar":
            self.bars += 1
        elif tag in ("script", "style"):
            self.scripts += 1
        elif tag == "link" and found.get("rel") == "alternate":
            self.alternates.append(found.get("type") or "")
            self.alternate_hrefs[found.get("type") or ""] = found.get("href") or ""
        elif tag == "input" and found.get("type") == "checkbox":
            self.boxes.append((found.get("name") or "", found.get("value") or "", "checked" in found))
        if "style" in found or any(name.startswith("on") for name in found):
            self.styled += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def row_of(page: Page, first: str) -> list[str]:
    return next(row for row in page.rows if row and row[0] == first)


def test_the_page_shows_the_figures_a_chart_and_the_overdue_questions(server: LiveServer) -> None:
    response = httpx.get(server.url + "stats")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = Page(response.text)
    assert page.scripts == 0 and page.styled == 0  # the CSP refuses inline script and style
    assert row_of(page, "Koen Geens") == ["Koen Geens", "6", "2", "33.3%", "78.5", "128", "54", "89", "50.0%", "1"]
    assert row_of(page, "Elio Di Rupo")[8] == "–"  # no answer with a known deadline: unknown, not 0%
    assert page.bars == 2
    assert row_of(page, "open past the deadline") == ["open past the deadline", "1"]
    assert row_of(page, "not loaded") == ["not loaded", "2"]
    overdue = [row for row in page.rows if row and "5-9004" in row[0]]
    assert overdue and overdue[0][2] == str((AS_OF - CASES[3].deadline).days)  # type: ignore[operator]
    assert {"application/json", "text/csv"} <= set(page.alternates)
    french = httpx.get(server.url + "stats", params={"lang": "fr"})  # the French title is the label shown
    assert any(HOSTILE_TITLE in cell for row in Page(french.text).rows for cell in row)  # shown as text
    assert HOSTILE_TITLE not in french.text and "&lt;script&gt;" in french.text and Page(french.text).scripts == 0
    assert 'rel="alternate"' in response.headers["link"]


def test_each_grouping_has_its_table(server: LiveServer) -> None:
    for grouping, first in (
        ("year", "2013"),
        ("month", "2013-05"),
        ("legislature", None),
        ("party", "Open Vld"),
        ("asker", "Martine Taelman"),
        ("government", None),
        ("office", None),
    ):
        page = Page(httpx.get(server.url + "stats", params={"grouping": grouping}).text)
        body = [row for row in page.rows if len(row) == 10 and row[1].isdigit()]
        assert body, grouping
        if first is not None:
            assert body[0][0] == first and body[0][1] == str(len(CASES)), grouping


def test_the_json_twin_holds_the_same_figures_and_nulls_for_unknowns(server: LiveServer) -> None:
    data = httpx.get(server.url + "stats.json", params={"grouping": "minister"}).json()
    assert data["reference_date"] == AS_OF.isoformat()
    by_label = {group["label"]: group for group in data["groups"]}
    assert by_label["Koen Geens"] | {"group": None} == {
        "group": None,
        "label": "Koen Geens",
        "questions": 6,
        "answered": 2,
        "answered_share": 0.3333,
        "median_days": 78.5,
        "p90_days": 128.0,
        "median_working_days": 54.0,
        "p90_working_days": 89.0,
        "on_time_share": 0.5,
        "open_past_deadline": 1,
    }
    assert by_label["Elio Di Rupo"]["on_time_share"] is None
    expected = {case.status for case in CASES}
    assert {name for name, n in data["statuses"].items() if n} == expected | {"NotLoaded"}
    assert data["statuses"]["NotLoaded"] == 2
    assert [item["identifier"] for item in data["overdue"]] == ["5-9004"]


def test_sort_links_order_the_rows(server: LiveServer) -> None:
    ascending = httpx.get(
        server.url + "stats.json", params={"grouping": "minister", "sort": "median_days", "order": "asc"}
    ).json()
    assert [g["label"] for g in ascending["groups"]] == ["Elio Di Rupo", "Koen Geens"]
    descending = httpx.get(server.url + "stats.json", params={"grouping": "minister", "sort": "median_days"}).json()
    assert [g["label"] for g in descending["groups"]] == ["Koen Geens", "Elio Di Rupo"]
    # a group without the figure sorted by comes last, whichever the order
    for order in ("asc", "desc"):
        rows = httpx.get(
            server.url + "stats.json", params={"grouping": "minister", "sort": "on_time_share", "order": order}
        ).json()["groups"]
        assert rows[-1]["label"] == "Elio Di Rupo"


def test_the_csv_twins(server: LiveServer) -> None:
    response = httpx.get(server.url + "stats.csv", params={"grouping": "minister"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["label"] for row in rows] == ["Koen Geens", "Elio Di Rupo"]
    assert rows[1]["on_time_share"] == ""  # unknown: empty, not 0
    assert rows[0]["questions"] == "6"
    overdue = list(csv.DictReader(io.StringIO(httpx.get(server.url + "stats/overdue.csv").text)))
    assert [(row["identifier"], row["deadline"], row["days_overdue"]) for row in overdue] == [
        ("5-9004", "2013-05-31", str((AS_OF - CASES[3].deadline).days))
    ]  # type: ignore[operator]


@pytest.mark.parametrize("params", [{"grouping": "<script>alert(1)</script>"}, {"sort": "nope"}, {"order": "sideways"}])
def test_bad_parameters_are_a_400_with_a_message(server: LiveServer, params: dict[str, str]) -> None:
    for path in ("stats", "stats.json", "stats.csv"):
        response = httpx.get(server.url + path, params=params)
        assert response.status_code == 400, path
        assert response.headers["content-type"].startswith("text/plain")
        assert "must be one of" in response.text


def _sparql(server: LiveServer, name: str) -> list[dict[str, str]]:
    query = (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
    assert query.startswith("# ")
    response = httpx.get(
        server.url + "sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def test_the_example_queries_about_answer_times(server: LiveServer) -> None:
    ministers = _sparql(server, "answer-times-per-minister")
    assert [(row["name"], row["questions"]) for row in ministers] == [("Koen Geens", "6"), ("Elio Di Rupo", "2")]
    assert float(ministers[0]["onTimeShare"]) == 0.5 and "onTimeShare" not in ministers[1]
    overdue = _sparql(server, "overdue-questions")
    assert [(row["number"], row["reminders"], row["daysOverdue"]) for row in overdue] == [
        ("5-9004", "2", str((AS_OF - CASES[3].deadline).days))
    ]  # type: ignore[operator]
    statuses = {row["status"].rsplit("#", 1)[1]: int(row["questions"]) for row in _sparql(server, "answer-statuses")}
    assert statuses["NotLoaded"] == 2 and statuses["OpenDeadlineUnknown"] == 2
    assert sum(statuses.values()) == len(CASES) + 2
    years = _sparql(server, "answer-times-per-year")
    assert [(row["year"], row["questions"], float(row["medianDays"])) for row in years] == [("2013", "8", 33.0)]


def test_the_seeds_page(live_server: LiveServer) -> None:
    """Legislature 5 prints no deadlines: both seed questions are answered with the deadline
    unknown, none is overdue, and their 17 siblings without a document are not loaded."""
    data = httpx.get(live_server.url + "stats.json").json()
    assert data["statuses"]["AnsweredDeadlineUnknown"] == 2
    assert data["statuses"]["NotLoaded"] == 17
    assert data["overdue"] == []
    assert sorted(g["label"] for g in data["groups"]) == ["Maggie De Block", "Melchior Wathelet"]
    assert all(g["on_time_share"] is None for g in data["groups"])
    page = httpx.get(live_server.url + "stats", params={"lang": "nl"})
    assert page.status_code == 200 and "Antwoordtijden" in page.text


@pytest.mark.parametrize(
    ("path", "grouping"),
    [
        ("doc/person/koen-geens", "Minister"),
        ("doc/office/di-rupo-minister-finance", "Office"),
        ("doc/party/open-vld", "Party of the asker"),
        ("doc/person/martine-taelman", "Asker"),
    ],
)
def test_each_group_page_shows_its_answer_times_as_stats_does(server: LiveServer, path: str, grouping: str) -> None:
    page = Page(httpx.get(server.url + path, params={"lang": "en"}, timeout=30).text)
    row = next(row for row in page.rows if row and row[0] == grouping)
    stats = {
        "Minister": "Koen Geens",
        "Office": None,
        "Party of the asker": "Open Vld",
        "Asker": "Martine Taelman",
    }[grouping]
    key = {"Minister": "minister", "Office": "office", "Party of the asker": "party", "Asker": "asker"}[grouping]
    table = Page(httpx.get(server.url + "stats", params={"grouping": key, "lang": "en"}, timeout=30).text)
    expected = row_of(table, stats) if stats else next(r for r in table.rows if r and "Finan" in r[0])
    assert row[1:] == expected[1:]  # the same figures, unknown ones as unknown


def test_a_page_of_something_without_figures_has_no_answer_times(server: LiveServer) -> None:
    page = httpx.get(server.url + "doc/question/5-9001", params={"lang": "en"}, timeout=30).text
    assert 'id="answer-times"' not in page
