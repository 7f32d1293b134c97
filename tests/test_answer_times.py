"""Answer times per question: deadlines, days to answer (calendar and working), reminders and the
status of every question, built by the real build from the seeds, the test documents and a
generated corpus with known dates (tests/answer_corpus.py)."""

from __future__ import annotations

import gzip
import shutil
from datetime import date, timedelta
from pathlib import Path

import pyoxigraph as ox
import pytest
from answer_corpus import AS_OF, CASES, LATEST, write_corpus

from kg.build.pipeline import build
from kg.rdf.workdays import easter, public_holidays, working_days_between
from kg.uris import UriMinter

DOCUMENTS = Path(__file__).parent / "documents"
KG = UriMinter().ns_iri
Q = UriMinter().base + "id/question/"


def graph(out: Path) -> ox.Store:
    store = ox.Store()
    with gzip.open(out / "graph.nt.gz", "rb") as handle:
        store.bulk_load(handle.read(), format=ox.RdfFormat.N_TRIPLES)
    return store


def values(store: ox.Store, number: str, local: str) -> list[str]:
    return sorted(
        q.object.value
        for q in store.quads_for_pattern(ox.NamedNode(Q + number), ox.NamedNode(KG + local), None)
        if isinstance(q.object, (ox.NamedNode, ox.Literal))
    )


def status(store: ox.Store, number: str) -> str:
    found = values(store, number, "answerStatus")
    assert len(found) == 1, (number, found)
    return found[0].removeprefix(KG)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("answer-corpus"))


@pytest.fixture(scope="module")
def corpus_out(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("answer-corpus-out")
    report = build([corpus], out, as_of=AS_OF)
    assert not report.failed and report.reference_date == AS_OF
    return out


# --- working days --------------------------------------------------------------------------


def test_easter_falls_on_the_published_sundays() -> None:
    assert [easter(y) for y in (2008, 2010, 2013, 2019, 2024, 2025)] == [
        date(2008, 3, 23),
        date(2010, 4, 4),
        date(2013, 3, 31),
        date(2019, 4, 21),
        date(2024, 3, 31),
        date(2025, 4, 20),
    ]


def test_belgian_public_holidays_of_2013() -> None:
    assert sorted(public_holidays(2013)) == [
        date(2013, 1, 1),
        date(2013, 4, 1),
        date(2013, 5, 1),
        date(2013, 5, 9),
        date(2013, 5, 20),
        date(2013, 7, 21),
        date(2013, 8, 15),
        date(2013, 11, 1),
        date(2013, 11, 11),
        date(2013, 12, 25),
    ]


def test_working_days_across_a_holiday_and_a_weekend() -> None:
    # Wednesday 8 May 2013 to Monday 13 May: Ascension (Thursday 9), Friday 10, the weekend, Monday.
    assert working_days_between(date(2013, 5, 8), date(2013, 5, 13)) == 2
    # Friday 19 July 2013 to Tuesday 23 July: 21 July (national day) is a Sunday, not moved.
    assert working_days_between(date(2013, 7, 19), date(2013, 7, 23)) == 2
    assert working_days_between(date(2013, 5, 8), date(2013, 5, 8)) == 0


def test_working_days_equal_a_day_by_day_count() -> None:
    """The counting by weeks against a count of every day, from each day of a week (across new
    year, Easter and Christmas) over spans of up to two years."""
    for offset in range(7):
        start = date(2012, 12, 20) + timedelta(days=offset)
        for length in range(0, 800, 11):
            end = start + timedelta(days=length)
            expected = sum(
                1
                for n in range(1, length + 1)
                if (d := start + timedelta(days=n)).weekday() < 5 and d not in public_holidays(d.year)
            )
            assert working_days_between(start, end) == expected, (start, end)


# --- statuses ------------------------------------------------------------------------------


def test_each_generated_question_has_its_status_deadline_and_reminders(corpus_out: Path) -> None:
    store = graph(corpus_out)
    for case in CASES:
        assert status(store, case.number) == case.status, case.number
        assert values(store, case.number, "remindersSent") == [str(case.reminders)], case.number
        expected_deadline = [case.deadline.isoformat()] if case.deadline else []
        assert values(store, case.number, "answerDeadline") == expected_deadline, case.number
        if case.answered is None:
            assert values(store, case.number, "daysToAnswer") == [], case.number
        else:
            asked = date(2013, 5, 1)
            assert values(store, case.number, "daysToAnswer") == [str((case.answered - asked).days)]
            assert values(store, case.number, "workingDaysToAnswer") == [
                str(working_days_between(asked, case.answered))
            ]


def test_on_time_answer_took_nineteen_working_days(corpus_out: Path) -> None:
    # 1 May to 30 May 2013: 21 weekdays after 1 May, less Ascension (9 May) and Whit Monday (20 May).
    store = graph(corpus_out)
    assert values(store, "5-9001", "workingDaysToAnswer") == ["19"]
    assert values(store, "5-9001", "daysToAnswer") == ["29"]


def test_without_a_reference_date_the_latest_date_in_the_data_is_used(corpus: Path, tmp_path: Path) -> None:
    report = build([corpus], tmp_path / "out")
    assert report.reference_date == LATEST
    store = graph(tmp_path / "out")
    for case in CASES:
        assert status(store, case.number) == (case.latest or case.status), case.number


def test_not_loaded_siblings_have_that_status_and_nothing_else(corpus_out: Path) -> None:
    store = graph(corpus_out)
    for number in ("5-8913", "5-8915"):  # named by every case as "Aussi posée à", never built
        assert status(store, number) == "NotLoaded"
        for local in ("daysToAnswer", "answerDeadline", "remindersSent"):
            assert values(store, number, local) == []


def test_test_documents_statuses(tmp_path: Path) -> None:
    documents = [p for p in DOCUMENTS.glob("*.txt") if not p.name.startswith("bad-")]
    report = build(documents, tmp_path / "out")
    assert not report.failed
    store = graph(tmp_path / "out")
    assert report.reference_date == date(2014, 2, 17)  # 5-8902's answer, the latest date
    assert status(store, "4-5678") == "ClosedWithoutAnswer"
    assert values(store, "4-5678", "answerDeadline") == ["2010-02-11"]
    assert values(store, "4-5678", "remindersSent") == ["1"]
    assert status(store, "4-7001") == "LapsedAtEndOfLegislature"
    assert status(store, "4-1234") == "LapsedAtEndOfLegislature"
    assert status(store, "5-8902") == "AnsweredDeadlineUnknown"
    assert values(store, "5-8902", "daysToAnswer") == [str((date(2014, 2, 17) - date(2013, 4, 30)).days)]
    assert status(store, "5-8914") == "AnsweredLate"  # deadline 31/5/2013, answered 6/9/2013
    assert values(store, "5-8914", "remindersSent") == ["1"]
    assert status(store, "5-12") == "AnsweredDeadlineUnknown"
    assert values(store, "5-12", "daysToAnswer") == ["56"]
    assert status(store, "5-8916") == "AnsweredDeadlineUnknown"


def test_seed_statuses(seeds_out: Path) -> None:
    store = graph(seeds_out)
    assert status(store, "5-8913") == "AnsweredDeadlineUnknown"  # legislature 5 prints no deadline
    assert values(store, "5-8913", "daysToAnswer") == ["129"]
    assert status(store, "5-8916") == "AnsweredDeadlineUnknown"
    assert values(store, "5-8916", "daysToAnswer") == ["35"]
    assert status(store, "5-8900") == "NotLoaded"


# --- determinism -----------------------------------------------------------------------------


def test_two_builds_write_byte_identical_graphs(corpus: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    build([corpus], first, as_of=AS_OF)
    build([corpus], second, as_of=AS_OF)
    for name in ("graph.nt.gz", "graph.ttl"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_an_incremental_build_gives_the_full_builds_statistics(corpus: Path, tmp_path: Path) -> None:
    """Adding an answer to one question changes its status and the figures; the incremental
    build's files equal a full build's."""
    folder = tmp_path / "docs"
    shutil.copytree(corpus, folder)
    out = tmp_path / "out"
    build([folder], out, as_of=AS_OF)
    changed = folder / "web-fr-5-9004.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("5/8/2013 Rappel", "5/8/2013 Rappel\n9/9/2013Réponse"),
        encoding="utf-8",
    )
    report = build([folder], out, as_of=AS_OF)
    assert report.reused == len(CASES) - 1
    assert status(graph(out), "5-9004") == "AnsweredLate"
    full = tmp_path / "full"
    build([folder], full, as_of=AS_OF, full=True)
    for name in ("graph.nt.gz", "graph.ttl"):
        assert (out / name).read_bytes() == (full / name).read_bytes(), name


# --- deadline rules (reference/deadlines.toml lists none yet; the code that applies them) -----

RULE = {"legislatures": [5], "days": 20, "unit": "working", "article": "art. 70", "source": "https://example.org/rules"}


def test_a_rule_gives_a_deadline_in_working_days_with_its_source() -> None:
    from kg.rdf.answer_times import Timing, outcome, question_lines
    from kg.reference.deadlines import parse_rules

    rules = parse_rules({"rule": [RULE]}, "deadlines.toml")
    asked = date(2013, 5, 1)  # 20 working days later, past Ascension (9 May) and Whit Monday (20 May)
    timing = Timing(Q + "5-1", 5, asked, answered=date(2013, 5, 30))
    found = outcome(timing, date(2013, 6, 30), rules, {})
    assert found.deadline == date(2013, 5, 31) and working_days_between(asked, date(2013, 5, 31)) == 20
    assert found.status == "answered-on-time" and found.deadline_rule is rules[0]
    lines = list(question_lines(found, UriMinter()))
    assert f"<{Q}5-1> <{KG}deadlineSource> <https://example.org/rules> ." in lines
    # the printed deadline wins over the rule; a legislature the rule does not cover has none
    printed = outcome(Timing(Q + "5-2", 5, asked, printed_deadline=date(2013, 5, 10)), date(2013, 6, 30), rules, {})
    assert printed.deadline == date(2013, 5, 10) and printed.status == "open-past-deadline"
    other = outcome(Timing(Q + "4-3", 4, asked), date(2013, 6, 30), rules, {4: date(2014, 1, 1)})
    assert other.deadline is None and other.status == "open-deadline-unknown"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"legislatures": []}, "rule 1: needs legislatures"),
        ({"days": 0}, "rule 1: needs days"),
        ({"unit": "weeks"}, "rule 1: unit must be"),
        ({"source": ""}, "rule 1: needs source"),
    ],
)
def test_a_bad_rule_is_refused_naming_the_file_and_the_rule(change: dict, message: str) -> None:
    from kg.reference.deadlines import parse_rules

    with pytest.raises(ValueError, match=f"deadlines.toml: {message}"):
        parse_rules({"rule": [{**RULE, **change}]}, "deadlines.toml")


def test_the_shipped_deadline_rules_load() -> None:
    from kg.reference.deadlines import load_deadline_rules

    assert load_deadline_rules() == ()  # none confirmed yet (docs/statistics.md): no deadline is guessed


def test_the_corpus_graph_conforms_to_the_shapes(corpus_out: Path) -> None:
    from kg.validate import validate_file

    result = validate_file(corpus_out / "graph.ttl")
    assert result.conforms, [str(v) for v in result.violations[:5]]


def test_kg_build_refuses_a_wrong_deadline_file_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import kg.reference.deadlines
    from kg.cli import main

    bad = tmp_path / "deadlines.toml"
    bad.write_text('[[rule]]\nlegislatures = [5]\ndays = 20\nunit = "fortnights"\n', encoding="utf-8")
    monkeypatch.setattr(kg.reference.deadlines, "DEADLINES_FILE", bad)
    assert main(["build", "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert f"{bad}: rule 1: unit must be" in capsys.readouterr().err
    assert not (tmp_path / "out" / "graph.nt.gz").exists()


def test_timings_read_back_and_merged_equal_the_dataclass_made_ones() -> None:
    """Timings are read back and merged without the dataclass's __init__ and replace (the build
    does it per question): the same values, equal and hashed alike, and no field made up."""
    import dataclasses

    from kg.rdf.answer_times import Timing, _replaced

    dutch = Timing(
        "q/5-1",
        5,
        date(2012, 3, 1),
        answered=date(2012, 5, 2),
        reminders=(date(2012, 4, 2),),
        ministers=("p/b", "p/a"),
        author="p/x",
        siblings=("q/5-2",),
        addressed=2,
        addressed_with_holder=1,
    )
    french = Timing(
        "q/5-1",
        5,
        date(2012, 2, 28),
        printed_deadline=date(2012, 4, 1),
        reminders=(date(2012, 4, 9), date(2012, 4, 2)),
        ministers=("p/c",),
        party="party/x",
        author_reconciled=True,
    )
    for timing in (dutch, french):
        read = Timing.from_json(timing.to_json())
        assert read == timing and hash(read) == hash(timing) and vars(read) == vars(timing)
    merged = dutch.merge(french)
    expected = dataclasses.replace(
        dutch,
        asked=date(2012, 2, 28),
        printed_deadline=date(2012, 4, 1),
        reminders=(date(2012, 4, 2), date(2012, 4, 9)),
        ministers=("p/a", "p/b", "p/c"),
        party="party/x",
        author_reconciled=True,
    )
    assert merged == expected and vars(merged) == vars(expected)
    with pytest.raises(dataclasses.FrozenInstanceError):
        merged.asked = date(2000, 1, 1)  # type: ignore[misc]
    with pytest.raises(TypeError, match="not fields"):
        _replaced(dutch, askd=date(2000, 1, 1))
