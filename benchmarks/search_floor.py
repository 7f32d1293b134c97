"""What one search costs the CPU inside the search engine and kg's reader, without HTTP: the floor
under the latency of many clients at once.

    .venv/bin/python benchmarks/search_floor.py --data DIR [--rounds 5] [--clients 16] [--cores N]

DIR is a folder `kg build` wrote (with its search index), e.g. the one `benchmarks/search.py
--count 100000 --work W` leaves in W. For each word of `benchmarks/search.py`'s WORDS, asked in
a new mix of upper and lower case each round (so kg's facet cache never answers), it times in
this process, as CPU time:

- engine, hits: Tantivy's search for the first 20 hits and the count;
- engine, facet counts: Tantivy's aggregation of every facet over the hits, as kg asks it
  (`kg.search.reader._counts`);
- engine, facet counts with kg's shortcut: a query matching more than half of the questions
  counted over the questions it does not match instead (then taken from the counts of all,
  counted once beforehand);
- kg reader, facets counted: `SearchIndex.search` as a search worker runs it (hits, snippets,
  facets with the shortcut, years);
- kg reader, hits only: the same with `facets=False`.

With C ms of CPU a search, `--clients` clients each sending its next search when the last is
answered keep `--cores` cores busy and wait about clients x C / cores ms each: the p50 at that
load cannot be lower, whatever runs around the engine. Prints Markdown for docs/search.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from search import WORDS, unique  # noqa: E402  (the search benchmark's words, the same mixes of case)

from kg.search.compile import compile_query  # noqa: E402
from kg.search.query import parse  # noqa: E402
from kg.search.reader import COMPLEMENT_SHARE, FACET_SIZE, SearchIndex, SearchRequest, _complement, _counts  # noqa: E402


def cpu_ms(rounds: int, ask: Callable[[str], object]) -> float:
    """CPU milliseconds per search, over `rounds` rounds of every word (each a new query)."""
    for i in range(len(WORDS)):  # warm: the index's files in the page cache
        ask(unique(i))
    asked = 0
    started = time.process_time()
    for i in range(len(WORDS), len(WORDS) * (rounds + 1)):
        ask(unique(i))
        asked += 1
    return (time.process_time() - started) / asked * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a folder kg build wrote, with its search index")
    parser.add_argument("--rounds", type=int, default=5, help="times each word is asked (default 5)")
    parser.add_argument("--clients", type=int, default=16, help="clients of the floor computed (default 16)")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1, help="cores (default: this machine's)")
    args = parser.parse_args()

    index = SearchIndex.open(args.data)
    searcher = index.current().searcher()

    def hits(q: str) -> object:
        query = compile_query(parse(q))
        assert query is not None
        return searcher.search(query, 20, count=True)

    def facets(q: str) -> object:
        query = compile_query(parse(q))
        assert query is not None
        return _counts(searcher, query, "nl", FACET_SIZE)

    def shortcut(q: str) -> object:
        query = compile_query(parse(q))
        assert query is not None
        matched = getattr(searcher.search(query, 1, count=True), "count", 0) or 0
        if matched > COMPLEMENT_SHARE * searcher.num_docs:
            return _counts(searcher, _complement(query), "nl", FACET_SIZE)
        return _counts(searcher, query, "nl", FACET_SIZE)

    def reader(with_facets: bool) -> Callable[[str], object]:
        return lambda q: index.search(SearchRequest(q=q, facets=with_facets))

    rows = [
        ("engine, hits (first 20 and the count)", cpu_ms(args.rounds, hits)),
        ("engine, facet counts over the hits", cpu_ms(args.rounds, facets)),
        ("engine, facet counts with kg's shortcut", cpu_ms(args.rounds, shortcut)),
        ("kg reader, facets counted", cpu_ms(args.rounds, reader(True))),
        ("kg reader, hits only", cpu_ms(args.rounds, reader(False))),
    ]
    matched = [int(getattr(hits(word), "count", 0) or 0) for word in WORDS]
    print(
        f"Run {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}: {searcher.num_docs:,} questions indexed; {len(WORDS)} words x "
        f"{args.rounds} rounds, each a new query; the words match {min(matched):,} to {max(matched):,} "
        f"questions (median {sorted(matched)[len(matched) // 2]:,}); load average before "
        f"{os.getloadavg()[0]:.1f}.\n"
    )
    print("Command: `.venv/bin/python benchmarks/search_floor.py " + " ".join(sys.argv[1:]) + "`\n")
    print(f"| in one process, CPU | ms a search | p50 floor at {args.clients} clients on {args.cores} cores |")
    print("|---|---:|---:|")
    for label, ms in rows:
        print(f"| {label} | {ms:.2f} | {args.clients * ms / args.cores:.0f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
