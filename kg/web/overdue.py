"""/stats/overdue: every question open past its deadline, oldest first, filterable; its CSV; and
an Atom feed of the questions most recently past their deadline, for journalists to subscribe to.

The list is read from the graph once per state of the store (the build's kg:answerStatus and
kg:answerDeadline, with who asked whom), with kg's own queries: no request value goes into them.
Filters pick from the values the list holds; any other value is a 400 naming the filter.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape, quoteattr

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pyoxigraph import Literal, NamedNode

from kg.web.context import KgContext
from kg.web.describe import Lru, labels_and_types
from kg.web.i18n import best_label, format_date, stats_strings, ui_strings
from kg.web.pages import PageRenderer, description_cache, natural_key, reader_language

router = APIRouter()

DCT = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
PAGE_SIZE = 100
FEED_ENTRIES = 100  # the feed holds the questions most recently past their deadline

# filter name -> how a question reaches its values (a property path from the question, in kg's
# own fixed text; `kg:` stands for the vocabulary namespace)
FILTERS: dict[str, str] = {
    "minister": "kg:addressee",
    "office": "kg:addressedTo",
    "government": f"kg:addressedTo/<{ORG}postIn>",
    "legislature": "kg:legislature",
    "asker": f"<{DCT}creator>",
    "party": f"<{DCT}creator>/<{ORG}memberOf>",
}


@dataclass(frozen=True)
class OverdueQuestion:
    question: str  # IRI
    identifier: str
    deadline: date
    asked: date | None
    titles: tuple[Literal, ...]
    values: dict[str, frozenset[str]] = field(default_factory=dict)  # filter -> IRIs


@dataclass(frozen=True)
class OverdueList:
    reference_date: date | None
    questions: list[OverdueQuestion]  # oldest deadline first


def overdue_list(ctx: KgContext) -> OverdueList:
    return ctx.derived("overdue questions", _read)


def _read(ctx: KgContext) -> OverdueList:
    ns = ctx.minter.ns_iri
    prologue = f"PREFIX kg: <{ns}>\n"
    reference = None
    for row in ctx.store.query(prologue + "SELECT (MAX(?d) AS ?day) WHERE { ?ds kg:referenceDate ?d }"):
        if isinstance(row["day"], Literal):
            reference = _date(row["day"].value)
    found: dict[str, dict[str, Any]] = {}
    for row in ctx.store.query(
        prologue
        + f"""SELECT ?q ?id ?deadline ?asked WHERE {{
              ?q kg:answerStatus kg:OpenPastDeadline ; kg:answerDeadline ?deadline .
              OPTIONAL {{ ?q <{DCT}identifier> ?id }} OPTIONAL {{ ?q <{DCT}dateSubmitted> ?asked }}
            }}"""
    ):
        deadline = _date(row["deadline"].value)
        if deadline is None:
            continue
        question = row["q"].value
        found[question] = {
            "identifier": row["id"].value if row["id"] is not None else question.rsplit("/", 1)[-1],
            "deadline": deadline,
            "asked": _date(row["asked"].value) if row["asked"] is not None else None,
            "titles": [],
            "values": {name: set() for name in FILTERS},
        }
    for row in ctx.store.query(
        prologue + f"SELECT ?q ?t WHERE {{ ?q kg:answerStatus kg:OpenPastDeadline ; <{DCT}title> ?t }}"
    ):
        if row["q"].value in found and isinstance(row["t"], Literal):
            found[row["q"].value]["titles"].append(row["t"])
    for name, path in FILTERS.items():
        for row in ctx.store.query(
            prologue + f"SELECT ?q ?v WHERE {{ ?q kg:answerStatus kg:OpenPastDeadline ; {path} ?v }}"
        ):
            if row["q"].value in found and isinstance(row["v"], NamedNode):
                found[row["q"].value]["values"][name].add(row["v"].value)
    questions = [
        OverdueQuestion(
            question,
            item["identifier"],
            item["deadline"],
            item["asked"],
            tuple(sorted(item["titles"], key=lambda t: (t.language or "", t.value))),
            {name: frozenset(values) for name, values in item["values"].items()},
        )
        for question, item in found.items()
    ]
    questions.sort(key=lambda item: (item.deadline, natural_key(item.identifier)))
    return OverdueList(reference, questions)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class BadFilter(Exception):
    pass


@dataclass(frozen=True)
class Selection:
    """The reader's filters (each: any of its values; all filters at once), page and language."""

    filters: dict[str, tuple[str, ...]]
    page: int
    language: str

    @classmethod
    def of(cls, request: Request, data: OverdueList) -> Selection:
        known: dict[str, set[str]] = {name: set() for name in FILTERS}
        for item in data.questions:
            for name, values in item.values.items():
                known[name] |= values
        filters = {}
        for name in FILTERS:
            chosen = tuple(sorted(set(request.query_params.getlist(name))))
            unknown = [value for value in chosen if value not in known[name]]
            if unknown:
                raise BadFilter(f"{name}: no question open past its deadline has {unknown[0]!r}")
            if chosen:
                filters[name] = chosen
        for name in request.query_params:
            if name not in FILTERS and name not in ("page", "lang"):
                raise BadFilter(f"unknown parameter {name!r}: use {', '.join(FILTERS)}, page or lang")
        page_text = request.query_params.get("page", "1")
        if not page_text.isdigit() or int(page_text) < 1 or len(page_text) > 6:
            raise BadFilter(f"page must be a whole number from 1, not {page_text!r}")
        return cls(filters, int(page_text), reader_language(request))

    def matches(self, item: OverdueQuestion) -> bool:
        return all(item.values.get(name, frozenset()) & set(values) for name, values in self.filters.items())

    def href(self, path: str = "/stats/overdue", **changes: object) -> str:
        params: list[tuple[str, object]] = [(name, value) for name, values in self.filters.items() for value in values]
        page = changes.get("page", 1)
        if page != 1:
            params.append(("page", page))
        params.append(("lang", changes.get("lang", self.language)))
        return path + "?" + urlencode(params)


def _bad(error: BadFilter) -> Response:
    return Response(f"{error}\n", status_code=400, media_type="text/plain; charset=utf-8")


def _title(item: OverdueQuestion, language: str) -> str:
    return best_label(list(item.titles), language) or item.identifier


# Answers made, per state of the store and selection: a list of thousands of overdue questions
# takes tens of milliseconds to filter, count and render, and readers ask the same few again.
_ANSWERS: Lru[tuple[object, ...], Response] = Lru(64 * 1024 * 1024, weigh=lambda r: len(r.body) + 512)


def overdue_response(request: Request, kind: str) -> Response:
    ctx: KgContext = request.app.state.kg
    data = overdue_list(ctx)
    try:
        selection = Selection.of(request, data)
    except BadFilter as error:
        return _bad(error)
    key = (id(ctx), ctx.version, ctx.store.generation, kind, str(request.base_url), selection.href(page=selection.page))
    made = _ANSWERS.get(key)
    if made is None:
        chosen = [item for item in data.questions if selection.matches(item)]
        if kind == "csv":
            made = _csv(data, chosen)
        elif kind == "atom":
            made = _atom(request, ctx, data, chosen, selection)
        else:
            made = _page(ctx, data, chosen, selection)
        _ANSWERS.put(key, made)
    return Response(made.body, status_code=made.status_code, headers=dict(made.headers))


def _days_overdue(data: OverdueList, item: OverdueQuestion) -> int | None:
    return (data.reference_date - item.deadline).days if data.reference_date else None


def _csv(data: OverdueList, chosen: list[OverdueQuestion]) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["question", "identifier", "deadline", "asked", "days_overdue", *FILTERS])
    for item in chosen:
        days = _days_overdue(data, item)
        writer.writerow(
            [
                item.question,
                item.identifier,
                item.deadline.isoformat(),
                item.asked.isoformat() if item.asked else "",
                "" if days is None else days,
                *(" ".join(sorted(item.values.get(name, ()))) for name in FILTERS),
            ]
        )
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="overdue.csv"'},
    )


def _labels(ctx: KgContext, renderer: PageRenderer, iris: set[str]) -> None:
    nodes = [NamedNode(iri) for iri in sorted(iris)]
    for triple in labels_and_types(ctx.store, nodes, description_cache(ctx)):
        renderer.add_label(triple)


def _page(ctx: KgContext, data: OverdueList, chosen: list[OverdueQuestion], selection: Selection) -> Response:
    language = selection.language
    words = stats_strings(language)
    renderer = PageRenderer(ctx, language)
    last = max(1, -(-len(chosen) // PAGE_SIZE))
    page = min(selection.page, last)
    shown = chosen[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    # the filters' values with their counts among the questions the other filters leave
    counts: dict[str, dict[str, int]] = {name: {} for name in FILTERS}
    for name in FILTERS:
        others = Selection({k: v for k, v in selection.filters.items() if k != name}, 1, language)
        for item in data.questions:
            if others.matches(item):
                for value in item.values.get(name, ()):
                    counts[name][value] = counts[name].get(value, 0) + 1
    wanted = {value for values in counts.values() for value in values}
    wanted |= {value for item in shown for name in ("minister", "office", "asker") for value in item.values[name]}
    _labels(ctx, renderer, wanted)
    facets = []
    for name in FILTERS:
        values = sorted(counts[name].items(), key=lambda kv: (-kv[1], natural_key(renderer.label(kv[0]))))
        facets.append(
            {
                "name": name,
                "label": words["filter_" + name],
                "values": [
                    {
                        "value": value,
                        "label": renderer.label(value),
                        "count": n,
                        "selected": value in selection.filters.get(name, ()),
                    }
                    for value, n in values
                ],
            }
        )
    rows = [
        {
            "href": renderer.href(item.question),
            "identifier": item.identifier,
            "title": _title(item, language),
            "asked": format_date(item.asked, language) if item.asked else None,
            "asked_iso": item.asked.isoformat() if item.asked else None,
            "deadline": format_date(item.deadline, language),
            "deadline_iso": item.deadline.isoformat(),
            "days": _days_overdue(data, item),
            "ministers": [renderer.term(NamedNode(v)) for v in sorted(item.values["minister"])],
            "offices": [renderer.term(NamedNode(v)) for v in sorted(item.values["office"])],
            "askers": [renderer.term(NamedNode(v)) for v in sorted(item.values["asker"])],
        }
        for item in shown
    ]
    alternates = [
        (selection.href("/stats/overdue.atom"), "application/atom+xml", words["overdue_feed"]),
        (selection.href("/stats/overdue.csv"), "text/csv", words["overdue_csv"]),
    ]
    html = ctx.templates.get_template("overdue.html").render(
        lang=language,
        ui=ui_strings(language),
        words=words,
        languages=[(code, selection.href(lang=code, page=page)) for code in ("nl", "fr", "en")],
        alternates=alternates,
        rows=rows,
        facets=facets,
        total=len(data.questions),
        matching=len(chosen),
        page=page,
        last=last,
        previous_href=selection.href(page=page - 1) if page > 1 else None,
        next_href=selection.href(page=page + 1) if page < last else None,
        clear_href=Selection({}, 1, language).href(),
        filtered=bool(selection.filters),
        reference_date=format_date(data.reference_date, language) if data.reference_date else None,
        reference_iso=data.reference_date.isoformat() if data.reference_date else None,
    )
    link = ", ".join(f'<{href}>; rel="alternate"; type="{media}"' for href, media, _ in alternates)
    return Response(
        html,
        media_type="text/html; charset=utf-8",
        headers={"Content-Language": language, "Vary": "Accept-Language", "Link": link},
    )


def _atom(
    request: Request, ctx: KgContext, data: OverdueList, chosen: list[OverdueQuestion], selection: Selection
) -> Response:
    """RFC 4287: the questions most recently past their deadline first. An entry's `updated` is
    the day after its deadline (the day it became overdue); the feed's is the newest of those."""
    language = selection.language
    words = stats_strings(language)
    renderer = PageRenderer(ctx, language)
    newest = sorted(chosen, key=lambda item: (item.deadline, natural_key(item.identifier)), reverse=True)
    entries = newest[:FEED_ENTRIES]
    _labels(ctx, renderer, {v for item in entries for n in ("minister", "office", "asker") for v in item.values[n]})
    site = str(request.base_url)
    page_url = site.rstrip("/") + selection.href()

    def stamp(day: date) -> str:
        return day.isoformat() + "T00:00:00Z"

    updated = stamp(entries[0].deadline + timedelta(days=1)) if entries else stamp(date(1995, 1, 1))
    if data.reference_date is not None and not entries:
        updated = stamp(data.reference_date)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{language}">',
        f"<title>{escape(words['overdue'])}</title>",
        f"<id>{escape(page_url)}</id>",
        f"<updated>{updated}</updated>",
        f'<link rel="self" type="application/atom+xml" href={quoteattr(site.rstrip("/") + selection.href("/stats/overdue.atom"))}/>',
        f'<link rel="alternate" type="text/html" href={quoteattr(page_url)}/>',
        f"<author><name>{escape(ui_strings(language).get('site', 'kg'))}</name></author>",
        '<generator uri="https://w3id.org/written-questions/kg">kg</generator>',
    ]
    for item in entries:
        days = _days_overdue(data, item)
        who = ", ".join(renderer.label(v) for v in sorted(item.values["minister"] or item.values["office"]))
        asker = ", ".join(renderer.label(v) for v in sorted(item.values["asker"]))
        summary = words["overdue_entry"].format(
            asker=asker or words["unknown"],
            to=who or words["unknown"],
            asked=format_date(item.asked, language) if item.asked else words["unknown"],
            deadline=format_date(item.deadline, language),
            days=words["unknown"] if days is None else days,
        )
        href = renderer.href(item.question) or item.question
        lines += [
            "<entry>",
            f"<title>{escape(item.identifier + ' · ' + _title(item, language))}</title>",
            f"<id>{escape(item.question)}</id>",
            f"<updated>{stamp(item.deadline + timedelta(days=1))}</updated>",
            f'<link rel="alternate" type="text/html" href={quoteattr(site.rstrip("/") + href if href.startswith("/") else href)}/>',
            f"<summary>{escape(summary)}</summary>",
            "</entry>",
        ]
    lines.append("</feed>")
    return Response(
        "\n".join(lines) + "\n",
        media_type="application/atom+xml; charset=utf-8",
        headers={"Content-Language": language, "Vary": "Accept-Language"},
    )


@router.get("/stats/overdue", include_in_schema=False)
async def overdue_page(request: Request) -> Response:
    return await request.app.state.kg.render(overdue_response, request, "html", lane="lists")


@router.get("/stats/overdue.atom", include_in_schema=False)
async def overdue_feed(request: Request) -> Response:
    return await request.app.state.kg.render(overdue_response, request, "atom", lane="lists")


@router.get("/stats/overdue.csv", include_in_schema=False)
async def overdue_csv(request: Request) -> Response:
    return await request.app.state.kg.render(overdue_response, request, "csv", lane="lists")
