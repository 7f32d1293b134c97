"""Serving benchmark: kg serve against rdflib-endpoint on the same generated graph.

    .venv/bin/python benchmarks/serve.py [--count 10000] [--duration 15] [--clients 16]

Generates `--count` documents with kg.synth (cached in --work), builds them, then starts both
servers on 127.0.0.1 and drives each scenario with `--clients` concurrent HTTP clients for
`--duration` seconds: requests/s, p50 and p99 latency. Scenarios:

- resource: one question's description as Turtle. kg serves its `/doc/` page; rdflib-endpoint's
  equivalent is `DESCRIBE <question>`. kg's own DESCRIBE over /sparql is measured too.
- select: a small SELECT (one question's title).
- group-by: predicate usage over the whole graph (`GROUP BY ?p`).

Also reported: build time, kg's cold start (store loaded from graph.nt.gz), warm start (store
reused), rdflib-endpoint's load time, and each server's resident memory. Needs
`pip install rdflib-endpoint`. Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://localhost:8000/"
GROUP_BY = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
TITLE = "SELECT ?title WHERE {{ <{q}> <http://purl.org/dc/terms/title> ?title }}"
JSON_RESULTS = "application/sparql-results+json"


@dataclass
class Result:
    server: str
    scenario: str
    completed: int = 0
    errors: int = 0
    unfinished: int = 0
    seconds: float = 0.0
    cpu: float = 0.0  # server CPU seconds used during the run
    latencies: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.completed / self.seconds if self.seconds else 0.0

    @property
    def cpu_per_request(self) -> float | None:
        return self.cpu / self.completed if self.completed else None

    def percentile(self, p: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, limit: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: server exited with {process.returncode}")
        try:
            httpx.get(url, timeout=2.0)
            return time.monotonic() - started
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"{url}: not up after {limit:.0f} s")


def process_tree(pid: int) -> list[int]:
    """A process and its direct children (kg's query workers)."""
    pids = [pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return pids


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a server and its workers: what a request costs
    the server, apart from the load generator sharing the machine. Workers killed and respawned
    during a run lose their share, so this is a lower bound when queries time out."""
    ticks = 0
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int, with_children: bool = False) -> float:
    """Resident memory of a process (and its direct children: kg's query workers)."""
    pids = process_tree(pid) if with_children else [pid]
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def prepare(count: int, seed: int, work: Path) -> tuple[Path, float | None]:
    """Documents and build, reused when a previous run made the same ones."""
    from kg.build import build
    from kg.synth import write_corpus

    docs, out = work / "docs", work / "out"
    marker = work / "corpus.json"
    wanted = {"count": count, "seed": seed}
    if not marker.exists() or json.loads(marker.read_text()) != wanted or not (out / "build.json").exists():
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        print(f"generating {count} documents ...", file=sys.stderr)
        write_corpus(count, docs, seed)
        print("building ...", file=sys.stderr)
        started = time.monotonic()
        report = build([docs], out, base=BASE, progress=True)
        seconds = time.monotonic() - started
        if report.failed:
            raise SystemExit(f"{len(report.failed)} documents failed to build: {report.failed[:3]}")
        marker.write_text(json.dumps(wanted))
        return out, seconds
    return out, None


async def drive(name: str, scenario: str, requests: list[tuple[str, dict, dict]], clients: int,
                duration: float, grace: float) -> Result:
    """`clients` concurrent clients cycling through `requests` for `duration` seconds."""
    result = Result(name, scenario)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    next_index = 0
    async with httpx.AsyncClient(limits=limits, timeout=duration + grace) as client:
        started = time.monotonic()
        deadline = started + duration
        last_done = started

        async def one_client() -> None:
            nonlocal next_index, last_done
            while time.monotonic() < deadline:
                url, params, headers = requests[next_index % len(requests)]
                next_index += 1
                sent = time.monotonic()
                try:
                    response = await client.get(url, params=params, headers=headers)
                    await response.aread()
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                done = time.monotonic()
                if ok:
                    result.completed += 1
                    result.latencies.append(done - sent)
                    last_done = max(last_done, done)
                else:
                    result.errors += 1

        tasks = [asyncio.create_task(one_client()) for _ in range(clients)]
        finished, pending = await asyncio.wait(tasks, timeout=duration + grace)
        for task in pending:
            task.cancel()
        result.unfinished = len(pending)
        result.seconds = max(last_done, deadline if result.completed else time.monotonic()) - started
    return result


def scenarios(kg_url: str, rdflib_url: str | None, questions: list[str]) -> dict[str, list[tuple[str, str, list]]]:
    """scenario -> [(server label, base URL, requests)]"""
    def doc(q: str) -> str:
        return kg_url + "doc/" + q[len(BASE) + 3:]

    turtle = {"Accept": "text/turtle"}
    json_accept = {"Accept": JSON_RESULTS}
    table: dict[str, list[tuple[str, str, list]]] = {
        "resource": [("kg /doc/ page", kg_url, [(doc(q), {}, turtle) for q in questions]),
                     ("kg DESCRIBE", kg_url, [(kg_url + "sparql", {"query": f"DESCRIBE <{q}>"}, turtle)
                                              for q in questions])],
        "select": [("kg", kg_url, [(kg_url + "sparql", {"query": TITLE.format(q=q)}, json_accept)
                                   for q in questions])],
        "group-by": [("kg", kg_url, [(kg_url + "sparql", {"query": GROUP_BY}, json_accept)])],
    }
    if rdflib_url:
        table["resource"].append(("rdflib-endpoint DESCRIBE", rdflib_url,
                                  [(rdflib_url, {"query": f"DESCRIBE <{q}>"}, turtle) for q in questions]))
        table["select"].append(("rdflib-endpoint", rdflib_url,
                                [(rdflib_url, {"query": TITLE.format(q=q)}, json_accept) for q in questions]))
        table["group-by"].append(("rdflib-endpoint", rdflib_url, [(rdflib_url, {"query": GROUP_BY}, json_accept)]))
    return table


def fmt_ms(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds * 1000:,.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="documents to generate (default 10000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench-serve")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per scenario and server")
    parser.add_argument("--grace", type=float, default=60.0, help="seconds to let requests in flight finish")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="kg query workers")
    parser.add_argument("--no-rdflib", action="store_true", help="measure kg only")
    args = parser.parse_args()

    out, build_seconds = prepare(args.count, args.seed, args.work)
    info = json.loads((out / "build.json").read_text())
    shutil.rmtree(out / "store", ignore_errors=True)

    kg_port = free_port()
    kg_url = f"http://127.0.0.1:{kg_port}/"
    kg_command = [sys.executable, "-m", "kg.cli", "serve", "--data", str(out), "--host", "127.0.0.1",
                  "--port", str(kg_port), "--workers", str(args.workers)]
    kg = subprocess.Popen(kg_command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cold = wait_until_up(kg_url + "sparql", kg, 900)
    stop(kg)
    kg = subprocess.Popen(kg_command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    warm = wait_until_up(kg_url + "sparql", kg, 900)
    rdflib = None
    rdflib_url = None
    rdflib_load = None
    try:
        found = httpx.get(kg_url + "sparql", params={"query": (
            "SELECT ?q WHERE { ?q a <%sns/kg#Question> ; <http://purl.org/dc/terms/title> ?t } "
            "ORDER BY ?q LIMIT 500" % BASE)}, headers={"Accept": JSON_RESULTS}, timeout=60).json()
        questions = sorted({b["q"]["value"] for b in found["results"]["bindings"]})
        if not args.no_rdflib:
            executable = shutil.which("rdflib-endpoint", path=str(Path(sys.executable).parent)) or "rdflib-endpoint"
            rdflib_port = free_port()
            rdflib_url = f"http://127.0.0.1:{rdflib_port}/"
            rdflib = subprocess.Popen([executable, "serve", "--host", "127.0.0.1", "--port", str(rdflib_port),
                                       str(out / "graph.ttl")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            rdflib_load = wait_until_up(rdflib_url, rdflib, 3600)
        # warm both up (the VoID statistics kg counts at start-up, caches, connection set-up)
        httpx.get(kg_url + ".well-known/void", timeout=600)
        alone = {"kg": once(kg_url + "sparql", GROUP_BY)}
        if rdflib_url:
            alone["rdflib-endpoint"] = once(rdflib_url, GROUP_BY)
        results: list[Result] = []
        for scenario, runs in scenarios(kg_url, rdflib_url, questions).items():
            for label, url, requests in runs:
                print(f"{scenario}: {label} ...", file=sys.stderr)
                pid = kg.pid if url == kg_url else rdflib.pid  # type: ignore[union-attr]
                before = cpu_seconds(pid)
                result = asyncio.run(drive(label, scenario, requests, args.clients, args.duration, args.grace))
                result.cpu = cpu_seconds(pid) - before
                results.append(result)
        memory = {"kg": rss_mib(kg.pid, with_children=True)}
        if rdflib is not None:
            memory["rdflib-endpoint"] = rss_mib(rdflib.pid)
    finally:
        stop(kg)
        if rdflib is not None:
            stop(rdflib)

    print(report(args, info, build_seconds, cold, warm, rdflib_load, results, memory, alone))
    return 0


def once(url: str, query: str) -> float:
    """Latency of one request with nothing else running."""
    started = time.monotonic()
    response = httpx.get(url, params={"query": query}, headers={"Accept": JSON_RESULTS}, timeout=900)
    response.raise_for_status()
    return time.monotonic() - started


def report(args, info, build_seconds, cold, warm, rdflib_load, results: list[Result], memory, alone) -> str:
    lines = [
        f"Run {date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}: "
        f"{info['documents']} generated documents, {info['questions']} questions, {info['triples']:,} triples; "
        f"{args.clients} concurrent clients, {args.duration:g} s per scenario, kg with {args.workers} query workers.",
        "",
        "Command: `.venv/bin/python benchmarks/serve.py " + " ".join(sys.argv[1:]) + "`",
        "",
        "| Scenario | Server | Requests/s | p50 | p99 | Server CPU per request | Completed | Errors | Unfinished |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(f"| {r.scenario} | {r.server} | {r.rate:,.2f} | {fmt_ms(r.percentile(50))} | "
                     f"{fmt_ms(r.percentile(99))} | {fmt_ms(r.cpu_per_request)} | {r.completed} | {r.errors} | "
                     f"{r.unfinished} |")
    lines.append("")
    by = {(r.scenario, r.server): r for r in results}
    for scenario, ours, theirs in (("resource", "kg /doc/ page", "rdflib-endpoint DESCRIBE"),
                                   ("resource", "kg DESCRIBE", "rdflib-endpoint DESCRIBE"),
                                   ("select", "kg", "rdflib-endpoint"), ("group-by", "kg", "rdflib-endpoint")):
        a, b = by.get((scenario, ours)), by.get((scenario, theirs))
        if a and b:
            ratio = f"{a.rate / b.rate:,.1f}x" if b.rate else f"> {a.rate * b.seconds:,.0f}x (rdflib-endpoint finished none)"
            line = f"- {scenario}, {ours} vs {theirs}: {ratio} the requests/s"
            if a.cpu_per_request and b.cpu_per_request:
                line += f", {b.cpu_per_request / a.cpu_per_request:,.1f}x less server CPU per request"
            elif a.cpu_per_request and b.unfinished:
                line += (f"; rdflib-endpoint used {b.cpu:,.0f} s of CPU without finishing one, "
                         f"kg {fmt_ms(a.cpu_per_request)} per request")
            lines.append(line)
    lines.append("- group-by, one request with nothing else running: "
                 + ", ".join(f"{k} {fmt_ms(v)}" for k, v in alone.items()))
    lines.append("")
    if build_seconds is not None:
        lines.append(f"- build: {build_seconds:.1f} s")
    lines.append(f"- kg serve start, store loaded from graph.nt.gz: {cold:.1f} s; restart with the store reused: {warm:.1f} s")
    if rdflib_load is not None:
        lines.append(f"- rdflib-endpoint start (parsing graph.ttl): {rdflib_load:.1f} s")
    lines.append("- resident memory after the run: " + ", ".join(f"{k} {v:,.0f} MiB" for k, v in memory.items())
                 + " (kg: server and query workers)")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
