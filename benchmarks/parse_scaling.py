"""How parse time grows with the size of one document: a seed question with 10,000 to 1,000,000
repeated lines of one kind (sibling questions, descriptors, chronology entries, paragraphs,
blank lines). Linear growth shows as a flat time per line.

    .venv/bin/python benchmarks/parse_scaling.py [--sizes 10000 100000 1000000]
"""

from __future__ import annotations

import argparse
import time

from kg.parse import parse_text
from kg.parse.records import DocumentError
from kg.paths import SEEDS_DIR

SEED = (SEEDS_DIR / "5-8913-nl.txt").read_text(encoding="utf-8")
SIBLING = "Ook gesteld aan : schriftelijke vraag 5-8900\n"
KINDS = {
    "siblings": lambda n: SEED.replace(SIBLING, SIBLING * n, 1),
    "descriptors": lambda n: SEED.replace("\nministerie\n", "\n" + "ministerie\n" * n, 1),
    "chronology": lambda n: SEED.replace("6/9/2013Antwoord\n", "6/9/2013Antwoord\n" + "1/5/2013Herinnering\n" * n, 1),
    "paragraphs": lambda n: SEED.replace("Graag kreeg ik", "Zin.\n\n" * (n // 2) + "Graag kreeg ik", 1),
    "blank lines": lambda n: SEED.replace("\n\n", "\n" * n, 1),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    print(f"{'kind':<12} {'lines':>10} {'seconds':>8} {'µs/line':>8}  outcome")
    for kind, make in KINDS.items():
        for size in args.sizes:
            text = make(size)
            started = time.process_time()
            try:
                parse_text(text, "scaling.txt")
                outcome = "parsed"
            except DocumentError as error:
                outcome = f"refused: {error}"[:60]
            seconds = time.process_time() - started
            print(f"{kind:<12} {size:>10,} {seconds:>8.2f} {seconds / size * 1e6:>8.2f}  {outcome}", flush=True)


if __name__ == "__main__":
    main()
