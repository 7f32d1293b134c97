"""Page weight and render time of each HTML page kind on a generated graph.

    .venv/bin/python benchmarks/pages.py [--count 100000] [--work /tmp/kg-bench-pages]

Generates `--count` documents with kg.synth and builds them (both cached in --work, shared
with benchmarks/serve.py's `prepare`), starts `kg serve` on 127.0.0.1, and for each page kind
(questions, their askers and addressees, agencies, all found from the site's lists; the question list,
the list filtered by party and status, the home page) asks for 5 different pages of that kind
(or the same page 5 times where there is one): the HTML's size (bytes, and gzip-compressed as
served), the first request's time (described and rendered afresh) and the median of 5 repeats
(the server's cache of rendered documents). Prints Markdown.
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve import free_port, prepare, stop, wait_until_up  # noqa: E402


def links(page: str, prefix: str, count: int = 5) -> list[str]:
    """The first `count` distinct local links starting with `prefix` on a page."""
    html = httpx.get(page, headers={"Accept": "text/html"}, timeout=600).text
    found: list[str] = []
    for href in re.findall(r'href="(' + re.escape(prefix) + r'[^"?#]*)', html):
        if href not in found:
            found.append(href)
    return found[:count]


def measure(client: httpx.Client, url: str) -> tuple[int, int, float, float]:
    """(bytes, gzip bytes, first request seconds, median of 5 repeats)."""
    started = time.perf_counter()
    response = client.get(url, headers={"Accept": "text/html"})
    first = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url}: {response.status_code} {response.text[:200]}")
    repeats = []
    for _ in range(5):
        started = time.perf_counter()
        client.get(url, headers={"Accept": "text/html"})
        repeats.append(time.perf_counter() - started)
    return len(response.content), len(gzip.compress(response.content)), first, statistics.median(repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000, help="documents to generate (default 100000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench-pages")
    args = parser.parse_args()
    out, build_seconds = prepare(args.count, args.seed, args.work)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", "--data", str(out), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(url, process, 900)
        # pages to ask for, found by following the site's own lists (no query to wait for)
        found = links(url + "list/questions?sort=date&order=desc", "/doc/question/", 10)
        questions = found[:5]  # measured first-hand; the next five lead to people
        people = [links(url.rstrip("/") + q, "/doc/person/") for q in found[5:]]
        senators = [group[0] for group in people if group]
        ministers = [group[-1] for group in people if len(group) > 1]
        agencies = links(url + "list/agencies", "/doc/agency/")
        kinds = {
            "question": [url.rstrip("/") + q for q in questions],
            "senator": [url.rstrip("/") + s for s in senators],
            "minister": [url.rstrip("/") + m for m in ministers],
            "agency": [url.rstrip("/") + a for a in agencies],
            "question list": [url + f"list/questions?page={n}" for n in range(1, 6)],
            "question list, filtered": [url + "list/questions?status=AnsweredLate&sort=number"] * 5,
            "home": [url] * 5,
        }
        print(f"## HTML pages at {args.count:,} generated questions\n")
        if build_seconds is not None:
            print(f"(built in {build_seconds:.0f} s)\n")
        print("| page kind | HTML KB (median) | gzip KB | first request ms (median) | cached ms |")
        print("|---|---:|---:|---:|---:|")
        with httpx.Client(timeout=300) as client:
            for kind, urls in kinds.items():
                if not urls:
                    continue
                results = [measure(client, u) for u in urls]
                size = statistics.median(r[0] for r in results) / 1000
                packed = statistics.median(r[1] for r in results) / 1000
                first = statistics.median(r[2] for r in results) * 1000
                cached = statistics.median(r[3] for r in results) * 1000
                print(f"| {kind} | {size:.1f} | {packed:.1f} | {first:.0f} | {cached:.1f} |")
    finally:
        stop(process)


if __name__ == "__main__":
    main()
