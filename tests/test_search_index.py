"""The search index `kg build` writes, read back through `kg.search.reader`: language analysis,
the query language, facets, status, and that incremental builds and swaps keep it right."""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import search_corpus

from kg.build.pipeline import build
from kg.parse import parse_text
from kg.search.query import QueryError
from kg.search.reader import CHECK_EVERY, SearchIndex, SearchRequest, SearchResult
from kg.search.schema import current_folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search-build")
    report = build(search_corpus(), out)
    assert not report.failed, report.failed
    return out


@pytest.fixture(scope="module")
def index(corpus: Path) -> SearchIndex:
    return SearchIndex.open(corpus)


def search(index: SearchIndex, q: str = "", **options: object) -> SearchResult:
    return index.search(SearchRequest(q=q, size=100, **options))  # type: ignore[arg-type]


def numbers(result: SearchResult) -> set[str]:
    return {hit.number for hit in result.hits}


def test_the_build_writes_the_index_beside_the_graph(corpus: Path) -> None:
    folder = current_folder(corpus)
    assert folder is not None and folder.parent == corpus / "search"
    assert (corpus / "search" / "CURRENT").read_text().strip() == folder.name


def test_dutch_stemming_finds_the_singular_from_the_plural(index: SearchIndex) -> None:
    # The two seeds have the descriptor "ministerie"; the query says "ministeries".
    assert numbers(search(index, "ministeries")) == numbers(search(index, "ministerie"))
    assert {"5-8913", "5-8916"} <= numbers(search(index, "descriptor:ministeries"))


def test_dutch_accents_are_folded(index: SearchIndex) -> None:
    # The seeds print "(potentiële) klanten"; typed without the diaeresis.
    found = search(index, "potentiele")
    assert numbers(found) == {"5-8913", "5-8916"}
    assert "<mark>potentiële</mark>" in found.hits[0].snippet_html


def test_french_plural_and_accents_fold_to_the_same_word(index: SearchIndex) -> None:
    # "médias sociaux" is in 5-8914's text and 5-12's title; 4-1234 has "média social".
    with_accents = numbers(search(index, '"médias sociaux"'))
    assert {"5-8914", "5-12", "4-1234"} <= with_accents
    assert numbers(search(index, '"MEDIA SOCIAL"')) == with_accents


def test_a_phrase_needs_its_words_in_order(index: SearchIndex) -> None:
    assert numbers(search(index, '"gebruik van sociale media"')) == {"5-8913", "5-8916"}
    assert numbers(search(index, "sociale gebruik media")) == {"5-8913", "5-8916"}
    assert numbers(search(index, '"sociale gebruik media"')) == set()


def test_a_minus_excludes(index: SearchIndex) -> None:
    with_word = numbers(search(index, "media"))
    for excluded in ("facebook", "twitter"):
        without = numbers(search(index, f"media -{excluded}"))
        assert without and without == with_word - numbers(search(index, excluded))


def test_or_gives_either(index: SearchIndex) -> None:
    either = numbers(search(index, "facebook OR fedasil"))
    assert either == numbers(search(index, "facebook")) | numbers(search(index, "fedasil"))


def test_a_prefix_finds_every_word_that_starts_with_it(index: SearchIndex) -> None:
    # "sociale" (nl), "sociaux" and "social" (fr) all start with "soci".
    assert numbers(search(index, "soci*")) >= numbers(search(index, "sociale")) | numbers(search(index, "sociaux"))
    assert numbers(search(index, "sociale*")) >= numbers(search(index, "sociale"))


def test_field_filters_search_one_field(index: SearchIndex) -> None:
    in_title = numbers(search(index, "title:politie"))
    assert in_title == {"5-12", "4-7001"} & numbers(search(index, "politie")) and in_title
    assert numbers(search(index, "asker:taelman")) == {"5-8913", "5-8914", "5-8916"}
    assert numbers(search(index, "asker:facebook")) == set()
    assert numbers(search(index, "answer:facebook")) <= numbers(search(index, "facebook"))


def test_dutch_and_french_versions_of_a_question_are_one_hit(index: SearchIndex) -> None:
    dutch, french = search(index, "crisiscommunicatie"), search(index, "communication de crise")
    assert [h.number for h in dutch.hits].count("5-12") == 1
    assert "5-12" in numbers(french)
    hit = next(h for h in dutch.hits if h.number == "5-12")
    assert hit.languages == ("nl", "fr") and hit.language == "nl"
    assert next(h for h in french.hits if h.number == "5-12").language == "fr"


def test_facet_counts_match_the_hits_they_narrow_to(index: SearchIndex) -> None:
    everything = search(index)
    assert everything.total == len(everything.hits)
    for facet, values in everything.facets.items():
        for value in values:
            narrowed = search(index, filters=((facet, (value.value,)),))
            assert narrowed.total == value.count, (facet, value.value)
    parties = Counter(hit.party for hit in everything.hits if hit.party)
    assert {v.value: v.count for v in everything.facets["party"]} == dict(parties)
    assert sum(count for _, count in everything.years) == everything.total


def test_facets_count_for_the_current_query(index: SearchIndex) -> None:
    found = search(index, "sociale media")
    assert sum(v.count for v in found.facets["legislature"]) == found.total
    assert {v.value: v.count for v in found.facets["asker"]} == dict(Counter(h.asker for h in found.hits))


def test_unanswered_counts_only_questions_kg_holds(index: SearchIndex, corpus: Path) -> None:
    # The seeds link to siblings 5-8900 ... 5-8918 that are known only by number: not loaded,
    # so neither a hit nor "unanswered".
    records = [r for path in search_corpus() for r in parse_text(path.read_bytes(), path.name).questions]
    loaded = {str(r.number) for r in records}
    linked = {str(link.target) for r in records for link in r.links} - loaded
    assert linked, "the corpus should link to questions it does not hold"
    everything = search(index)
    assert numbers(everything) == loaded and not numbers(everything) & linked
    answered = {str(r.number) for r in records if r.answer is not None or any(e.kind == "answer" for e in r.chronology)}
    status = {v.value: v.count for v in everything.facets["status"]}
    assert status["unanswered"] == len(loaded - answered)
    assert status["answered"] == len(answered)
    assert numbers(search(index, filters=(("status", ("unanswered",)),))) == loaded - answered


def test_sort_by_date_orders_hits_by_the_day_asked(index: SearchIndex) -> None:
    newest = [h.asked for h in search(index, "media", sort="date").hits]
    oldest = [h.asked for h in search(index, "media", sort="date-asc").hits]
    assert newest == sorted(newest, reverse=True) and oldest == sorted(oldest) and len(newest) > 2


def test_paging_gives_each_hit_once(index: SearchIndex) -> None:
    total = search(index).total
    seen = [h.number for page in range(1, total + 1) for h in index.search(SearchRequest(page=page, size=1)).hits]
    assert sorted(seen) == sorted(numbers(search(index)))


def test_snippets_escape_the_text_and_mark_the_matches(index: SearchIndex) -> None:
    hit = search(index, "FOD").hits[0]
    assert "<mark>FOD</mark>" in hit.snippet_html
    assert "&#x27;" in hit.snippet_html or "'" not in hit.snippet_html  # "FOD's" escaped


@pytest.mark.parametrize("query", ["%%%", '"..."', "title:(%% OR ...)"])
def test_a_query_with_nothing_to_search_is_an_error(index: SearchIndex, query: str) -> None:
    with pytest.raises(QueryError):
        search(index, query)


def test_a_bad_filter_or_page_is_an_error(index: SearchIndex) -> None:
    with pytest.raises(QueryError, match="year must be a number"):
        search(index, filters=(("year", ("twenty",)),))
    with pytest.raises(QueryError, match="unknown facet"):
        search(index, filters=(("colour", ("red",)),))
    with pytest.raises(QueryError, match="page"):
        index.search(SearchRequest(page=100_000))


def test_an_incremental_build_gives_the_index_a_full_build_gives(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in search_corpus():
        shutil.copy(path, docs / path.name)
    out = tmp_path / "out"
    build([docs], out)
    first = current_folder(out)
    reader = SearchIndex.open(out)
    assert "5-12" in numbers(search(reader, "facebook"))
    changed = docs / "bilingual-5-12.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("Facebook", "Mastodon"), encoding="utf-8")
    (docs / "web-nl-4-7001.txt").unlink()
    build([docs], out)
    second = current_folder(out)
    assert second is not None and second != first
    assert first is not None and first.exists()  # kept for readers that still have it open
    fresh = tmp_path / "fresh"
    build([docs], fresh, full=True)
    time.sleep(CHECK_EVERY + 0.1)  # the open reader looks at CURRENT again
    full = SearchIndex.open(fresh)
    for q in ("", "mastodon", "facebook", "politie", "sociale media", "soci*"):
        incremental, whole = search(reader, q), search(full, q)
        assert numbers(incremental) == numbers(whole), q
        assert incremental.facets == whole.facets, q
    assert "5-12" in numbers(search(reader, "mastodon"))
    assert "4-7001" not in numbers(search(reader))


def test_a_build_with_nothing_changed_keeps_the_index(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(search_corpus(), out)
    before = current_folder(out)
    build(search_corpus(), out)
    assert current_folder(out) == before


def test_the_index_is_rebuilt_from_documents_when_notes_are_missing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(search_corpus(), out)
    expected = numbers(search(SearchIndex.open(out), "sociale media"))
    for notes in (out / ".cache").glob("*/search-*"):
        shutil.rmtree(notes)
    shutil.rmtree(out / "search")
    build(search_corpus(), out)  # every document unchanged: nothing converted, nothing noted
    assert numbers(search(SearchIndex.open(out), "sociale media")) == expected


RELEVANCE = json.loads((Path(__file__).parent / "search" / "relevance.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize(
    "case", RELEVANCE, ids=[c["q"] + "".join(f" {k}={v}" for k, v in c.get("filters", {}).items()) for c in RELEVANCE]
)
def test_relevance_set(index: SearchIndex, case: dict) -> None:
    """Each query of tests/search/relevance.json puts the questions it names first."""
    filters = tuple((facet, tuple(values)) for facet, values in case.get("filters", {}).items())
    found = index.search(SearchRequest(q=case["q"], filters=filters, size=100))
    first = [hit.number for hit in found.hits[: len(case["first"])]]
    assert set(first) == set(case["first"]), (case["note"], [h.number for h in found.hits])
    if case.get("only"):
        assert found.total == len(case["first"]), (case["note"], [h.number for h in found.hits])


def test_two_builds_of_the_same_documents_answer_alike(tmp_path: Path) -> None:
    """Generated questions are much alike: many hits score the same, and still come in the same
    order from two builds."""
    from kg.synth import write_corpus

    docs = tmp_path / "docs"
    write_corpus(250, docs, seed=3)
    answers = []
    for name in ("one", "two"):
        build([docs], tmp_path / name)
        index = SearchIndex.open(tmp_path / name)
        answers.append(
            [
                [(h.number, h.score, h.snippet_html) for h in index.search(SearchRequest(q=q, size=100)).hits]
                for q in ("twitter", "sociale media", "", "facebook -twitter")
            ]
        )
    assert answers[0] == answers[1]
    assert len({h[1] for h in answers[0][0]}) < len(answers[0][0])  # there are ties to order


def test_an_index_that_cannot_be_locked_in_place_is_read_from_a_copy(corpus: Path, tmp_path: Path) -> None:
    """The engine takes a lock file even to read; on a read-only file system it cannot. Here
    the lock file is a folder, which it cannot open either."""
    folder = current_folder(corpus)
    assert folder is not None
    data = tmp_path / "data"
    shutil.copytree(corpus / "search", data / "search")
    lock = data / "search" / folder.name / ".tantivy-meta.lock"
    lock.unlink(missing_ok=True)
    lock.mkdir()
    assert numbers(search(SearchIndex.open(data), "sociale media")) == numbers(
        search(SearchIndex.open(corpus), "sociale media")
    )


def test_a_damaged_note_is_replaced_by_the_document(tmp_path: Path) -> None:
    """A note cut short (a build killed while writing it) is not trusted: the document is read
    again."""
    from kg.search.notes import COMPACTED, notes_dir

    out = tmp_path / "out"
    build(search_corpus(), out)
    expected = numbers(search(SearchIndex.open(out), "sociale media"))
    cache = next(p for p in (out / ".cache").iterdir() if p.is_dir() and (p / "index.jsonl").exists())
    compacted = notes_dir(cache) / COMPACTED
    lines = compacted.read_bytes().splitlines(keepends=True)
    compacted.write_bytes(b"".join(line[: len(line) // 2] + b"\n" for line in lines))
    shutil.rmtree(out / "search")
    build(search_corpus(), out)
    assert numbers(search(SearchIndex.open(out), "sociale media")) == expected
    assert compacted.read_bytes().splitlines(keepends=True) == lines  # written whole again
