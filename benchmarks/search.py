"""Search benchmark: the index's build time and size, and search latency beside SPARQL CONTAINS.

    .venv/bin/python benchmarks/search.py [--count 10000] [--clients 16] [--duration 8] [--work DIR]

Generates `--count` documents with `kg synth` (kept in --work), then:

1. builds them from scratch without the search index (the build's notes and index writer
   replaced by nothing) and with it, alternated `--rounds` times: the fastest build each way, the
   index phase, the index size;
2. rebuilds after changing one document: the index phase of an incremental build;
3. starts `kg serve` on 127.0.0.1 and drives it with one client, then `--clients` concurrent
   keep-alive connections, for `--duration` seconds each per scenario: `/search.json` with facets, without
   (`facets=0`), and the SPARQL a user would write instead, `CONTAINS` over every title and
   paragraph (the first 20, and the count), each query text made new by a comment so that the
   server's result cache does not answer it. Words are drawn in turn from WORDS.

Facet counts are kept per query (the last 256), as paging through one query's hits would reuse
them: "facets counted" asks every word in a new mix of upper and lower case (the same hits, a
query not seen before), "facets kept" asks the same 20 queries again and again. Prints Markdown for
docs/search.md.

The load comes from `wrk` when it is on PATH (`--driver auto`, the default): a load generator
in C, which leaves the shared cores to the server (the Python one costs about 2 ms of them a
request). A Lua script gives each request its own path from a list made here, the same requests
the Python driver sends, in the same order; wrk gives the latency percentiles. Without wrk (or
with `--driver httpx`) the requests are sent by httpx from this process. The output says which.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import wrk  # noqa: E402  (benchmarks/wrk.py, the wrk driver the benchmarks share)

WORDS = [
    "twitter",
    "facebook",
    "selor",
    "bpost",
    "politie",
    "abonnés",
    "volgers",
    "citoyens",
    "burgers",
    "statbel",
    "médias sociaux",
    "sociale media",
    "communicatie",
    "réponse",
    "fedasil",
    "linkedin",
    "youtube",
    "informatie",
    "instagram",
    "crisis",
]
Request = Callable[[int], tuple[str, dict[str, str], dict[str, str]]]  # i -> path, parameters, headers
CONTAINS_FIRST = """PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT DISTINCT ?s WHERE {{ {{ ?s dct:title ?v }} UNION {{ ?s rdf:value ?v }}
  FILTER(CONTAINS(LCASE(STR(?v)), "{word}")) }} LIMIT 20"""
CONTAINS_COUNT = """PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {{ ?s dct:title ?v }} UNION {{ ?s rdf:value ?v }}
  FILTER(CONTAINS(LCASE(STR(?v)), "{word}")) }}"""


def generate(count: int, work: Path) -> Path:
    docs = work / f"docs-{count}"
    if not docs.is_dir():  # written aside and renamed: a run stopped midway leaves no half corpus
        partial = work / f".docs-{count}-{os.getpid()}"
        subprocess.run(
            [sys.executable, "-m", "kg.cli", "synth", "--count", str(count), "--out", str(partial), "--quiet"],
            check=True,
        )
        partial.rename(docs)
    return docs


def timed_build(docs: Path, out: Path, with_search: bool) -> tuple[float, dict[str, float]]:
    from kg.build import pipeline
    from kg.search.writer import IndexReport

    shutil.rmtree(out, ignore_errors=True)
    saved = pipeline.search_note, pipeline.write_index, pipeline.INDEX_BESIDE_THRESHOLD
    if not with_search:
        pipeline.search_note = lambda *args: None
        pipeline.write_index = lambda *args, **kwargs: IndexReport(out, 0, 0, True, 0.0)
        pipeline.INDEX_BESIDE_THRESHOLD = 10**12  # the (replaced) index written in this process
    try:
        started = time.monotonic()
        report = pipeline.build([docs], out)
        return time.monotonic() - started, report.phases
    finally:
        pipeline.search_note, pipeline.write_index, pipeline.INDEX_BESIDE_THRESHOLD = saved


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def change_one(docs: Path) -> tuple[Path, bytes]:
    path = sorted(docs.iterdir())[len(list(docs.iterdir())) // 2]
    original = path.read_bytes()
    path.write_bytes(original.replace(b"Twitter", b"Mastodon", 1))
    return path, original


async def drive(url: str, make: Request, clients: int, duration: float) -> tuple[int, int, list[float]]:
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + duration
    counter = iter(range(10**9))

    async def client() -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=url, timeout=60) as http:
            while time.monotonic() < deadline:
                path, params, headers = make(next(counter))
                started = time.monotonic()
                response = await http.get(path, params=params, headers=headers)
                latencies.append(time.monotonic() - started)
                errors += response.status_code != 200

    await asyncio.gather(*(client() for _ in range(clients)))
    return len(latencies), errors, latencies


WRK_HEADERS = {"Accept-Encoding": "gzip, deflate"}  # as httpx and browsers ask: the server compresses
WRK_THREADS = 1  # one event loop is plenty for 16 connections, and leaves the cores to the server


def drive_wrk(url: str, make: Request, clients: int, duration: float, program: str) -> tuple[float, int, float, float]:
    """`clients` connections of wrk for `duration` seconds (benchmarks/wrk.py): requests a second,
    errors, p50 and p95 in ms."""
    from urllib.parse import urlencode

    listed = []
    for i in range(WRK_REQUESTS):
        path, params, headers = make(i)
        listed.append((path + ("?" + urlencode(params) if params else ""), {**WRK_HEADERS, **headers}))
    run = wrk.run(url, listed, clients, duration=duration, threads=WRK_THREADS, wrk=program)
    return run.rate, run.errors, run.percentiles[50] * 1000, run.percentiles[95] * 1000


def unique(i: int) -> str:
    """The i-th word in its own mix of upper and lower case: the same hits, but a query the
    server has not seen, so its facets are counted."""
    word = WORDS[i % len(WORDS)]
    bits = i // len(WORDS) + 1
    return "".join(c.upper() if bits >> (n % 20) & 1 else c for n, c in enumerate(word))


WRK_REQUESTS = 40_000  # paths listed for wrk: more than a scenario sends (then it starts again)


def measure(url: str, make: Request, clients: int, duration: float, wrk: str | None) -> tuple[float, int, float, float]:
    """Requests a second, errors, p50 and p95 in ms: sent by wrk when given, else by httpx."""
    if wrk is not None:
        return drive_wrk(url, make, clients, duration, wrk)
    done, errors, latencies = asyncio.run(drive(url, make, clients, duration))
    return done / duration, errors, percentile(latencies, 50), percentile(latencies, 95)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000 if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-search-bench")
    parser.add_argument("--rounds", type=int, default=2, help="builds each way, alternated (the fastest counts)")
    parser.add_argument("--serve-only", action="store_true", help="measure searches on the last run's build")
    parser.add_argument("--search-only", action="store_true", help="leave out the SPARQL CONTAINS rows")
    parser.add_argument(
        "--search-workers", type=int, default=2, help="kg serve --search-workers (0: searches in the server's process)"
    )
    parser.add_argument(
        "--driver",
        choices=("auto", "wrk", "httpx"),
        default="auto",
        help="what sends the requests: wrk (C) when on PATH, else httpx (auto); or either",
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    docs = generate(args.count, args.work)
    out = args.work / "out"
    from kg.search.schema import current_folder

    print(f"## Search at {args.count:,} documents ({platform.machine()}, {os.cpu_count()} cores)\n", flush=True)
    if not args.serve_only:
        # Alternated, the fastest of each kept: on a shared machine the load changes meanwhile.
        plain_times, search_times = [], []
        for _ in range(args.rounds):
            plain_times.append(timed_build(docs, args.work / "plain", with_search=False)[0])
            shutil.rmtree(args.work / "plain", ignore_errors=True)
            seconds, phases = timed_build(docs, out, with_search=True)
            search_times.append(seconds)
        plain_seconds, search_seconds = min(plain_times), min(search_times)
        changed, original = change_one(docs)
        try:
            again_seconds, again = timed_build_incremental(docs, out)
        finally:
            changed.write_bytes(original)
        print("| | seconds |\n|---|---|")
        print(f"| build without the index | {plain_seconds:.1f} |")
        print(f"| build with the index | {search_seconds:.1f} (+{100 * (search_seconds / plain_seconds - 1):.0f}%) |")
        print(f"| writing the index (beside the graph files) | {phases.get('search', 0):.1f} |")
        print(f"| of which the build waited for | {phases.get('search_wait', 0):.1f} |")
        print(f"| incremental build, one document changed | {again_seconds:.1f} (index {again.get('search', 0):.2f}) |")
    folder = current_folder(out)
    assert folder is not None, f"{out}: no index; run without --serve-only first"
    print(
        f"\nIndex: {folder_mb(folder):.1f} MB; graph.nt.gz {(out / 'graph.nt.gz').stat().st_size / 1e6:.1f} MB\n",
        flush=True,
    )

    wrk = shutil.which("wrk") if args.driver in ("auto", "wrk") else None
    if args.driver == "wrk" and wrk is None:
        parser.error("--driver wrk: wrk is not on PATH")
    driver_name = f"wrk ({wrk}, {WRK_THREADS} thread)" if wrk else "httpx (Python, in the benchmark's process)"
    server = serve(out, args.search_workers)
    try:
        for path in ("", ".well-known/void"):  # what the server computes at start, done before measuring
            httpx.get(server[1] + path, timeout=600)
        scenarios = {
            "search, facets counted": lambda i: ("/search.json", {"q": unique(i)}, {}),
            "search, facets kept from before": lambda i: ("/search.json", {"q": WORDS[i % len(WORDS)]}, {}),
            "search, hits only": lambda i: ("/search.json", {"q": WORDS[i % len(WORDS)], "facets": "0"}, {}),
            "SPARQL CONTAINS, first 20": lambda i: (
                "/sparql",
                {"query": f"# {i}\n" + CONTAINS_FIRST.format(word=WORDS[i % len(WORDS)])},
                {"Accept": "application/sparql-results+json"},
            ),
            "SPARQL CONTAINS, count": lambda i: (
                "/sparql",
                {"query": f"# {i}\n" + CONTAINS_COUNT.format(word=WORDS[i % len(WORDS)])},
                {"Accept": "application/sparql-results+json"},
            ),
        }
        print(f"Load generator: {driver_name}\n")
        print(
            f"| {args.duration:.0f} s each | 1 client: p50 ms | p95 ms | {args.clients} clients: req/s | p50 ms "
            "| p95 ms | errors | load |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for name, make in scenarios.items():
            if args.search_only and name.startswith("SPARQL"):
                continue
            measure(server[1], make, 2, 1.0, wrk)  # warm up
            alone = measure(server[1], make, 1, args.duration, wrk)
            many = measure(server[1], make, args.clients, args.duration, wrk)
            print(
                f"| {name} | {alone[2]:.1f} | {alone[3]:.1f} | {many[0]:.0f} "
                f"| {many[2]:.1f} | {many[3]:.1f} | {many[1] + alone[1]} | {os.getloadavg()[0]:.1f} |",
                flush=True,
            )
    finally:
        server[0].terminate()
        server[0].wait(timeout=30)
    print(
        f"\nCommand: `.venv/bin/python benchmarks/search.py --count {args.count} --clients {args.clients} "
        f"--duration {args.duration:g} --rounds {args.rounds} --search-workers {args.search_workers} "
        f"--driver {args.driver}`; load is the machine's load average over the last minute at the end of each row"
    )
    return 0


def serve(out: Path, search_workers: int = 2) -> tuple[subprocess.Popen[bytes], str]:
    """`kg serve` on a free port of 127.0.0.1, once it answers (loading the store can take
    minutes at 100,000 documents)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kg.cli",
            "serve",
            "--data",
            str(out),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
            "--search-workers",
            str(search_workers),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 1800
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"kg serve exited with {process.returncode}")
            try:
                httpx.get(url, timeout=5)
                return process, url
            except httpx.HTTPError:
                time.sleep(0.5)
        raise RuntimeError("kg serve did not answer")
    except BaseException:  # stopped while it loads (Ctrl-C included): not left running
        process.kill()
        process.wait()
        raise


def timed_build_incremental(docs: Path, out: Path) -> tuple[float, dict[str, float]]:
    from kg.build import pipeline

    started = time.monotonic()
    report = pipeline.build([docs], out)
    return time.monotonic() - started, report.phases


if __name__ == "__main__":
    raise SystemExit(main())
