"""The answer-time figures as W3C RDF Data Cube data sets: every figure of the generated corpus
equal to the one computed here from its known dates, and the cube passing the Recommendation's
integrity constraints (run as ASK queries on the normalized graph, as the Recommendation says)."""

from __future__ import annotations

import gzip
import math
import re
import statistics
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from answer_corpus import ADDRESSEES, AS_OF, ASKED, CASES, Case, write_corpus

from kg.build.pipeline import build
from kg.rdf.workdays import working_days_between
from kg.uris import UriMinter

MINTER = UriMinter()
KG = MINTER.ns_iri
QB_DIR = Path(__file__).parent / "qb"  # the Recommendation's files (tests/qb/SOURCES.md)
ANSWERED = ("AnsweredOnTime", "AnsweredLate", "AnsweredDeadlineUnknown")


@pytest.fixture(scope="module")
def corpus_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs = write_corpus(tmp_path_factory.mktemp("cube-corpus"))
    out = tmp_path_factory.mktemp("cube-out")
    assert not build([docs], out, as_of=AS_OF).failed
    return out


def load(out: Path, *extra: Path) -> ox.Store:
    store = ox.Store()
    with gzip.open(out / "graph.nt.gz", "rb") as handle:
        store.bulk_load(handle.read(), format=ox.RdfFormat.N_TRIPLES)
    store.bulk_load(path=str(out / "ontology.ttl"), format=ox.RdfFormat.TURTLE)
    for path in extra:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def solutions(store: ox.Store, query: str) -> list[dict[str, str]]:
    """A SELECT query's rows, each variable's value as text."""
    rows = store.query(query)
    assert isinstance(rows, ox.QuerySolutions)
    names = [variable.value for variable in rows.variables]
    return [
        {
            name: value.value
            for name in names
            if isinstance(value := row[name], (ox.NamedNode, ox.Literal, ox.BlankNode))
        }
        for row in rows
    ]


def observation(store: ox.Store, grouping: str, table: str, group: str) -> dict[str, str]:
    """The measures of one observation, by local name."""
    dataset = MINTER.mint_uri("dataset", f"answer-times/{grouping}/{table}")
    rows = solutions(
        store,
        f"""SELECT ?group ?p ?v WHERE {{
        ?obs <http://purl.org/linked-data/cube#dataSet> <{dataset}> ; ?dim ?group ; ?p ?v }}""",
    )
    found = {row["p"].removeprefix(KG): row["v"] for row in rows if row["group"] == group and row["p"].startswith(KG)}
    assert found, (grouping, table, group)
    return found


def expected(cases: list[Case]) -> dict[str, dict[str, str]]:
    """The figures of a group of cases, computed from their dates, not by kg."""
    answered = [c for c in cases if c.status in ANSWERED]
    days = sorted((c.answered - ASKED).days for c in answered if c.answered)
    working = sorted(working_days_between(ASKED, c.answered) for c in answered if c.answered)
    dated = [c for c in answered if c.deadline is not None]
    figures = {
        "questions": {
            "questionCount": str(len(cases)),
            "answeredCount": str(len(answered)),
            "answeredShare": f"{len(answered) / len(cases):.4f}",
            "openPastDeadlineCount": str(sum(c.status == "OpenPastDeadline" for c in cases)),
        }
    }
    if days:
        rank = math.ceil(0.9 * len(days)) - 1
        figures["days"] = {
            "answeredCount": str(len(days)),
            "p25DaysToAnswer": f"{days[max(math.ceil(0.25 * len(days)), 1) - 1]:.1f}",
            "medianDaysToAnswer": f"{statistics.median(days):.1f}",
            "p75DaysToAnswer": f"{days[max(math.ceil(0.75 * len(days)), 1) - 1]:.1f}",
            "p90DaysToAnswer": f"{days[rank]:.1f}",
            "medianWorkingDaysToAnswer": f"{statistics.median(working):.1f}",
            "p90WorkingDaysToAnswer": f"{working[rank]:.1f}",
        }
    if dated:
        on_time = sum(c.status == "AnsweredOnTime" for c in dated)
        figures["on-time"] = {
            "answeredWithDeadlineCount": str(len(dated)),
            "onTimeShare": f"{on_time / len(dated):.4f}",
        }
    return figures


def _check(store: ox.Store, grouping: str, group: str, cases: list[Case]) -> None:
    for table, figures in expected(cases).items():
        found = observation(store, grouping, table, group)
        # compared as numbers: the store writes decimals in their canonical form ("0.375")
        assert {k: float(found[k]) for k in figures} == {k: float(v) for k, v in figures.items()}, (
            grouping,
            group,
            table,
        )


def test_every_figure_per_legislature_year_and_month(corpus_out: Path) -> None:
    store = load(corpus_out)
    cases = list(CASES)
    _check(store, "legislature", MINTER.legislature(5), cases)
    _check(store, "year", "2013", cases)
    _check(store, "month", "2013-05", cases)
    _check(store, "asker", MINTER.person("Martine Taelman"), cases)
    _check(store, "party", MINTER.party("Open Vld"), cases)


def test_every_figure_per_minister_and_office(corpus_out: Path) -> None:
    store = load(corpus_out)
    for key, (_, person) in ADDRESSEES.items():
        cases = [c for c in CASES if c.addressee == key]
        _check(store, "minister", MINTER.mint_uri("person", person), cases)
    _check(store, "office", MINTER.office("di-rupo-minister-finance"), [c for c in CASES if c.addressee == "finance"])
    _check(store, "government", MINTER.government("di-rupo"), list(CASES))


def test_the_on_time_share_per_government_and_year(corpus_out: Path) -> None:
    store = load(corpus_out)
    dataset = MINTER.mint_uri("dataset", "answer-times/government-year/on-time")
    rows = solutions(
        store,
        f"""SELECT ?gov ?year ?n ?share WHERE {{ ?obs <http://purl.org/linked-data/cube#dataSet> <{dataset}> ;
            <{KG}statGovernment> ?gov ; <{KG}statYear> ?year ;
            <{KG}answeredWithDeadlineCount> ?n ; <{KG}onTimeShare> ?share }}""",
    )
    want = expected(list(CASES))["on-time"]
    assert [(r["gov"], r["year"], r["n"], float(r["share"])) for r in rows] == [
        (MINTER.government("di-rupo"), "2013", want["answeredWithDeadlineCount"], float(want["onTimeShare"]))
    ]


def _day(text: str) -> date:
    day, month, year = text.split("/")
    return date(int(year), int(month), int(day[-2:].lstrip("/")))


def test_the_backlog_at_each_month_end(corpus_out: Path) -> None:
    """Open questions, and those past their deadline, at each month's end (the reference date for
    its own month), counted here from the cases' chronologies."""
    store = load(corpus_out)
    dataset = MINTER.mint_uri("dataset", "answer-times/period/backlog")
    found = {
        row["month"]: (int(row["open"]), int(row["late"]))
        for row in solutions(
            store,
            f"""SELECT ?month ?open ?late WHERE {{ ?obs <http://purl.org/linked-data/cube#dataSet> <{dataset}> ;
                <{KG}statPeriod> ?month ; <{KG}openAtEndCount> ?open ; <{KG}openPastDeadlineAtEndCount> ?late }}""",
        )
    }
    cases = []
    for case in CASES:
        asked = ASKED  # the date the question's header prints, as for days to answer
        closed = [_day(re.match(r"[0-9/]+", e).group()) for e in case.chronology if "clôturé" in e]  # type: ignore[union-attr]
        ended = case.answered or (closed[0] if closed else None)
        cases.append((asked, ended if ended and ended <= AS_OF else None, case.deadline))
    want = {}
    for month in range(5, 10):
        end = min(date(2013, month + 1, 1) - date.resolution, AS_OF)
        open_ = [c for c in cases if c[0] <= end and (c[1] is None or c[1] > end)]
        want[f"2013-{month:02d}"] = (len(open_), sum(c[2] is not None and c[2] < end for c in open_))
    assert found == want
    assert want["2013-09"] == (4, 1)  # 5-9003 open within its deadline, 5-9004 past it, two without one
    assert want["2013-06"] == (6, 3)  # 5-9002, 5-9004 and 5-9006 past their deadline of 31 May


def test_a_group_without_answers_with_a_deadline_has_no_on_time_share(corpus_out: Path) -> None:
    store = load(corpus_out)
    dataset = MINTER.mint_uri("dataset", "answer-times/minister/on-time")
    person = MINTER.mint_uri("person", "elio-di-rupo")
    assert not store.query(
        f"ASK {{ ?obs <http://purl.org/linked-data/cube#dataSet> <{dataset}> ; <{KG}statMinister> <{person}> }}"
    )


def test_siblings_not_loaded_are_counted_apart_never_as_questions(corpus_out: Path) -> None:
    store = load(corpus_out)
    legislature = MINTER.legislature(5)
    assert observation(store, "legislature", "not-loaded", legislature)["notLoadedCount"] == "2"
    assert observation(store, "legislature", "questions", legislature)["questionCount"] == str(len(CASES))


def test_data_sets_say_their_reference_date(corpus_out: Path) -> None:
    store = load(corpus_out)
    dates = {
        row["d"]
        for row in solutions(
            store,
            f"SELECT DISTINCT ?d WHERE {{ ?ds a <http://purl.org/linked-data/cube#DataSet> ; <{KG}referenceDate> ?d }}",
        )
    }
    assert dates == {AS_OF.isoformat()}


# --- the integrity constraints of the Recommendation ------------------------------------------


def _normalized(out: Path) -> ox.Store:
    store = load(out, QB_DIR / "cube.ttl")
    for phase in ("normalization-phase1.ru", "normalization-phase2.ru"):
        store.update((QB_DIR / phase).read_text(encoding="utf-8"))
    return store


def _constraints() -> list[Path]:
    return sorted((QB_DIR / "integrity-constraints").glob("ic-*.rq"))


@pytest.mark.parametrize("build_of", ["corpus", "seeds"])
def test_the_cube_passes_the_data_cube_integrity_constraints(build_of: str, corpus_out: Path, seeds_out: Path) -> None:
    store = _normalized(corpus_out if build_of == "corpus" else seeds_out)
    prefixes = (QB_DIR / "integrity-constraints" / "prefixes.rq").read_text(encoding="utf-8")
    assert store.query("ASK { ?o a <http://purl.org/linked-data/cube#Observation> }")
    checked = []
    for path in _constraints():
        text = path.read_text(encoding="utf-8")
        if "$p" in text:  # IC-20 and IC-21: templates, one instance per hierarchical code list
            instances = solutions(
                store,
                prefixes + "SELECT ?p WHERE { ?h a qb:HierarchicalCodeList ; "
                "qb:parentChildProperty ?p . FILTER(isIRI(?p)) }",
            )
            assert instances == []  # kg's cube has none, so the templates have no instance
            continue
        violated = store.query(prefixes + text)
        assert not violated, f"{path.name} is violated"
        checked.append(path.stem)
    assert len(checked) >= 19, checked


def test_ic0_every_cube_literal_is_valid_for_its_datatype(corpus_out: Path) -> None:
    """IC-0 (datatype consistency) is no query: each number and period is checked here."""
    store = load(corpus_out)
    patterns = {
        "integer": r"-?[0-9]+",
        "decimal": r"-?[0-9]+(\.[0-9]+)?",
        "gYear": r"[0-9]{4}",
        "gYearMonth": r"[0-9]{4}-(0[1-9]|1[0-2])",
        "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
    }
    rows = solutions(
        store,
        "SELECT ?v (DATATYPE(?v) AS ?type) WHERE { "
        "?obs a <http://purl.org/linked-data/cube#Observation> ; ?p ?v . FILTER(isLiteral(?v)) }",
    )
    seen = set()
    for row in rows:
        kind, value = row["type"].rsplit("#", 1)[1], row["v"]
        seen.add(kind)
        assert re.fullmatch(patterns[kind], value), (kind, value)
        if kind == "date":
            date.fromisoformat(value)
    assert {"integer", "decimal", "gYear", "gYearMonth"} <= seen


def test_the_integrity_constraints_catch_a_broken_cube(corpus_out: Path) -> None:
    """The checks above can fail: an observation in two data sets, a data set without structure
    and an observation lacking a measure are each caught by their constraint."""
    prefixes = (QB_DIR / "integrity-constraints" / "prefixes.rq").read_text(encoding="utf-8")

    def violated(name: str, update: str) -> bool:
        store = _normalized(corpus_out)
        store.update(prefixes + update)
        return bool(store.query(prefixes + (QB_DIR / "integrity-constraints" / name).read_text(encoding="utf-8")))

    questions = MINTER.mint_uri("dataset", "answer-times/year/questions")
    days = MINTER.mint_uri("dataset", "answer-times/year/days")
    assert violated("ic-1.rq", f"INSERT {{ ?o qb:dataSet <{days}> }} WHERE {{ ?o qb:dataSet <{questions}> }}")
    assert violated("ic-2.rq", f"DELETE WHERE {{ <{questions}> qb:structure ?s }}")
    assert violated(
        "ic-14.rq",
        f"DELETE {{ ?o <{KG}answeredShare> ?v }} WHERE {{ ?o qb:dataSet <{questions}> ; <{KG}answeredShare> ?v }}",
    )
