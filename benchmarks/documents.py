"""Documents at crawler speed: every resource document asked once, as a crawler or a link checker
asks, against Oxigraph server's CONSTRUCT of the same subjects, in the same run.

    .venv/bin/python benchmarks/documents.py                      # 10,000 seed-like questions
    .venv/bin/python benchmarks/documents.py --count 100000       # 100,000 (a long build first)
    .venv/bin/python benchmarks/documents.py --documents 2000     # ask 2,000 of them only

Generates `--count` seed-like documents (`kg synth --profile seeds`, about 760 triples a question
once built; cached in --work with the build), loads kg's store, then for each scenario starts the
server afresh (`--prepare-first`: nothing counted meanwhile; nothing cached, nothing asked
before) and has `--clients` keep-alive connections ask for each of `--documents` questions
exactly once:

- kg Turtle: `/doc/question/...` with `Accept: text/turtle` (the questions of even rank);
- kg HTML: the pages of the questions of odd rank (other documents: no description is reused);
- kg Turtle, asked before: the last 500 Turtle documents again, four times, from kg's cache:
  what kg's HTTP stack answers when a document costs nothing to make (the ceiling of any design
  that prepares documents ahead and serves them from this process);
- Oxigraph server: `CONSTRUCT { <q> ?p ?o } WHERE { <q> ?p ?o }` for the even-rank questions,
  over kg's own store directory, read-only (Turtle).

The load generator is `wrk` when it is installed (`apt-get install wrk`; a C client costing a few
microseconds a request, so the 2 cores go to the server measured), after the first 50 requests of
each scenario sent with the Python client (their latencies show slow first requests); without wrk,
everything goes through the Python client (about 0.3 ms of client CPU a request on the same cores).

Reported per scenario: documents/s, p50 and p99 latency, the p50 of the first 50 answers (slow
first requests show there), and the server's CPU time per document. Prints Markdown for
docs/benchmarks.md. Needs `pip install oxigraph` (the `oxigraph` command; in kg's test extras).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import wrk  # noqa: E402
from serve import (  # noqa: E402  (the shared load generator and server helpers)
    BASE,
    JSON_RESULTS,
    Result,
    cpu_seconds,
    drive,
    fmt_ms,
    free_port,
    prepare,
    stop,
    wait_until_up,
)

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = "SELECT ?q WHERE { ?q a <https://w3id.org/written-questions/kg#Question> } ORDER BY ?q"
CONSTRUCT = "CONSTRUCT {{ <{q}> ?p ?o }} WHERE {{ <{q}> ?p ?o }}"
FIRST = 50  # answers whose latency shows slow first requests
AGAIN = 500  # documents asked again (the last ones asked: still in the cache)


def start_kg(out: Path, workers: int, processes: int = 1, ahead: bool = False) -> tuple[subprocess.Popen, str, float]:
    """`kg serve` over `out`, once every web process listens (its supervisor says so)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "kg.cli", "serve", "--data", str(out), "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers), "--processes", str(processes), "--prepare-first"]
    command += ["--prepare-documents"] if ahead else []
    command += ["--query-timeout", "300"]  # listing every question at 100,000 may take longer than 10 s, cold
    log = tempfile.NamedTemporaryFile(prefix="kg-serve-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
    started = time.monotonic()
    wait_until_up(url + "sparql", process, 3600)
    while processes > 1 and b"serving with" not in Path(log.name).read_bytes():
        if process.poll() is not None or time.monotonic() - started > 3600:
            raise RuntimeError(f"kg serve did not start its {processes} processes: see {log.name}")
        time.sleep(0.1)
    log.close()
    Path(log.name).unlink()
    return process, url, time.monotonic() - started


def start_oxigraph(out: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    executable = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    process = subprocess.Popen(
        [executable, "serve-read-only", "--location", str(out / "store" / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    wait_until_up(url + "?query=ASK%7B%7D", process, 300)
    return process, url


def measure(label: str, scenario: str, pid: int, requests: list[tuple[str, dict, dict]], clients: int) -> Result:
    """Each request once over `clients` connections: with wrk when installed (the first FIRST
    with the Python client, whose latencies show slow first requests), else all with it."""
    print(f"{scenario}: {label}, {len(requests)} documents ...", file=sys.stderr, flush=True)
    before, started = cpu_seconds(pid), time.monotonic()
    head = requests if wrk.executable() is None else requests[:FIRST]
    result = asyncio.run(drive(label, scenario, head, clients, 24 * 3600, 600, once=True))
    result.seconds = time.monotonic() - started  # from the first request to the last answer
    rest = requests[len(head) :]
    if rest:
        base = urlsplit(rest[0][0])
        listed = [
            (urlsplit(url).path + ("?" + urlencode(params) if params else ""), headers) for url, params, headers in rest
        ]
        run = wrk.run(f"{base.scheme}://{base.netloc}", listed, clients)
        result.driver = "wrk"
        result.first = sorted(result.latencies)
        result.latencies = []
        result.fixed = run.percentiles
        result.completed += run.answered
        result.errors += run.errors
        result.seconds = run.seconds  # the rate is that of wrk's part
        result.timed = run.answered
    result.cpu = cpu_seconds(pid) - before
    return result


def first_p50(result: Result) -> float | None:
    first = result.first or sorted(result.latencies[:FIRST])
    return first[len(first) // 2] if first else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="questions to generate (default 10000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--documents", type=int, default=0, help="questions asked (default: all)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="kg query workers")
    parser.add_argument("--processes", type=int, default=1, help="kg web processes (kg serve --processes)")
    parser.add_argument(
        "--gzip",
        action="store_true",
        help="ask every server with Accept-Encoding: gzip, as crawlers do (default: no encoding asked)",
    )
    parser.add_argument(
        "--prepare-documents",
        action="store_true",
        help="kg serve --prepare-documents: documents written ahead (the first start writes them)",
    )
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench-documents")
    args = parser.parse_args()

    out, build_seconds = prepare(args.count, args.seed, args.work, "seeds")
    info = json.loads((out / "build.json").read_text())
    # loads the store when the build did not, and writes the documents ahead when asked
    kg, url, load_seconds = start_kg(out, args.workers, 1, args.prepare_documents)
    try:
        found = httpx.get(url + "sparql", params={"query": QUESTIONS}, headers={"Accept": JSON_RESULTS}, timeout=600)
        questions = [b["q"]["value"] for b in found.json()["results"]["bindings"]]
    finally:
        stop(kg)
    if args.documents:
        questions = questions[: args.documents]
    even, odd = questions[0::2], questions[1::2]

    def doc(kg_url: str, q: str) -> str:
        return kg_url + "doc/" + q[len(BASE) + 3 :]

    results: list[Result] = []
    starts: dict[str, float] = {}
    encoding = {"Accept-Encoding": "gzip"} if args.gzip else {}
    for label, accept, chosen in (("kg Turtle", "text/turtle", even), ("kg HTML", "text/html", odd)):
        kg, url, starts[label] = start_kg(out, args.workers, args.processes, args.prepare_documents)
        try:
            asked = {"Accept": accept, **encoding}
            requests: list[tuple[str, dict, dict]] = [(doc(url, q), {}, asked) for q in chosen]
            results.append(measure(label, "document, each once", kg.pid, requests, args.clients))
            if label == "kg Turtle":  # the same documents again, from kg's cache: its HTTP stack's ceiling
                again = requests[-AGAIN:] * 4
                results.append(measure("kg Turtle, asked before", "document asked again", kg.pid, again, args.clients))
        finally:
            stop(kg)
    oxigraph, endpoint = start_oxigraph(out)
    try:
        turtle = {"Accept": "text/turtle", **encoding}
        queries: list[tuple[str, dict, dict]] = [(endpoint, {"query": CONSTRUCT.format(q=q)}, turtle) for q in even]
        results.append(measure("Oxigraph server CONSTRUCT", "document, each once", oxigraph.pid, queries, args.clients))
    finally:
        stop(oxigraph)
    print(report(args, info, build_seconds, load_seconds, starts, results))
    return 0


def report(
    args: argparse.Namespace,
    info: dict,
    build_seconds: float | None,
    load_seconds: float,
    starts: dict[str, float],
    results: list[Result],
) -> str:
    lines = [
        f"Run {date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}: {info['questions']:,} seed-like questions, {info['triples']:,} triples; "
        f"{args.clients} clients, each document asked once; kg with {args.processes} web process(es) and "
        f"{args.workers} query workers each{', documents written ahead' if args.prepare_documents else ''}; "
        f"{'Accept-Encoding: gzip' if args.gzip else 'no Accept-Encoding'}; "
        f"load generator: {results[0].driver if results else 'none'}; "
        f"load average before the run {os.getloadavg()[0]:.1f}.",
        "",
        "Command: `.venv/bin/python benchmarks/documents.py " + " ".join(sys.argv[1:]) + "`",
        "",
        "| Server | Documents | Documents/s | p50 | p99 | p50 of the first 50 | Server CPU per document | Errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.server} | {r.completed:,} | {r.rate:,.1f} | {fmt_ms(r.percentile(50))} | "
            f"{fmt_ms(r.percentile(99))} | {fmt_ms(first_p50(r))} | {fmt_ms(r.cpu_per_request)} | {r.errors} |"
        )
    by = {r.server: r for r in results}
    oxigraph = by.get("Oxigraph server CONSTRUCT")
    lines.append("")
    for label in ("kg Turtle", "kg HTML"):
        if oxigraph and oxigraph.rate and label in by:
            lines.append(f"- {label}: {by[label].rate / oxigraph.rate:.3f}x Oxigraph server's documents/s")
    if build_seconds is not None:
        lines.append(f"- build: {build_seconds:.0f} s")
    lines.append(
        f"- kg serve start: {load_seconds:.1f} s the first time (store loaded if the build did not), then "
        + ", ".join(f"{k} {v:.1f} s" for k, v in starts.items())
    )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
