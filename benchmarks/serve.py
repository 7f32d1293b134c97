"""Serving benchmark: kg serve against rdflib-endpoint and Oxigraph server on the same graph.

    .venv/bin/python benchmarks/serve.py [--count 10000] [--duration 15] [--clients 16]

Generates `--count` documents with kg.synth (cached in --work), builds them, then starts the
servers on 127.0.0.1 and drives each scenario with `--clients` concurrent HTTP/1.1 keep-alive
connections for `--duration` seconds: requests/s, p50, p95 and p99 latency, and the server CPU
time per request. Scenarios:

- resource: one question's description as Turtle. kg serves its `/doc/` document; the
  equivalent for rdflib-endpoint and Oxigraph server is `DESCRIBE <question>`. kg's own
  DESCRIBE over /sparql is measured too.
- page: the same questions' HTML pages (kg only: the others have none).
- select: a small SELECT (one question's title).
- group-by: predicate usage over the whole graph (`GROUP BY ?p`).

The load generator is a minimal asyncio HTTP client (no gzip asked, as for every server), so
that as much of the 2 cores as possible goes to the server measured. Also reported: kg's cold
start (store loaded from graph.nt.gz), warm start (store reused), rdflib-endpoint's load time,
and each server's resident memory. Needs `pip install rdflib-endpoint oxigraph` (the `oxigraph`
command serves kg's own store directory, read-only). Prints Markdown for docs/benchmarks.md.
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
from urllib.parse import urlencode, urlsplit

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
    driver: str = "python"  # the load generator: this module's client, or wrk (benchmarks/wrk.py)
    timed: int | None = None  # answers `seconds` covers, when not all of them (wrk's part)
    fixed: dict[float, float] = field(default_factory=dict)  # percentiles wrk gave, without latencies
    first: list[float] = field(default_factory=list)  # latencies of the first answers, sorted

    @property
    def rate(self) -> float:
        counted = self.completed if self.timed is None else self.timed
        return counted / self.seconds if self.seconds else 0.0

    @property
    def cpu_per_request(self) -> float | None:
        return self.cpu / self.completed if self.completed else None

    def percentile(self, p: float) -> float | None:
        if not self.latencies:
            return self.fixed.get(p)
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


def prepare(count: int, seed: int, work: Path, profile: str = "mixed") -> tuple[Path, float | None]:
    """Documents and build, reused when a previous run made the same ones."""
    from kg.build.pipeline import build
    from kg.synth import write_corpus

    docs, out = work / "docs", work / "out"
    marker = work / "corpus.json"
    wanted = {"count": count, "seed": seed, "profile": profile}
    if not marker.exists() or json.loads(marker.read_text()) != wanted or not (out / "build.json").exists():
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        print(f"generating {count} documents ...", file=sys.stderr)
        write_corpus(count, docs, seed, profile=profile)
        print("building ...", file=sys.stderr)
        started = time.monotonic()
        report = build([docs], out, base=BASE, progress=True)
        seconds = time.monotonic() - started
        if report.failed:
            raise SystemExit(f"{len(report.failed)} documents failed to build: {report.failed[:3]}")
        marker.write_text(json.dumps(wanted))
        return out, seconds
    return out, None


class Connection:
    """One keep-alive HTTP/1.1 connection: GET, read the status and the whole body (by
    Content-Length or chunked). Far less client CPU per request than a full HTTP library."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str, headers: dict[str, str]) -> tuple[int, int]:
        """(status, body bytes) of GET `target` (path and query)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [
            f"GET {target} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Connection: keep-alive",
            *(f"{k}: {v}" for k, v in headers.items()),
            "",
            "",
        ]
        self.writer.write("\r\n".join(lines).encode("latin-1"))
        assert self.reader is not None
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        length, chunked, close = None, False, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection" and value == "close":
                close = True
        size = 0
        if chunked:
            while True:
                chunk = int((await self.reader.readline()).split(b";")[0], 16)
                if chunk == 0:
                    while (await self.reader.readline()) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                size += len(await self.reader.readexactly(chunk))
                await self.reader.readexactly(2)
        elif length is not None:
            size = len(await self.reader.readexactly(length))
        else:
            size = len(await self.reader.read())
            close = True
        if close:
            self.close()
        return status, size

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def drive(
    name: str,
    scenario: str,
    requests: list[tuple[str, dict, dict]],
    clients: int,
    duration: float,
    grace: float,
    once: bool = False,
) -> Result:
    """`clients` concurrent connections cycling through `requests` for `duration` seconds (or,
    with `once`, through each request once)."""
    result = Result(name, scenario)
    next_index = 0
    started = time.monotonic()
    deadline = started + duration
    last_done = started

    async def one_client() -> None:
        nonlocal next_index, last_done
        split = urlsplit(requests[0][0])
        connection = Connection(split.hostname or "127.0.0.1", split.port or 80)
        try:
            while time.monotonic() < deadline and not (once and next_index >= len(requests)):
                url, params, headers = requests[next_index % len(requests)]
                next_index += 1
                parts = urlsplit(url)
                target = (parts.path or "/") + ("?" + urlencode(params) if params else "")
                sent = time.monotonic()
                try:
                    status, _ = await connection.get(target, headers)
                    ok = status == 200
                except (OSError, ConnectionError, ValueError, asyncio.IncompleteReadError):
                    connection.close()
                    ok = False
                done = time.monotonic()
                if ok:
                    result.completed += 1
                    result.latencies.append(done - sent)
                    last_done = max(last_done, done)
                else:
                    result.errors += 1
        finally:
            connection.close()

    tasks = [asyncio.create_task(one_client()) for _ in range(clients)]
    finished, pending = await asyncio.wait(tasks, timeout=duration + grace)
    for task in pending:
        task.cancel()
    result.unfinished = len(pending)
    result.seconds = max(last_done, deadline if result.completed else time.monotonic()) - started
    return result


def scenarios(
    servers: dict[str, str], questions: list[str], every: list[str]
) -> dict[str, list[tuple[str, str, list]]]:
    """scenario -> [(server label, base URL, requests)]. `servers`: name -> base URL (kg),
    or SPARQL endpoint URL (rdflib-endpoint, oxigraph). kg's documents are measured twice: over
    `questions` (whose documents its cache of rendered documents holds after the first round),
    and over `every` question, cycled in order, which no LRU cache smaller than all of them
    helps: each request is described and rendered afresh."""
    turtle = {"Accept": "text/turtle"}
    html = {"Accept": "text/html"}
    json_accept = {"Accept": JSON_RESULTS}
    table: dict[str, list[tuple[str, str, list]]] = {"resource": [], "page": [], "select": [], "group-by": []}
    kg_url = servers.get("kg")
    if kg_url:

        def doc(q: str) -> str:
            return kg_url + "doc/" + q[len(BASE) + 3 :]

        table["resource"] += [
            ("kg /doc/ document", kg_url, [(doc(q), {}, turtle) for q in questions]),
            ("kg /doc/ document, uncached", kg_url, [(doc(q), {}, turtle) for q in every]),
            ("kg DESCRIBE", kg_url, [(kg_url + "sparql", {"query": f"DESCRIBE <{q}>"}, turtle) for q in questions]),
        ]
        table["page"] += [
            ("kg /doc/ page", kg_url, [(doc(q), {}, html) for q in questions]),
            ("kg /doc/ page, uncached", kg_url, [(doc(q), {}, html) for q in every]),
        ]
        table["select"].append(
            ("kg", kg_url, [(kg_url + "sparql", {"query": TITLE.format(q=q)}, json_accept) for q in questions])
        )
        table["group-by"].append(("kg", kg_url, [(kg_url + "sparql", {"query": GROUP_BY}, json_accept)]))
    for name in ("oxigraph", "rdflib-endpoint"):  # rdflib-endpoint last: its GROUP BY never ends
        url = servers.get(name)
        if not url:
            continue
        label = "Oxigraph server" if name == "oxigraph" else name
        table["resource"].append(
            (f"{label} DESCRIBE", url, [(url, {"query": f"DESCRIBE <{q}>"}, turtle) for q in questions])
        )
        table["select"].append((label, url, [(url, {"query": TITLE.format(q=q)}, json_accept) for q in questions]))
        table["group-by"].append((label, url, [(url, {"query": GROUP_BY}, json_accept)]))
    return table


def fmt_ms(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds * 1000:,.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="documents to generate (default 10000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--profile",
        choices=("mixed", "seeds"),
        default="mixed",
        help="kg synth's profile: the record as a whole, or documents the seeds' size",
    )
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench-serve")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per scenario and server")
    parser.add_argument("--grace", type=float, default=60.0, help="seconds to let requests in flight finish")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="kg query workers")
    parser.add_argument("--questions", type=int, default=2000, help="distinct questions requested in turn")
    parser.add_argument(
        "--servers", default="kg,oxigraph,rdflib-endpoint", help="comma-separated: kg, oxigraph, rdflib-endpoint"
    )
    parser.add_argument("--scenarios", default="resource,page,select,group-by")
    parser.add_argument(
        "--reuse-store", action="store_true", help="keep kg's store from an earlier run (no cold start measured)"
    )
    args = parser.parse_args()
    wanted = set(args.servers.split(","))
    chosen = set(args.scenarios.split(","))

    out, build_seconds = prepare(args.count, args.seed, args.work, args.profile)
    info = json.loads((out / "build.json").read_text())
    if not args.reuse_store:
        shutil.rmtree(out / "store", ignore_errors=True)

    kg_port = free_port()
    kg_url = f"http://127.0.0.1:{kg_port}/"
    kg_command = [
        sys.executable,
        "-m",
        "kg.cli",
        "serve",
        "--data",
        str(out),
        "--host",
        "127.0.0.1",
        "--port",
        str(kg_port),
        "--workers",
        str(args.workers),
    ]
    kg = subprocess.Popen(kg_command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cold = wait_until_up(kg_url + "sparql", kg, 900)
    stop(kg)
    kg = subprocess.Popen(kg_command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    warm = wait_until_up(kg_url + "sparql", kg, 900)
    others: dict[str, subprocess.Popen] = {}
    urls = {"kg": kg_url}
    rdflib_load = None
    bin_dir = str(Path(sys.executable).parent)
    try:
        found = httpx.get(
            kg_url + "sparql",
            params={
                "query": (
                    "SELECT ?q WHERE { ?q a <https://w3id.org/written-questions/kg#Question> ; <http://purl.org/dc/terms/title> ?t } "
                    "ORDER BY ?q LIMIT %d" % args.questions
                )
            },
            headers={"Accept": JSON_RESULTS},
            timeout=60,
        ).json()
        questions = sorted({b["q"]["value"] for b in found["results"]["bindings"]})
        found = httpx.get(
            kg_url + "sparql",
            params={"query": ("SELECT ?q WHERE { ?q a <https://w3id.org/written-questions/kg#Question> } ORDER BY ?q")},
            headers={"Accept": JSON_RESULTS},
            timeout=60,
        ).json()
        every = sorted({b["q"]["value"] for b in found["results"]["bindings"]})
        if "oxigraph" in wanted:
            port = free_port()
            executable = shutil.which("oxigraph", path=bin_dir) or "oxigraph"
            others["oxigraph"] = subprocess.Popen(
                [executable, "serve-read-only", "--location", str(out / "store" / "db"), "--bind", f"127.0.0.1:{port}"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            urls["oxigraph"] = f"http://127.0.0.1:{port}/query"
            wait_until_up(urls["oxigraph"] + "?query=ASK%7B%7D", others["oxigraph"], 120)
        if "rdflib-endpoint" in wanted:
            port = free_port()
            executable = shutil.which("rdflib-endpoint", path=bin_dir) or "rdflib-endpoint"
            others["rdflib-endpoint"] = subprocess.Popen(
                [executable, "serve", "--host", "127.0.0.1", "--port", str(port), str(out / "graph.ttl")],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            urls["rdflib-endpoint"] = f"http://127.0.0.1:{port}/"
            rdflib_load = wait_until_up(urls["rdflib-endpoint"], others["rdflib-endpoint"], 3600)
        if "kg" not in wanted:
            del urls["kg"]
        # warm up (the VoID statistics kg counts at start-up, connection set-up)
        httpx.get(kg_url + ".well-known/void", timeout=600)
        alone = {}
        if "group-by" in chosen:
            alone = {
                name: once(url + ("sparql" if name == "kg" else ""), GROUP_BY)
                for name, url in urls.items()
                if name != "rdflib-endpoint"
            }
            if "rdflib-endpoint" in urls:
                alone["rdflib-endpoint"] = once(urls["rdflib-endpoint"], GROUP_BY)
        pids = {url: (kg.pid if name == "kg" else others[name].pid) for name, url in urls.items()}
        results: list[Result] = []
        for scenario, runs in scenarios(urls, questions, every).items():
            if scenario not in chosen:
                continue
            for label, url, requests in runs:
                print(f"{scenario}: {label} ...", file=sys.stderr)
                if label in ("kg /doc/ document", "kg /doc/ page"):
                    # untimed: each document once, so the timed run finds them rendered already
                    asyncio.run(drive(label, scenario, requests, args.clients, 600, args.grace, once=True))
                before = cpu_seconds(pids[url])
                result = asyncio.run(drive(label, scenario, requests, args.clients, args.duration, args.grace))
                result.cpu = cpu_seconds(pids[url]) - before
                results.append(result)
        memory = {"kg": rss_mib(kg.pid, with_children=True)}
        for name, process in others.items():
            memory[name] = rss_mib(process.pid)
    finally:
        stop(kg)
        for process in others.values():
            stop(process)

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
        f"{args.clients} concurrent clients, {args.duration:g} s per scenario, kg with {args.workers} query workers; "
        f"load average before the run {os.getloadavg()[0]:.1f}.",
        "",
        "Command: `.venv/bin/python benchmarks/serve.py " + " ".join(sys.argv[1:]) + "`",
        "",
        "| Scenario | Server | Requests/s | p50 | p95 | p99 | Server CPU per request | Completed | Errors | Unfinished |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.scenario} | {r.server} | {r.rate:,.2f} | {fmt_ms(r.percentile(50))} | "
            f"{fmt_ms(r.percentile(95))} | {fmt_ms(r.percentile(99))} | {fmt_ms(r.cpu_per_request)} | "
            f"{r.completed} | {r.errors} | {r.unfinished} |"
        )
    lines.append("")
    by = {(r.scenario, r.server): r for r in results}
    for scenario, ours, theirs in (
        ("resource", "kg /doc/ document", "rdflib-endpoint DESCRIBE"),
        ("resource", "kg /doc/ document, uncached", "rdflib-endpoint DESCRIBE"),
        ("resource", "kg /doc/ document", "Oxigraph server DESCRIBE"),
        ("resource", "kg /doc/ document, uncached", "Oxigraph server DESCRIBE"),
        ("resource", "kg DESCRIBE", "rdflib-endpoint DESCRIBE"),
        ("select", "kg", "rdflib-endpoint"),
        ("select", "kg", "Oxigraph server"),
        ("group-by", "kg", "rdflib-endpoint"),
        ("group-by", "kg", "Oxigraph server"),
    ):
        a, b = by.get((scenario, ours)), by.get((scenario, theirs))
        if a and b:
            ratio = f"{a.rate / b.rate:,.2f}x" if b.rate else f"> {a.rate * b.seconds:,.0f}x ({theirs} finished none)"
            line = f"- {scenario}, {ours} vs {theirs}: {ratio} the requests/s"
            if a.cpu_per_request and b.cpu_per_request:
                line += f"; server CPU per request {a.cpu_per_request / b.cpu_per_request:,.2f}x theirs"
            elif a.cpu_per_request and b.unfinished:
                line += (
                    f"; {theirs} used {b.cpu:,.0f} s of CPU without finishing one, "
                    f"kg {fmt_ms(a.cpu_per_request)} per request"
                )
            lines.append(line)
    if alone:
        lines.append(
            "- group-by, one request with nothing else running: "
            + ", ".join(f"{k} {fmt_ms(v)}" for k, v in alone.items())
        )
    lines.append("")
    if build_seconds is not None:
        lines.append(f"- build: {build_seconds:.1f} s")
    lines.append(
        f"- kg serve start: {cold:.1f} s{'' if args.reuse_store else ' (store loaded from graph.nt.gz)'}; "
        f"restart with the store reused: {warm:.1f} s"
    )
    if rdflib_load is not None:
        lines.append(f"- rdflib-endpoint start (parsing graph.ttl): {rdflib_load:.1f} s")
    lines.append(
        "- resident memory after the run: "
        + ", ".join(f"{k} {v:,.0f} MiB" for k, v in memory.items())
        + " (kg: server and query workers)"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
