"""How fast the social-media extraction runs: records/s for `kg.extract.extract` alone and with
the mapping to triples (`kg.rdf.social.social_triples`), over generated documents.

    .venv/bin/python benchmarks/extract.py [--count 2000] [--seed 0]

Documents come from `kg.synth` (deterministic by seed) and are parsed before timing starts, so
only the extraction is measured; times are CPU time of this process (time.process_time), so
other work on the machine does not inflate them.
"""

from __future__ import annotations

import argparse
import platform
import time

from kg.extract import extract
from kg.parse import parse_text
from kg.rdf.social import social_triples
from kg.synth import generate
from kg.uris import UriMinter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    records = [
        record for name, text in generate(args.count, seed=args.seed) for record in parse_text(text, name).questions
    ]
    answered = sum(record.answer is not None for record in records)
    minter = UriMinter()
    extract(records[0])  # load the gazetteer and patterns outside the timing

    start = time.process_time()
    facts = sum(len(extract(record).facts) for record in records)
    extract_seconds = time.process_time() - start

    start = time.process_time()
    triples = sum(1 for record in records for _ in social_triples(record, minter))
    triples_seconds = time.process_time() - start

    print(
        f"{len(records)} records ({answered} answered) from {args.count} documents, "
        f"Python {platform.python_version()} on {platform.machine()}"
    )
    print(
        f"extract:        {len(records) / extract_seconds:9.0f} records/s "
        f"({extract_seconds * 1e3 / len(records):.3f} ms each), {facts} facts"
    )
    print(
        f"extract+triples:{len(records) / triples_seconds:9.0f} records/s "
        f"({triples_seconds * 1e3 / len(records):.3f} ms each), {triples} triples"
    )


if __name__ == "__main__":
    main()
