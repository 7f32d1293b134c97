"""Bounded load test of `kg serve` on 127.0.0.1: a mix of resource documents, HTML pages, SPARQL
queries and dump downloads from many concurrent clients for a fixed time. Reports errors (any
status >= 400 or transport error; there must be none), p50/p99 latency per kind of request, and
the server's resident memory (server and query workers) sampled every second, to show whether it
stays flat after warm-up.

    .venv/bin/python benchmarks/load.py [--count 1000] [--clients 64] [--duration 60] [--warmup 10]
                                        [--work DIR] [--json FILE]

Generates `--count` documents with kg.synth into --work (reused by later runs), builds them,
starts `kg serve` and drives it with `--clients` asyncio clients (httpx, keep-alive), each
sending requests back to back, for `--warmup` + `--duration` seconds; only the last
`--duration` seconds are counted. The load generator shares the machine with the server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from statistics import mean
from urllib.parse import quote

import httpx

from kg.web.pages import LIST_PAGE_SIZE

ROOT = Path(__file__).resolve().parent.parent
JSON = "application/sparql-results+json"


@dataclass
class Kind:
    name: str
    weight: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    bytes: int = 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kib(pid: int) -> int:
    """Resident memory of `pid` and its children (the query workers), KiB."""
    total = 0
    pids = [pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                pids.append(int(entry.name))
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def prepare(work: Path, count: int) -> Path:
    documents, out = work / f"documents-{count}", work / f"out-{count}"
    if not documents.is_dir():
        from kg.synth import write_corpus

        write_corpus(count, documents, seed=0)
    if not (out / "build.json").is_file():
        subprocess.run(
            [sys.executable, "-m", "kg.cli", "build", str(documents), "--out", str(out), "--quiet"], check=True
        )
    return out


def start(out: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", "--data", str(out), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
            return process
        except httpx.TransportError:
            if process.poll() is not None:
                raise SystemExit("kg serve exited") from None
            time.sleep(0.2)
    process.kill()
    raise SystemExit("kg serve did not start")


SPARQL_ACCEPT = f"{JSON}, text/turtle;q=0.9"
SLOW_ALONE = 2.0  # seconds: an example query slower than this on its own is left out of the mix


def targets(base_url: str) -> tuple[list[str], list[str], list[str]]:
    """Question paths to request, the example queries of queries/*.rq that answer within
    SLOW_ALONE seconds on their own, and the names of those that do not."""
    query = "SELECT ?q WHERE { ?q a kg:Question } ORDER BY ?q LIMIT 2000"
    rows = httpx.get(base_url + "sparql", params={"query": query}, headers={"Accept": JSON}, timeout=60).json()
    paths = []
    for row in rows["results"]["bindings"]:
        iri = row["q"]["value"]
        paths.append("/doc/" + iri.split("/id/", 1)[1])
    queries, slow = [], []
    for path in sorted((ROOT / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        started = time.monotonic()
        response = httpx.get(
            base_url + "sparql", params={"query": text}, headers={"Accept": SPARQL_ACCEPT}, timeout=120
        )
        if response.status_code == 200 and time.monotonic() - started <= SLOW_ALONE:
            queries.append(text)
        else:
            slow.append(f"{path.name} ({response.status_code}, {time.monotonic() - started:.1f} s)")
    return paths, queries, slow


def request_for(kind: str, rng: random.Random, paths: list[str], queries: list[str]) -> tuple[str, str, dict]:
    """(method, path, headers) of one request of `kind`."""
    path = rng.choice(paths)
    if kind == "resource":
        accept = rng.choice(["text/turtle", "application/ld+json", "application/n-triples"])
        return "GET", path, {"Accept": accept}
    if kind == "page":
        choice = rng.random()
        if choice < 0.6:
            return "GET", path, {"Accept": "text/html", "Accept-Language": rng.choice(["nl", "fr", "en"])}
        if choice < 0.9:
            last = max(1, len(paths) // LIST_PAGE_SIZE)
            return "GET", f"/list/questions?page={rng.randint(1, last)}", {"Accept": "text/html"}
        return "GET", "/", {"Accept": "text/html"}
    if kind == "sparql":
        if rng.random() < 0.5:
            iri = "http://localhost:8000/id/" + path.split("/doc/", 1)[1]
            text = f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"
        else:
            text = rng.choice(queries)
        return "GET", "/sparql?query=" + quote(text), {"Accept": SPARQL_ACCEPT}
    name = rng.choice(["graph.nt.gz", "ontology.ttl", "graph.ttl"])
    return "GET", f"/dumps/{name}", {"Accept-Encoding": "identity"}


async def client(
    base_url: str,
    kinds: list[Kind],
    paths: list[str],
    queries: list[str],
    seed: int,
    counting_from: float,
    stop_at: float,
) -> None:
    rng = random.Random(seed)
    weights = [k.weight for k in kinds]
    async with httpx.AsyncClient(base_url=base_url, timeout=120) as http:
        while time.monotonic() < stop_at:
            kind = rng.choices(kinds, weights)[0]
            method, path, headers = request_for(kind.name, rng, paths, queries)
            started = time.monotonic()
            try:
                response = await http.request(method, path, headers=headers)
                size = len(response.content)
                failure = f"{response.status_code} {path[:80]}" if response.status_code >= 400 else None
            except httpx.HTTPError as error:
                size, failure = 0, f"{type(error).__name__} {path[:80]}"
            finished = time.monotonic()
            if started >= counting_from:
                kind.latencies.append(finished - started)
                kind.bytes += size
                if failure:
                    kind.errors.append(failure)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="generated documents (default 1000)")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds counted (default 60)")
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds before counting (default 10)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-load"))
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    out = prepare(args.work, args.count)
    port = free_port()
    server = start(out, port)
    base_url = f"http://127.0.0.1:{port}"
    samples: list[tuple[float, int]] = []
    stop_sampling = threading.Event()

    def sample() -> None:
        began = time.monotonic()
        while not stop_sampling.wait(1.0):
            samples.append((time.monotonic() - began, rss_kib(server.pid)))

    try:
        paths, queries, slow = targets(base_url + "/")
        if slow:
            print("left out of the mix, slower than", SLOW_ALONE, "s alone:", ", ".join(slow))
        kinds = [Kind("resource", 40), Kind("page", 25), Kind("sparql", 25), Kind("dump", 10)]
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        began = time.monotonic()
        counting_from, stop_at = began + args.warmup, began + args.warmup + args.duration

        async def run() -> None:
            await asyncio.gather(
                *(client(base_url, kinds, paths, queries, seed, counting_from, stop_at) for seed in range(args.clients))
            )

        asyncio.run(run())
        elapsed = time.monotonic() - counting_from
        stop_sampling.set()
        sampler.join()
        alive = server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=60)

    total = sum(len(k.latencies) for k in kinds)
    errors = [e for k in kinds for e in k.errors]
    warm = [kib for t, kib in samples if t >= args.warmup]
    third = max(1, len(warm) // 3)
    memory = {
        "after_warmup_first_third_mib": round(mean(warm[:third]) / 1024, 1) if warm else None,
        "last_third_mib": round(mean(warm[-third:]) / 1024, 1) if warm else None,
        "min_mib": round(min(warm) / 1024, 1) if warm else None,
        "max_mib": round(max(warm) / 1024, 1) if warm else None,
    }
    figures = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "documents": args.count,
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "queries_left_out": slow,
        "requests": total,
        "requests_per_second": round(total / elapsed, 1),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:10],
        "server_alive": alive,
        "kinds": {
            k.name: {
                "requests": len(k.latencies),
                "errors": len(k.errors),
                "p50_ms": round(percentile(k.latencies, 50) * 1000, 1),
                "p99_ms": round(percentile(k.latencies, 99) * 1000, 1),
                "mib": round(k.bytes / 2**20, 1),
            }
            for k in kinds
        },
        "all": {
            "p50_ms": round(percentile([x for k in kinds for x in k.latencies], 50) * 1000, 1),
            "p99_ms": round(percentile([x for k in kinds for x in k.latencies], 99) * 1000, 1),
        },
        "rss": memory,
        "rss_samples_mib": [round(kib / 1024, 1) for _, kib in samples],
    }
    print(
        f"{total} requests in {elapsed:.0f} s ({total / elapsed:.1f}/s) from {args.clients} clients, "
        f"{len(errors)} errors; server alive: {alive}"
    )
    print(f"{'kind':<10} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p99 ms':>8} {'MiB':>8}")
    for name, row in figures["kinds"].items():
        print(
            f"{name:<10} {row['requests']:>9} {row['errors']:>7} {row['p50_ms']:>8} {row['p99_ms']:>8} {row['mib']:>8}"
        )
    print(f"all: p50 {figures['all']['p50_ms']} ms, p99 {figures['all']['p99_ms']} ms")
    print(
        f"server RSS after warm-up: first third {memory['after_warmup_first_third_mib']} MiB, last third "
        f"{memory['last_third_mib']} MiB (min {memory['min_mib']}, max {memory['max_mib']})"
    )
    if errors:
        print("errors, for example:", *sorted(set(errors))[:10], sep="\n  ")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    sys.exit(1 if errors or not alive else 0)


if __name__ == "__main__":
    main()
