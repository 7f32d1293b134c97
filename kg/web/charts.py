"""The answer-time charts: Vega-Lite specifications made from the build's Data Cube, rendered on
the server to SVG and PNG by vl-convert (Vega's own renderer, no browser and no script on the
page), each with its numbers as CSV and as a table on the page for readers who do not see it.

- `minister-days`: the distribution of days to answer per minister (box from the 25th to the
  75th percentile, median, whisker to the 90th), for the ministers with the most answers;
- `government-on-time`: the share answered on time per government and year asked;
- `backlog`: questions open, and open past their deadline, at the end of each month.

Figures come from the graph once per state of the store, with kg's own queries; a rendering is
made once per state of the store, chart, format and language.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pyoxigraph import Literal, NamedNode

from kg.web.context import KgContext
from kg.web.describe import labels_and_types
from kg.web.i18n import stats_strings
from kg.web.pages import PageRenderer, description_cache, natural_key, reader_language

router = APIRouter()

QB = "http://purl.org/linked-data/cube#"
MINISTERS_SHOWN = 25
FORMATS = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",  # the Vega-Lite specification, data inline
}


@dataclass(frozen=True)
class Chart:
    name: str
    columns: tuple[str, ...]  # the CSV's and the table's columns, in order
    rows: list[dict[str, Any]]  # one per mark, labels in the reader's language
    spec: dict[str, Any]  # Vega-Lite, data inline
    title: str
    description: str


def _observations(ctx: KgContext, dataset: str, names: tuple[str, ...]) -> list[dict[str, Any]]:
    """Every observation of one of the build's data sets: its dimensions' values and `names`."""
    ns = ctx.minter.ns_iri
    uri = ctx.minter.mint_uri("dataset", dataset)
    found: dict[str, dict[str, Any]] = {}
    for row in ctx.store.query(
        f"""SELECT ?obs ?p ?v WHERE {{ ?obs <{QB}dataSet> <{uri}> ; ?p ?v .
              FILTER(STRSTARTS(STR(?p), "{ns}")) }}"""
    ):
        local = row["p"].value.removeprefix(ns)
        value = row["v"]
        item = found.setdefault(row["obs"].value, {})
        if isinstance(value, Literal) and local in names:
            item[local] = float(value.value)
        else:
            item[local] = value.value
    return [found[key] for key in sorted(found)]


def _labelled(ctx: KgContext, renderer: PageRenderer, iris: set[str]) -> Callable[[str], str]:
    nodes = [NamedNode(iri) for iri in sorted(iris) if iri.startswith(("http://", "https://"))]
    for triple in labels_and_types(ctx.store, nodes, description_cache(ctx)):
        renderer.add_label(triple)
    return renderer.label


def minister_days(ctx: KgContext, language: str) -> Chart:
    words = stats_strings(language)
    names = ("answeredCount", "p25DaysToAnswer", "medianDaysToAnswer", "p75DaysToAnswer", "p90DaysToAnswer")
    found = [o for o in _observations(ctx, "answer-times/minister/days", names) if "statMinister" in o]
    found.sort(key=lambda o: (-o["answeredCount"], o["statMinister"]))
    found = found[:MINISTERS_SHOWN]
    label = _labelled(ctx, PageRenderer(ctx, language), {o["statMinister"] for o in found})
    rows = [
        {
            "minister": label(o["statMinister"]),
            "answered": int(o["answeredCount"]),
            "p25": o["p25DaysToAnswer"],
            "median": o["medianDaysToAnswer"],
            "p75": o["p75DaysToAnswer"],
            "p90": o["p90DaysToAnswer"],
        }
        for o in found
    ]
    y = {"field": "minister", "type": "nominal", "sort": None, "title": words["chart_minister"]}
    x_title = words["chart_days"]
    spec = _base(words["chart_minister_days"], words["chart_minister_days_desc"], rows)
    spec["height"] = {"step": 18}
    spec["layer"] = [
        {
            "mark": {"type": "rule", "color": "#555"},
            "encoding": {
                "y": y,
                "x": {"field": "p25", "type": "quantitative", "title": x_title},
                "x2": {"field": "p90"},
            },
        },
        {
            "mark": {"type": "bar", "size": 12, "color": "#4c78a8"},
            "encoding": {"y": y, "x": {"field": "p25", "type": "quantitative"}, "x2": {"field": "p75"}},
        },
        {  # a point, not a tick: a minister with one answer has a box of no width
            "mark": {"type": "point", "filled": True, "color": "#fff", "stroke": "#222", "size": 60},
            "encoding": {"y": y, "x": {"field": "median", "type": "quantitative"}},
        },
    ]
    return Chart(
        "minister-days",
        ("minister", "answered", "p25", "median", "p75", "p90"),
        rows,
        spec,
        words["chart_minister_days"],
        words["chart_minister_days_desc"],
    )


def government_on_time(ctx: KgContext, language: str) -> Chart:
    words = stats_strings(language)
    names = ("answeredWithDeadlineCount", "onTimeShare")
    found = [o for o in _observations(ctx, "answer-times/government-year/on-time", names) if "statGovernment" in o]
    label = _labelled(ctx, PageRenderer(ctx, language), {o["statGovernment"] for o in found})
    rows = sorted(
        (
            {
                "government": label(o["statGovernment"]),
                "year": str(o["statYear"]),
                "answers": int(o["answeredWithDeadlineCount"]),
                "on_time_share": o["onTimeShare"],
            }
            for o in found
        ),
        key=lambda row: (row["year"], natural_key(row["government"])),
    )
    spec = _base(words["chart_government_on_time"], words["chart_government_on_time_desc"], rows)
    spec["mark"] = {"type": "line", "point": True}
    spec["encoding"] = {
        "x": {"field": "year", "type": "ordinal", "title": words["chart_year"]},
        "y": {
            "field": "on_time_share",
            "type": "quantitative",
            "title": words["col_on_time_share"],
            "axis": {"format": ".0%"},
            "scale": {"domain": [0, 1]},
        },
        "color": {"field": "government", "type": "nominal", "title": words["filter_government"], "sort": None},
    }
    return Chart(
        "government-on-time",
        ("government", "year", "answers", "on_time_share"),
        rows,
        spec,
        words["chart_government_on_time"],
        words["chart_government_on_time_desc"],
    )


def backlog(ctx: KgContext, language: str) -> Chart:
    words = stats_strings(language)
    names = ("openAtEndCount", "openPastDeadlineAtEndCount")
    found = [o for o in _observations(ctx, "answer-times/period/backlog", names) if "statPeriod" in o]
    rows: list[dict[str, Any]] = sorted(
        (
            {
                "month": str(o["statPeriod"]),
                "open": int(o["openAtEndCount"]),
                "open_past_deadline": int(o["openPastDeadlineAtEndCount"]),
            }
            for o in found
        ),
        key=lambda row: str(row["month"]),
    )
    series = [
        {"month": row["month"], "series": words[key], "questions": row[field]}
        for row in rows
        for key, field in (("chart_open", "open"), ("chart_open_late", "open_past_deadline"))
    ]
    spec = _base(words["chart_backlog"], words["chart_backlog_desc"], series)
    spec["mark"] = {"type": "line"}
    spec["encoding"] = {
        "x": {"field": "month", "type": "temporal", "timeUnit": "yearmonth", "title": words["chart_month"]},
        "y": {"field": "questions", "type": "quantitative", "title": words["questions_n"]},
        "color": {"field": "series", "type": "nominal", "title": None, "sort": None},
    }
    return Chart(
        "backlog",
        ("month", "open", "open_past_deadline"),
        rows,
        spec,
        words["chart_backlog"],
        words["chart_backlog_desc"],
    )


CHARTS: dict[str, Callable[[KgContext, str], Chart]] = {
    "minister-days": minister_days,
    "government-on-time": government_on_time,
    "backlog": backlog,
}


def _base(title: str, description: str, values: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "description": description,
        "width": 560,
        "data": {"values": values},
        "config": {"font": "sans-serif", "background": "white"},
    }


def chart(ctx: KgContext, name: str, language: str) -> Chart:
    return ctx.derived(f"chart {name} {language}", lambda ctx: CHARTS[name](ctx, language))


def rendered(ctx: KgContext, name: str, kind: str, language: str) -> bytes:
    """One chart in one format, made once per state of the store."""

    def make(ctx: KgContext) -> bytes:
        made = chart(ctx, name, language)
        if kind == "csv":
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=list(made.columns), lineterminator="\r\n")
            writer.writeheader()
            writer.writerows(made.rows)
            return buffer.getvalue().encode("utf-8")
        if kind == "json":
            return (json.dumps(made.spec, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
        import vl_convert  # Vega's renderer; imported when a chart is first drawn

        if kind == "svg":
            return vl_convert.vegalite_to_svg(made.spec).encode("utf-8")
        return bytes(vl_convert.vegalite_to_png(made.spec, scale=2))

    return ctx.derived(f"chart {name} {kind} {language}", make)


def chart_response(request: Request, name: str, kind: str) -> Response:
    ctx: KgContext = request.app.state.kg
    if name not in CHARTS:
        return Response(
            f"no chart {name!r}: the charts are {', '.join(CHARTS)}\n",
            status_code=404,
            media_type="text/plain; charset=utf-8",
        )
    language = reader_language(request)
    headers = {"Content-Language": language, "Vary": "Accept-Language"}
    if kind in ("csv", "png", "svg"):
        headers["Content-Disposition"] = f'inline; filename="{name}-{language}.{kind}"'
    return Response(rendered(ctx, name, kind, language), media_type=FORMATS[kind], headers=headers)


def page_charts(ctx: KgContext, language: str) -> list[dict[str, Any]]:
    """What /stats shows of each chart: title, description, its table and its files."""
    shown = []
    for name in CHARTS:
        made = chart(ctx, name, language)
        if not made.rows:
            continue
        shown.append(
            {
                "name": name,
                "title": made.title,
                "description": made.description,
                "columns": made.columns,
                "rows": made.rows,
                "files": {kind: f"/stats/charts/{name}.{kind}?lang={language}" for kind in ("svg", "png", "csv")},
            }
        )
    return shown


@router.get("/stats/charts/{name}.{kind}", include_in_schema=False)
async def chart_file(name: str, kind: str, request: Request) -> Response:
    if kind not in FORMATS:
        return Response(
            f"no format {kind!r}: use {', '.join(FORMATS)}\n", status_code=404, media_type="text/plain; charset=utf-8"
        )
    return await request.app.state.kg.render(chart_response, request, name, kind, lane="lists")
