"""Parser and generator throughput, over generated documents of all renderings.

    python benchmarks/parse.py [--count N] [--seed S]

Prints documents per second for generation (`kg.synth.generate`) and parsing
(`kg.parse.parse_text` on the UTF-8 bytes), and the time per document of the seeds.
"""

from __future__ import annotations

import argparse
import time

from kg.parse import parse_text
from kg.paths import SEEDS_DIR
from kg.synth import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    start = time.perf_counter()
    documents = [(name, text.encode("utf-8")) for name, text in generate(args.count, args.seed)]
    generated = time.perf_counter() - start
    size = sum(len(data) for _, data in documents)
    print(
        f"generate: {args.count} documents ({size / 1e6:.1f} MB) in {generated:.2f} s, "
        f"{args.count / generated:,.0f} documents/s"
    )

    start = time.perf_counter()
    records = 0
    for name, data in documents:
        records += len(parse_text(data, name).questions)
    parsed = time.perf_counter() - start
    print(
        f"parse:    {args.count} documents ({records} records) in {parsed:.2f} s, "
        f"{args.count / parsed:,.0f} documents/s, {parsed / args.count * 1e6:.0f} µs/document"
    )

    for path in sorted(SEEDS_DIR.glob("*.txt")):
        data = path.read_bytes()
        rounds = 500
        start = time.perf_counter()
        for _ in range(rounds):
            parse_text(data, path.name)
        elapsed = (time.perf_counter() - start) / rounds
        print(f"seed {path.name} ({len(data)} bytes): {elapsed * 1e6:.0f} µs/document")


if __name__ == "__main__":
    main()
