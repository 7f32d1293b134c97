"""/stats: the answer-time figures the build put in the graph (`kg.rdf.cube`), as a page with a
chart, as JSON and as CSV, with the oldest questions open past their deadline (all of them, with
filters and a feed: kg.web.overdue).

Nothing is computed per request: the figures are the Data Cube's observations, read once per
state of the store with kg's own queries (no user input goes into them), then sorted and
rendered. A figure the graph does not hold (no answer yet, no known deadline) is shown as
unknown and is `null` in JSON and empty in CSV, never zero.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pyoxigraph import Literal, NamedNode

from kg.rdf.vocab import ANSWER_STATUSES
from kg.web.charts import page_charts
from kg.web.context import KgContext
from kg.web.describe import labels_and_types
from kg.web.i18n import format_date, stats_strings, ui_strings
from kg.web.pages import PageRenderer, TermView, description_cache, natural_key, reader_language

router = APIRouter()

GROUPINGS = ("minister", "office", "government", "legislature", "party", "asker", "year", "month")
# column key -> the Data Cube measure it shows (kg vocabulary local name)
COLUMNS = {
    "questions": "questionCount",
    "answered": "answeredCount",
    "answered_share": "answeredShare",
    "median_days": "medianDaysToAnswer",
    "p90_days": "p90DaysToAnswer",
    "median_working_days": "medianWorkingDaysToAnswer",
    "p90_working_days": "p90WorkingDaysToAnswer",
    "on_time_share": "onTimeShare",
    "open_past_deadline": "openPastDeadlineCount",
}
SHARES = ("answered_share", "on_time_share")
SORTS = ("questions", "group", *[key for key in COLUMNS if key != "questions"])
CHART_BARS = 25
OVERDUE_SHOWN = 20  # on the overview, oldest first; /stats/overdue and the JSON hold them all
STATUSES = ANSWER_STATUSES

QB = "http://purl.org/linked-data/cube#"
DCT = "http://purl.org/dc/terms/"


@dataclass(frozen=True)
class Overdue:
    question: str
    identifier: str
    deadline: date
    asked: date | None


@dataclass(frozen=True)
class StatsData:
    """What the graph holds of answer times, read once per state of the store."""

    reference_date: date | None
    figures: dict[str, dict[str, dict[str, float]]]  # grouping -> group (IRI or literal) -> column -> value
    statuses: dict[str, int]  # status local name -> questions
    overdue: list[Overdue]  # oldest deadline first


def stats_data(ctx: KgContext) -> StatsData:
    return ctx.derived("answer-time statistics", _read)


def _read(ctx: KgContext) -> StatsData:
    ns = ctx.minter.ns_iri
    columns = {ns + measure: key for key, measure in COLUMNS.items()}
    figures: dict[str, dict[str, dict[str, float]]] = {name: {} for name in GROUPINGS}
    rows = ctx.store.query(f"""
        SELECT ?grouping ?group ?measure ?value WHERE {{
          ?ds <{ns}statGrouping> ?grouping ; <{QB}structure> ?dsd .
          ?dsd <{QB}component>/<{QB}dimension> ?dim .
          ?dsd <{QB}component>/<{QB}measure> ?measure .
          ?obs <{QB}dataSet> ?ds ; ?dim ?group ; ?measure ?value .
        }}""")
    for row in rows:
        grouping, group, measure, value = row["grouping"], row["group"], row["measure"], row["value"]
        key = columns.get(measure.value) if isinstance(measure, NamedNode) else None
        if key is None or grouping.value not in figures or not isinstance(value, Literal):
            continue
        try:
            figures[grouping.value].setdefault(group.value, {})[key] = float(value.value)
        except ValueError:
            continue
    reference = None
    for row in ctx.store.query(f"SELECT (MAX(?d) AS ?day) WHERE {{ ?ds <{ns}referenceDate> ?d }}"):
        if isinstance(row["day"], Literal):
            reference = _date(row["day"].value)
    statuses = {status: 0 for status in STATUSES}
    for row in ctx.store.query(f"SELECT ?s (COUNT(?q) AS ?n) WHERE {{ ?q <{ns}answerStatus> ?s }} GROUP BY ?s"):
        name = row["s"].value.removeprefix(ns)
        if name in statuses:
            statuses[name] = int(row["n"].value)
    overdue = []
    for row in ctx.store.query(f"""
            SELECT ?q ?id ?deadline ?asked WHERE {{
              ?q <{ns}answerStatus> <{ns}OpenPastDeadline> ; <{ns}answerDeadline> ?deadline .
              OPTIONAL {{ ?q <{DCT}identifier> ?id }} OPTIONAL {{ ?q <{DCT}dateSubmitted> ?asked }}
            }}"""):
        deadline = _date(row["deadline"].value)
        if deadline is None:
            continue
        identifier = row["id"].value if row["id"] is not None else row["q"].value.rsplit("/", 1)[-1]
        overdue.append(
            Overdue(
                row["q"].value, identifier, deadline, _date(row["asked"].value) if row["asked"] is not None else None
            )
        )
    overdue.sort(key=lambda item: (item.deadline, natural_key(item.identifier)))
    return StatsData(reference, figures, statuses, overdue)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class BadRequest(Exception):
    pass


def _choice(request: Request, name: str, allowed: tuple[str, ...], default: str) -> str:
    value = request.query_params.get(name, default)
    if value not in allowed:
        raise BadRequest(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


@dataclass(frozen=True)
class Query:
    grouping: str
    sort: str
    order: str
    language: str

    @classmethod
    def of(cls, request: Request) -> Query:
        grouping = _choice(request, "grouping", GROUPINGS, "minister")
        sort = _choice(request, "sort", SORTS, "questions")
        order = _choice(request, "order", ("desc", "asc"), "asc" if sort == "group" else "desc")
        return cls(grouping, sort, order, reader_language(request))

    def href(self, path: str = "/stats", **changes: str) -> str:
        params = {"grouping": self.grouping, "sort": self.sort, "order": self.order, "lang": self.language, **changes}
        return path + "?" + urlencode(params)


def _rows(ctx: KgContext, data: StatsData, query: Query, renderer: PageRenderer) -> list[dict]:
    """The groups of the chosen grouping, labelled in the reader's language and sorted; a group
    without a value for the sort column comes last whichever the order."""
    cells = data.figures[query.grouping]
    iris = [NamedNode(group) for group in cells if group.startswith(("http://", "https://"))]
    for triple in labels_and_types(ctx.store, iris, description_cache(ctx)):
        renderer.add_label(triple)
    rows: list[dict[str, Any]] = []
    for group, values in cells.items():
        term = renderer.term(NamedNode(group)) if group.startswith(("http://", "https://")) else TermView(group)
        rows.append({"group": group, "term": term, "label": term.text, **{key: values.get(key) for key in COLUMNS}})
    rows.sort(key=lambda row: natural_key(row["label"]))
    if query.sort == "group":
        rows.sort(key=lambda row: natural_key(row["label"]), reverse=query.order == "desc")
    else:
        known = [row for row in rows if row[query.sort] is not None]
        known.sort(key=lambda row: row[query.sort], reverse=query.order == "desc")
        rows = known + [row for row in rows if row[query.sort] is None]
    return rows


def _chart(rows: list[dict]) -> dict:
    """Bars of median days to answer, for the first groups of the table, drawn as SVG by the
    template from these numbers (no script: the page's CSP allows none)."""
    bars = [row for row in rows if row["median_days"] is not None][:CHART_BARS]
    top = max((max(row["median_days"], row["p90_days"] or 0) for row in bars), default=0) or 1
    width, left, height = 640, 220, 20
    return {
        "width": width + left + 60,
        "height": len(bars) * (height + 6) + 30,
        "left": left,
        "bars": [
            {
                "y": 20 + i * (height + 6),
                "height": height,
                "label": row["label"],
                "median": row["median_days"],
                "p90": row["p90_days"],
                "w": round(width * row["median_days"] / top, 1),
                "p90_x": left + round(width * (row["p90_days"] or 0) / top, 1),
            }
            for i, row in enumerate(bars)
        ],
    }


def _json_value(value: float | None, key: str) -> float | int | None:
    if value is None:
        return None
    return value if key in SHARES or "median" in key or "p90" in key else int(value)


def _payload(data: StatsData, query: Query, rows: list[dict]) -> dict:
    return {
        "reference_date": data.reference_date.isoformat() if data.reference_date else None,
        "grouping": query.grouping,
        "sort": query.sort,
        "order": query.order,
        "statuses": data.statuses,
        "groups": [
            {"group": row["group"], "label": row["label"], **{key: _json_value(row[key], key) for key in COLUMNS}}
            for row in rows
        ],
        "overdue": [
            {
                "question": item.question,
                "identifier": item.identifier,
                "deadline": item.deadline.isoformat(),
                "asked": item.asked.isoformat() if item.asked else None,
                "days_overdue": (data.reference_date - item.deadline).days if data.reference_date else None,
            }
            for item in data.overdue
        ],
    }


def _csv(header: list[str], lines: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if cell is None else cell for cell in line] for line in lines)
    return buffer.getvalue()


def _bad(error: BadRequest) -> Response:
    return Response(f"{error}\n", status_code=400, media_type="text/plain; charset=utf-8")


def stats_page(request: Request, kind: str) -> Response:
    """One of the four renderings, made once per state of the store and query (the parameters
    are checked against fixed lists, so there are at most a few thousand of them)."""
    ctx: KgContext = request.app.state.kg
    try:
        query = Query.of(request)
    except BadRequest as error:
        return _bad(error)
    key = f"stats-page {kind} {query.grouping} {query.sort} {query.order} {query.language}"
    body, media, headers = ctx.derived(key, lambda ctx: _render(ctx, query, kind))
    return Response(body, media_type=media, headers=headers)


def _render(ctx: KgContext, query: Query, kind: str) -> tuple[bytes, str, dict[str, str]]:
    data = stats_data(ctx)
    renderer = PageRenderer(ctx, query.language)
    rows = _rows(ctx, data, query, renderer)
    vary = {"Content-Language": query.language, "Vary": "Accept-Language"}
    if kind == "json":
        text = json.dumps(_payload(data, query, rows), ensure_ascii=False, indent=1) + "\n"
        return (
            text.encode(),
            "application/json",
            {**vary, "Link": f'<{query.href()}>; rel="alternate"; type="text/html"'},
        )
    if kind == "csv":
        text = _csv(
            ["group", "label", *COLUMNS],
            [[row["group"], row["label"], *(_json_value(row[k], k) for k in COLUMNS)] for row in rows],
        )
        return (
            text.encode(),
            "text/csv; charset=utf-8",
            {**vary, "Content-Disposition": f'inline; filename="answer-times-{query.grouping}.csv"'},
        )
    words = stats_strings(query.language)
    shown = data.overdue[:OVERDUE_SHOWN]
    questions = [NamedNode(item.question) for item in shown]
    for triple in labels_and_types(ctx.store, questions, description_cache(ctx)):
        renderer.add_label(triple)
    overdue = [
        {
            "term": renderer.term(node),
            "identifier": item.identifier,
            "deadline": format_date(item.deadline, query.language),
            "deadline_iso": item.deadline.isoformat(),
            "days": (data.reference_date - item.deadline).days if data.reference_date else None,
        }
        for node, item in zip(questions, shown, strict=True)
    ]
    alternates = [
        (query.href("/stats.json"), "application/json", "JSON"),
        (query.href("/stats.csv"), "text/csv", "CSV"),
    ]
    html = ctx.templates.get_template("stats.html").render(
        lang=query.language,
        ui=ui_strings(query.language),
        words=words,
        languages=[(code, query.href(lang=code)) for code in ("nl", "fr", "en")],
        alternates=alternates,
        query=query,
        rows=rows,
        columns=list(COLUMNS),
        shares=SHARES,
        chart=_chart(rows),
        charts=page_charts(ctx, query.language),
        statuses=[(name, words["status_" + name], n) for name, n in data.statuses.items()],
        reference_date=format_date(data.reference_date, query.language) if data.reference_date else None,
        reference_iso=data.reference_date.isoformat() if data.reference_date else None,
        overdue=overdue,
        overdue_total=len(data.overdue),
        groupings=[(name, query.href(grouping=name, sort="questions", order="desc")) for name in GROUPINGS],
        sort_links={
            key: query.href(sort=key, order="asc" if query.sort == key and query.order == "desc" else "desc")
            for key in SORTS
        },
    )
    link = ", ".join(f'<{href}>; rel="alternate"; type="{media}"' for href, media, _ in alternates[:2])
    return html.encode(), "text/html; charset=utf-8", {**vary, "Link": link}


@router.get("/stats", include_in_schema=False)
async def stats(request: Request) -> Response:
    return await request.app.state.kg.render(stats_page, request, "html", lane="lists")


@router.get("/stats.json", include_in_schema=False)
async def stats_json(request: Request) -> Response:
    return await request.app.state.kg.render(stats_page, request, "json", lane="lists")


@router.get("/stats.csv", include_in_schema=False)
async def stats_csv(request: Request) -> Response:
    return await request.app.state.kg.render(stats_page, request, "csv", lane="lists")


# The groupings a resource's own page shows its answer times for, in the order shown.
PAGE_GROUPINGS = ("minister", "office", "government", "party", "asker", "legislature")


def answer_times_of(ctx: KgContext, iri: str, language: str) -> list[dict[str, Any]]:
    """The answer-time figures of one minister, office, government, party, asker or legislature,
    for a section of its page: one row per grouping it is a group of (a person can be both a
    minister and an asker), with a link to that grouping on /stats. Empty when it is none."""
    data = stats_data(ctx)
    words = stats_strings(language)
    rows = []
    for grouping in PAGE_GROUPINGS:
        values = data.figures[grouping].get(iri)
        if values is None:
            continue
        rows.append(
            {
                "grouping": words["grouping_" + grouping],
                "href": "/stats?" + urlencode({"grouping": grouping, "lang": language}),
                "cells": [(words["col_" + key], _shown(values.get(key), key)) for key in COLUMNS],
            }
        )
    return rows


def _shown(value: float | None, key: str) -> str | None:
    """A figure as the stats table writes it; None where the graph holds none (shown as unknown)."""
    if value is None:
        return None
    if key in SHARES:
        return f"{value * 100:.1f}%"
    return f"{value:g}" if "median" in key or "p90" in key else str(int(value))
