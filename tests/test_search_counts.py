"""Facet counts of a query matching most questions are taken from the counts of all questions
minus those of the questions it does not match: the same counts as counted over its hits."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import search_corpus

import kg.search.reader as reader
from kg.build.pipeline import build
from kg.search.reader import FacetValue, Hit, SearchIndex, SearchRequest

QUERIES = ("", "-twitter", "de OR het OR la OR le", "soci*", "sociale media", "fedasil", "-fedasil")
FILTERS: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] = (
    (),
    (("status", ("answered",)),),
    (("legislature", ("5",)), ("party", ("Groen", "Nobody"))),
)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search-counts")
    assert not build(search_corpus(), out).failed
    return out


Answer = tuple[str, object, str, int, dict[str, list[FacetValue]], list[tuple[int, int]], list[Hit]]


def everything(index: SearchIndex) -> list[Answer]:
    found: list[Answer] = []
    for q in QUERIES:
        for filters in FILTERS:
            for language in ("nl", "fr"):
                result = index.search(SearchRequest(q=q, filters=filters, language=language))
                found.append((q, filters, language, result.total, result.facets, result.years, result.hits))
    return found


def test_counts_over_the_rest_equal_counts_over_the_hits(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    complements = []
    counted = reader._counts

    def spy(searcher: object, query: object, language: str, size: int) -> dict[str, dict[str, int]]:
        complements.append(size == reader.ALL_VALUES)
        return counted(searcher, query, language, size)  # type: ignore[arg-type]

    monkeypatch.setattr(reader, "_counts", spy)
    taken = everything(SearchIndex.open(data))
    assert any(complements) and not all(complements)  # both ways were taken
    monkeypatch.setattr(reader, "COMPLEMENT_SHARE", 2.0)  # never over the rest
    complements.clear()
    direct = everything(SearchIndex.open(data))
    assert not any(complements)
    assert taken == direct
    assert any(total > 0 and facets["party"] for _, _, _, total, facets, _, _ in direct)


def test_status_counted_from_sets_equals_the_status_of_every_hit(data: Path) -> None:
    index = SearchIndex.open(data)
    late = False
    for q in QUERIES:
        for language in ("nl", "fr"):
            result = index.search(SearchRequest(q=q, size=100, language=language))
            assert result.total == len(result.hits)  # every hit on one page: all of them recounted
            expected = Counter(code for hit in result.hits for code in hit.status)
            assert {v.value: v.count for v in result.facets["status"]} == expected
            late = late or any(len(hit.status) > 1 for hit in result.hits)
    assert late  # a question with two values (answered and answered late) was among them
