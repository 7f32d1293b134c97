"""Scale benchmark: kg from build to serving at several corpus sizes, beside Oxigraph server,
rdflib-endpoint and a plain pyoxigraph bulk load of the same Turtle.

    .venv/bin/python benchmarks/scale.py --sizes 1000 10000 100000 --work DIR

For each size, on documents from `kg.synth.write_corpus(N, seed=0)` (kept in DIR/N/docs and
reused by later runs):

- build: a full `kg build --full` (documents to graph files and the embedded store), then an
  incremental `kg build` after 1% of the documents got an edited paragraph (the edits are undone
  afterwards, so the corpus stays reusable): wall time, documents/s, triples/s, CPU time, and
  peak memory of the whole process tree (the resident memory of every process under the build,
  summed, sampled every 0.1 s) beside the largest single process (its `ru_maxrss`);
- the floor: pyoxigraph `Store.bulk_load` of the same graph.ttl into an on-disk store, and
  `oxigraph load` of it for Oxigraph server;
- start-up: process start until the first HTTP 200 of a SPARQL query, for `kg serve` on the
  built store, Oxigraph server (`serve-read-only`) and rdflib-endpoint (which parses graph.ttl);
- latency, sequential after warm-up: p50 and p95 of every `queries/*.rq` (on the other servers
  with kg's PREFIX lines in front), of a resource document (`/doc/question/X` as Turtle; the
  others answer `DESCRIBE <X>`) and of a resource page (`/doc/question/X` as HTML), each request
  for a question not asked before (kg keeps rendered documents), plus kg's cached repeat;
- throughput at `--clients` concurrent keep-alive connections for `--duration` seconds: the
  resource document and a GROUP BY over the whole graph, with server CPU per request.

Only 127.0.0.1 is contacted. Every step has a time limit, and every server is stopped at the end,
also on an error or Ctrl-C. rdflib-endpoint is skipped above `--rdflib-max-triples` (it holds the
graph in Python objects: about 1 GiB per million triples) or when it does not load within
`--rdflib-load-timeout`; the table says so. Prints Markdown and writes the figures as JSON to
DIR/scale-results.json (or `--json`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve import GROUP_BY, Result, drive, free_port  # noqa: E402  (the shared load generator)

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
JSON_RESULTS = "application/sparql-results+json"
TURTLE = "text/turtle"
SEED = 0
PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")

FLOOR_SCRIPT = """
import sys, time, pyoxigraph as ox
store = ox.Store(sys.argv[2])
started = time.monotonic()
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.TURTLE)
store.flush()
loaded = time.monotonic() - started
store.optimize()
print(loaded, time.monotonic() - started - loaded, len(store))
"""


# ---------------------------------------------------------------------------------------------
# Processes: the tree under a pid, its memory and CPU; runs and servers with hard time limits.


def _parents() -> dict[int, int]:
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            table[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return table


def tree(root: int) -> list[int]:
    """`root` and all its descendants (build workers, `sort`, query workers)."""
    children: dict[int, list[int]] = defaultdict(list)
    for pid, parent in _parents().items():
        children[parent].append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def tree_rss_mib(root: int) -> float:
    total = 0
    for pid in tree(root):
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return total * PAGE / 2**20


def tree_cpu(root: int) -> float:
    """CPU seconds (user + system) used so far by the live processes of the tree."""
    ticks = 0
    for pid in tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            continue
    return ticks / TICK


class PeakSampler(threading.Thread):
    """Largest summed resident memory of a process tree, sampled while it runs."""

    def __init__(self, root: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.root, self.interval, self.peak = root, interval, 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self.peak = max(self.peak, tree_rss_mib(self.root))


def kill_group(process: subprocess.Popen, grace: float = 20.0) -> None:
    """Stop a process started in its own session, with everything it started."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@dataclass
class Run:
    """A finished command: wall and CPU seconds, peak memory of its tree and of one process."""

    command: str
    returncode: int | None
    seconds: float
    cpu: float
    peak_tree_mib: float
    peak_process_mib: float
    output: str = ""


def run_measured(command: list[str], limit: float, log: Path) -> Run:
    """Run `command` to its end (killed after `limit` seconds), measured."""
    with log.open("wb") as sink:
        started = time.monotonic()
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
        sampler = PeakSampler(process.pid)
        sampler.start()
        status, usage = None, None
        try:
            while True:
                pid, raw, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    status = os.waitstatus_to_exitcode(raw)
                    process.returncode = status
                    break
                if time.monotonic() - started > limit:
                    kill_group(process)
                    break
                time.sleep(0.05)
        finally:
            sampler.done.set()
            kill_group(process)
        seconds = time.monotonic() - started
    cpu = (usage.ru_utime + usage.ru_stime) if usage and status is not None else 0.0
    peak = usage.ru_maxrss / 1024 if usage and status is not None else 0.0
    return Run(
        " ".join(command), status, seconds, cpu, max(sampler.peak, peak), peak, log.read_text(errors="replace")[-2000:]
    )


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    query_url: str  # the SPARQL endpoint
    start_seconds: float


def start_server(name: str, command: list[str], query_url: str, limit: float, stack: ExitStack, log: Path) -> Server:
    """Start a server and time it until a SPARQL query answers 200; stopped when `stack` closes."""
    sink = log.open("wb")
    stack.callback(sink.close)
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
    )
    stack.callback(kill_group, process)
    ask = {"query": "ASK {}"}
    with httpx.Client(timeout=5.0) as client:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}; see {log}")
            try:
                if client.get(query_url, params=ask, headers={"Accept": JSON_RESULTS}).status_code == 200:
                    return Server(name, process, query_url, time.monotonic() - started)
            except httpx.TransportError:
                pass
            if time.monotonic() - started > limit:
                kill_group(process)
                raise TimeoutError(f"{name} not ready after {limit:.0f} s")
            time.sleep(0.02)


# ---------------------------------------------------------------------------------------------
# Corpus and build.


def prepare_corpus(size: int, folder: Path) -> Path:
    """Documents of `size` questions in folder/docs, generated once and reused."""
    from kg.synth import write_corpus

    docs, marker = folder / "docs", folder / "corpus.json"
    restore_changes(folder)
    wanted = {"count": size, "seed": SEED}
    if marker.exists() and json.loads(marker.read_text()) == wanted and docs.is_dir():
        return docs
    shutil.rmtree(docs, ignore_errors=True)
    started = time.monotonic()
    write_corpus(size, docs, SEED, progress=True)
    marker.write_text(json.dumps(wanted))
    print(f"[{size}] generated {size} documents in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return docs


_PARAGRAPH_END = re.compile(rb"[.?!]\s*\n(?=\s*\n_{10,}\s*$)", re.S)


def change_one_percent(docs: Path, folder: Path) -> int:
    """Edit one paragraph (the one before the closing rule: mostly the answer's last) in 1% of
    the documents, spread evenly. The originals are saved first so `restore_changes` can undo
    it, even after an interrupted run."""
    files = sorted(docs.iterdir())
    count = max(1, len(files) // 100)
    backup = folder / "changed-originals"
    shutil.rmtree(backup, ignore_errors=True)
    backup.mkdir()
    for path in files[:: max(1, len(files) // count)][:count]:
        data = path.read_bytes()
        (backup / path.name).write_bytes(data)
        edited, n = _PARAGRAPH_END.subn(b" (bijgewerkt).\n", data, count=1)
        if not n:  # no rule at the end: change the last sentence instead
            edited = data.rstrip() + b" (bijgewerkt).\n"
        path.write_bytes(edited)
    return count


def restore_changes(folder: Path) -> None:
    backup = folder / "changed-originals"
    if backup.is_dir():
        for saved in backup.iterdir():
            (folder / "docs" / saved.name).write_bytes(saved.read_bytes())
        shutil.rmtree(backup)


def kg_build(docs: Path, out: Path, full: bool, limit: float, log: Path) -> Run:
    command = [str(BIN / "kg"), "build", str(docs), "--out", str(out), "--quiet"] + (["--full"] if full else [])
    run = run_measured(command, limit, log)
    if run.returncode != 0:
        raise RuntimeError(f"kg build failed ({run.returncode}): {run.output}")
    return run


# ---------------------------------------------------------------------------------------------
# Requests.


@dataclass
class Latency:
    server: str
    target: str
    samples: list[float] = field(default_factory=list)
    status: int | None = None
    size: int | None = None  # rows of a SELECT, bytes of a graph
    note: str = ""
    first: float | None = None  # the first request: computed, where later ones may come from a cache

    def percentile(self, p: float) -> float | None:
        if not self.samples:
            return None
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def result_size(response: httpx.Response) -> int:
    """Rows of a SELECT (comparable between servers), or -bytes of anything else (not)."""
    if response.headers.get("content-type", "").startswith(JSON_RESULTS):
        data = response.json()
        return len(data["results"]["bindings"]) if "results" in data else 1
    return -len(response.content)


def sequential(
    client: httpx.Client,
    server: str,
    target: str,
    requests: list[tuple[str, dict, dict]],
    warmup: int,
    reps: int,
    budget: float,
    timeout: float,
) -> Latency:
    """p50/p95 of `reps` requests one after the other (request i is requests[i % len]), after
    `warmup` unmeasured ones; stops early once `budget` seconds are spent."""
    result = Latency(server, target)
    spent, index = 0.0, 0
    while len(result.samples) < reps:
        warm = index < warmup and spent <= budget  # a slow query skips the rest of its warm-up
        url, params, headers = requests[index % len(requests)]
        index += 1
        sent = time.monotonic()
        try:
            response = client.get(url, params=params, headers=headers, timeout=timeout)
        except httpx.TimeoutException:
            result.note = f"no answer in {timeout:.0f} s"
            break
        elapsed = time.monotonic() - sent
        spent += elapsed
        if index == 1:
            result.first = elapsed
        if response.status_code != 200:
            result.status = response.status_code
            result.note = f"HTTP {response.status_code}: {response.text[:120]!r}"
            break
        try:
            size = result_size(response)
        except ValueError:  # a server that hit its time limit while streaming the results
            result.status, result.note = 200, f"broken answer after {elapsed:.1f} s"
            break
        if result.status is None:
            result.status, result.size = 200, size
        if not warm:
            result.samples.append(elapsed)
        if spent > budget and result.samples:
            if len(result.samples) < reps:
                result.note = f"{len(result.samples)} of {reps}: {budget:.0f} s budget"
            break
    return result


def question_sample(kg_url: str, ns: str, count: int) -> list[str]:
    """`count` question URIs spread over the whole graph, deterministic."""
    query = f"SELECT ?q WHERE {{ ?q a <{ns}Question> }} ORDER BY ?q"
    response = httpx.get(kg_url + "sparql", params={"query": query}, headers={"Accept": JSON_RESULTS}, timeout=300)
    response.raise_for_status()
    every = [b["q"]["value"] for b in response.json()["results"]["bindings"]]
    step = max(1, len(every) // count)
    return every[::step][:count]


# ---------------------------------------------------------------------------------------------
# One size.


def measure_size(size: int, args: argparse.Namespace, stack: ExitStack) -> dict[str, Any]:
    from kg.rdf.vocab import prefixes
    from kg.stores.remote import query_kind
    from kg.uris import UriMinter

    folder = args.work / str(size)
    folder.mkdir(parents=True, exist_ok=True)
    logs = folder / "logs"
    logs.mkdir(exist_ok=True)
    figures: dict[str, Any] = {"size": size, "load_average_before": os.getloadavg()}
    docs = prepare_corpus(size, folder)
    out = folder / "out"

    # -- build: full, then 1% changed ----------------------------------------------------------
    print(f"[{size}] full build ...", file=sys.stderr)
    shutil.rmtree(out, ignore_errors=True)  # nothing reused: not the cache, not the store
    full = kg_build(docs, out, True, args.build_timeout, logs / "build-full.log")
    info = json.loads((out / "build.json").read_text())
    figures.update(
        documents=info["documents"],
        questions=info["questions"],
        triples=info["triples"],
        graph_ttl_mb=(out / "graph.ttl").stat().st_size / 1e6,
        full_build=asdict(full),
    )
    if not args.no_incremental:
        changed = change_one_percent(docs, folder)
        print(f"[{size}] incremental build, {changed} documents changed ...", file=sys.stderr)
        try:
            incremental = kg_build(docs, out, False, args.build_timeout, logs / "build-incremental.log")
        finally:
            restore_changes(folder)
        figures.update(
            changed=changed,
            incremental_build=asdict(incremental),
            incremental_triples=json.loads((out / "build.json").read_text())["triples"],
        )
        # the documents are as generated again; out/ holds the graph with the edits, which is
        # what every server below serves
    if args.build_only:
        figures["load_average_after"] = os.getloadavg()
        return figures

    # -- the floor: pyoxigraph and oxigraph load the same Turtle --------------------------------
    ttl = out / "graph.ttl"
    floor_db = folder / "floor-db"
    shutil.rmtree(floor_db, ignore_errors=True)
    print(f"[{size}] pyoxigraph bulk_load ...", file=sys.stderr)
    floor = run_measured(
        [sys.executable, "-c", FLOOR_SCRIPT, str(ttl), str(floor_db)], args.build_timeout, logs / "floor.log"
    )
    shutil.rmtree(floor_db, ignore_errors=True)
    parts = floor.output.split()
    figures["pyoxigraph_bulk_load"] = (
        {
            **asdict(floor),
            "load_seconds": float(parts[-3]),
            "optimize_seconds": float(parts[-2]),
            "quads": int(parts[-1]),
        }
        if floor.returncode == 0
        else asdict(floor)
    )
    servers_wanted = set(args.servers.split(","))
    ox_db = folder / "oxigraph-db"
    if "oxigraph" in servers_wanted:
        shutil.rmtree(ox_db, ignore_errors=True)
        print(f"[{size}] oxigraph load ...", file=sys.stderr)
        load = run_measured(
            [str(BIN / "oxigraph"), "load", "--location", str(ox_db), "--file", str(ttl)],
            args.build_timeout,
            logs / "oxigraph-load.log",
        )
        figures["oxigraph_load"] = asdict(load)
        if load.returncode != 0:
            servers_wanted.discard("oxigraph")

    # -- servers ---------------------------------------------------------------------------------
    with ExitStack() as servers_stack:
        stack.callback(servers_stack.close)  # an error anywhere still stops them
        servers: dict[str, Server] = {}
        port = free_port()
        kg_url = f"http://127.0.0.1:{port}/"
        kg_command = [
            str(BIN / "kg"),
            "serve",
            "--data",
            str(out),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--query-timeout",
            str(args.query_timeout),
        ]
        starts = []
        for attempt in range(args.starts):  # start-up: several starts, the last one stays up
            with ExitStack() as one:
                server = start_server("kg", kg_command, kg_url + "sparql", 300, one, logs / "kg-serve.log")
                starts.append(server.start_seconds)
                if attempt == args.starts - 1:
                    servers["kg"] = server
                    one.pop_all()
                    servers_stack.callback(kill_group, server.process)
        figures["kg_start_seconds"] = starts

        def start_other(name: str, port: int | None = None) -> Server:
            port = port or free_port()
            # No --timeout-s for Oxigraph server: in 0.5 it starts a thread per query that lives as
            # long as the limit, and at thousands of requests/s the server runs out of threads.
            # A query the client gives up on is ended by restarting the server instead.
            if name == "oxigraph":
                return start_server(
                    name,
                    [str(BIN / "oxigraph"), "serve-read-only", "--location", str(ox_db), "--bind", f"127.0.0.1:{port}"],
                    f"http://127.0.0.1:{port}/query",
                    300,
                    servers_stack,
                    logs / "oxigraph-serve.log",
                )
            print(f"[{size}] rdflib-endpoint loading graph.ttl ...", file=sys.stderr)
            return start_server(
                name,
                [str(BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port", str(port), str(ttl)],
                f"http://127.0.0.1:{port}/",
                args.rdflib_load_timeout,
                servers_stack,
                logs / "rdflib-endpoint.log",
            )

        if "oxigraph" in servers_wanted:
            servers["oxigraph"] = start_other("oxigraph")
        figures["rdflib_endpoint"] = "not asked"
        if "rdflib-endpoint" in servers_wanted:
            if info["triples"] > args.rdflib_max_triples:
                figures["rdflib_endpoint"] = (
                    f"skipped: {info['triples']:,} triples is above the {args.rdflib_max_triples:,} limit (memory)"
                )
            else:
                try:
                    servers["rdflib-endpoint"] = start_other("rdflib-endpoint")
                    figures["rdflib_endpoint"] = "served"
                except (TimeoutError, RuntimeError) as error:
                    figures["rdflib_endpoint"] = f"skipped: {error}"
        figures["start_seconds"] = {name: s.start_seconds for name, s in servers.items()}
        # kg counts its VoID statistics after start-up: let it finish before measuring
        httpx.get(kg_url + ".well-known/void", timeout=900)

        ns = UriMinter(info["base"]).ns_iri
        prefix_table = prefixes(ns)
        prefix_block = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefix_table.items())
        questions = question_sample(kg_url, ns, args.questions)
        base = info["base"]

        def doc_url(question: str) -> str:
            return kg_url + "doc/" + question[len(base) + len("id/") :]

        plain = {"Accept-Encoding": "identity"}
        turtle = {**plain, "Accept": TURTLE}
        html = {**plain, "Accept": "text/html"}
        select = {**plain, "Accept": JSON_RESULTS}
        fresh = iter(questions)  # each sequential resource request asks a question not asked before

        def take(n: int) -> list[str]:
            chosen = [q for _, q in zip(range(n), fresh)]
            if len(chosen) < n:
                raise SystemExit(f"--questions {args.questions} is too few for the repetitions asked")
            return chosen

        n = args.warmup + args.reps
        documents, pages, described = take(n), take(n), take(n)
        rest = list(fresh)  # for the concurrent runs
        queries = [(path.stem, path.read_text(encoding="utf-8")) for path in sorted((ROOT / "queries").glob("*.rq"))]
        latencies: list[Latency] = []
        throughput: list[Result] = []
        memory: dict[str, float] = {}
        restarted: list[str] = []
        # Server by server: work a server goes on with after a client gave up on it (rdflib-endpoint
        # has no query time limit) must not slow down another server's figures.
        for name in list(servers):
            server = servers[name]
            print(f"[{size}] {name}: latencies ...", file=sys.stderr)
            plan: list[tuple[str, list[tuple[str, dict, dict]]]] = []
            if name == "kg":
                plan += [
                    ("resource document", [(doc_url(q), {}, turtle) for q in documents]),
                    ("resource document, cached", [(doc_url(questions[0]), {}, turtle)]),
                    ("resource page", [(doc_url(q), {}, html) for q in pages]),
                ]
            plan.append(("DESCRIBE", [(server.query_url, {"query": f"DESCRIBE <{q}>"}, turtle) for q in described]))
            for stem, text in queries:
                query = text if name == "kg" else prefix_block + text
                accept = turtle if query_kind(text, prefix_table) == "graph" else select
                plan.append((stem, [(server.query_url, {"query": query}, accept)]))
            with httpx.Client() as client:
                for what, requests in plan:
                    latency = sequential(
                        client, name, what, requests, args.warmup, args.reps, args.budget, args.query_timeout + 10
                    )
                    latencies.append(latency)
                    if name != "kg" and latency.note.startswith("no answer"):
                        # it goes on with the abandoned query, which would slow down what follows
                        print(f"[{size}] {name}: restarting after {what}", file=sys.stderr)
                        kill_group(server.process)
                        server = servers[name] = start_other(name, int(server.query_url.split(":")[2].split("/")[0]))
                        restarted.append(f"{name} after {what}")
            loads = (
                [("resource document", "kg /doc/", [(doc_url(q), {}, turtle) for q in rest])] if name == "kg" else []
            )
            loads += [
                (
                    "resource document",
                    f"{name} DESCRIBE",
                    [(server.query_url, {"query": f"DESCRIBE <{q}>"}, turtle) for q in rest],
                ),
                ("GROUP BY", name, [(server.query_url, {"query": GROUP_BY}, select)]),
            ]
            for scenario, label, requests in loads:
                print(f"[{size}] {args.clients} clients: {scenario}, {label} ...", file=sys.stderr)
                before = tree_cpu(server.process.pid)
                result: Result = asyncio.run(drive(label, scenario, requests, args.clients, args.duration, args.grace))
                result.cpu = tree_cpu(server.process.pid) - before
                throughput.append(result)
            memory[name] = tree_rss_mib(server.process.pid)
            if name != "kg":  # done with it: its memory and any abandoned work go
                kill_group(server.process)
        figures["restarted"] = restarted

    figures["latencies"] = [
        {**asdict(r), "p50": r.percentile(50), "p95": r.percentile(95), "samples": len(r.samples)} for r in latencies
    ]
    figures["throughput"] = [
        {
            "scenario": r.scenario,
            "server": r.server,
            "requests_per_s": r.rate,
            "completed": r.completed,
            "errors": r.errors,
            "unfinished": r.unfinished,
            "seconds": r.seconds,
            "cpu_per_request": r.cpu_per_request,
            "p50": r.percentile(50),
            "p95": r.percentile(95),
        }
        for r in throughput
    ]
    figures["memory_after_mib"] = memory
    figures["load_average_after"] = os.getloadavg()
    return figures


# ---------------------------------------------------------------------------------------------
# Report.


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"


def report(runs: list[dict[str, Any]], machine: dict[str, Any]) -> str:
    lines = [
        f"Machine: {machine['cpu']}, {machine['nproc']} cores, {machine['ram_gib']:.0f} GiB RAM, "
        f"Python {machine['python']}, pyoxigraph {machine['pyoxigraph']}, {machine['system']}; "
        f"{machine['date']}.",
        f"Command: `{machine['command']}`",
        "",
    ]
    lines += [
        "| questions | documents | triples | full build | docs/s | triples/s | CPU | peak memory (tree / largest) "
        "| 1% changed: build | peak memory | pyoxigraph bulk_load (+optimize) | oxigraph load | load avg |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---:|---:|---|",
    ]
    for f in runs:
        b, i = f["full_build"], f.get("incremental_build")
        p, o = f.get("pyoxigraph_bulk_load", {}), f.get("oxigraph_load")
        floor = (
            f"{p['load_seconds']:.1f} s (+{p['optimize_seconds']:.1f} s), {p['peak_tree_mib']:,.0f} MiB"
            if "load_seconds" in p
            else f"failed ({p['returncode']})"
            if p
            else "n/a"
        )
        lines.append(
            f"| {f['size']:,} | {f['documents']:,} | {f['triples']:,} | {b['seconds']:.1f} s | "
            f"{f['documents'] / b['seconds']:,.0f} | {f['triples'] / b['seconds']:,.0f} | {b['cpu']:.0f} s | "
            f"{b['peak_tree_mib']:,.0f} / {b['peak_process_mib']:,.0f} MiB | "
            + (
                f"{i['seconds']:.1f} s ({f['changed']} docs) | {i['peak_tree_mib']:,.0f} MiB | "
                if i
                else "n/a | n/a | "
            )
            + f"{floor} | "
            + (f"{o['seconds']:.1f} s, {o['peak_tree_mib']:,.0f} MiB" if o else "n/a")
            + f" | {f['load_average_before'][0]:.1f} → {f['load_average_after'][0]:.1f} |"
        )
    if any("kg_start_seconds" not in f for f in runs):  # --build-only
        return "\n".join(lines)
    lines += ["", "Start-up, process start to the first answered SPARQL query:", ""]
    for f in runs:
        starts = ", ".join(f"{s:.2f}" for s in f["kg_start_seconds"])
        others = "; ".join(f"{k} {v:.2f} s" for k, v in f["start_seconds"].items() if k != "kg")
        lines.append(
            f"- {f['size']:,}: kg serve {starts} s ({len(f['kg_start_seconds'])} starts); {others}"
            + ("" if f["rdflib_endpoint"] in ("served", "not asked") else f"; rdflib-endpoint {f['rdflib_endpoint']}")
            + (f"; restarted after abandoned queries: {', '.join(f['restarted'])}" if f["restarted"] else "")
        )
    servers = ["kg", "oxigraph", "rdflib-endpoint"]
    lines += [
        "",
        "Sequential latency, p50 / p95, and in brackets the first request (kg keeps answers, so its later "
        "requests of one query come from memory; size of kg's answer; ≠ marks a server that answered another "
        "number of rows):",
        "",
        "| questions | target | " + " | ".join(servers) + " |",
        "|---:|---|" + "---:|" * len(servers),
    ]
    for f in runs:
        by: dict[str, dict[str, dict]] = defaultdict(dict)
        for r in f["latencies"]:
            by[r["target"]][r["server"]] = r
        for target, cells in by.items():
            row = []
            for server in servers:
                r = cells.get(server)
                if r is None:
                    row.append("")
                elif r["p50"] is None:
                    row.append(r["note"] or "failed")
                else:
                    first = f" [{ms(r['first'])}]" if r.get("first") is not None else ""
                    row.append(f"{ms(r['p50'])} / {ms(r['p95'])}{first}" + (f" ({r['note']})" if r["note"] else ""))
            size = cells.get("kg", {}).get("size")
            mismatch = {
                s: c["size"]
                for s, c in cells.items()
                if c["size"] is not None and size is not None and c["size"] != size and size >= 0
            }
            label = (
                target if size is None else f"{target} ({size:,} rows)" if size >= 0 else f"{target} ({-size:,} bytes)"
            )
            if mismatch:
                label += " ≠ " + ", ".join(f"{s} {v}" for s, v in mismatch.items())
            lines.append(f"| {f['size']:,} | {label} | " + " | ".join(row) + " |")
    lines += [
        "",
        "Throughput at 16 concurrent clients:",
        "",
        "| questions | scenario | server | requests/s | p50 | p95 | server CPU per request | done / errors / unfinished |",
        "|---:|---|---|---:|---:|---:|---:|---|",
    ]
    for f in runs:
        for t in f["throughput"]:
            lines.append(
                f"| {f['size']:,} | {t['scenario']} | {t['server']} | {t['requests_per_s']:,.1f} | "
                f"{ms(t['p50'])} | {ms(t['p95'])} | {ms(t['cpu_per_request'])} | "
                f"{t['completed']} / {t['errors']} / {t['unfinished']} |"
            )
        lines.append("")
        lines.append(
            f"Resident memory after the {f['size']:,} run: "
            + ", ".join(f"{k} {v:,.0f} MiB" for k, v in f["memory_after_mib"].items())
        )
        lines.append("")
    return "\n".join(lines)


def machine_info() -> dict[str, Any]:
    import pyoxigraph

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    ram = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    return {
        "cpu": cpu,
        "nproc": os.cpu_count(),
        "ram_gib": ram / 2**20,
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__,
        "system": f"{platform.system()} {platform.release()}",
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "command": ".venv/bin/python benchmarks/scale.py " + " ".join(sys.argv[1:]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000], help="questions (documents)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-scale"), help="corpora, builds, logs")
    parser.add_argument("--json", type=Path, help="where the figures go (default: WORK/scale-results.json)")
    parser.add_argument(
        "--servers",
        default="kg,oxigraph,rdflib-endpoint",
        help="kg is always served; add oxigraph, rdflib-endpoint (comma-separated)",
    )
    parser.add_argument("--no-incremental", action="store_true", help="skip the 1%% incremental build")
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="only the builds (full and 1%% changed, with the store): no floor, no servers",
    )
    parser.add_argument("--reps", type=int, default=20, help="measured requests per latency (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured requests first (default 3)")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds at most per latency row and server")
    parser.add_argument("--questions", type=int, default=3000, help="distinct questions requested")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per throughput run")
    parser.add_argument("--grace", type=float, default=30.0, help="seconds for requests still in flight")
    parser.add_argument("--starts", type=int, default=3, help="kg serve starts timed")
    parser.add_argument("--workers", type=int, default=2, help="kg query workers")
    parser.add_argument(
        "--query-timeout",
        type=float,
        default=30.0,
        help="kg serve --query-timeout; other servers are given 10 s more (default 30)",
    )
    parser.add_argument("--build-timeout", type=float, default=3600.0, help="seconds per build or load")
    parser.add_argument("--rdflib-max-triples", type=int, default=5_000_000)
    parser.add_argument("--rdflib-load-timeout", type=float, default=400.0)
    args = parser.parse_args()
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    target = args.json or args.work / "scale-results.json"
    machine = machine_info()

    def interrupted(signum, frame):  # SIGTERM unwinds like Ctrl-C: servers are stopped
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    runs = []
    with ExitStack() as stack:
        for size in args.sizes:
            runs.append(measure_size(size, args, stack))
            target.write_text(json.dumps({"machine": machine, "runs": runs}, indent=2, default=str))
    text = report(runs, machine)
    print(text)
    target.with_suffix(".md").write_text(text + "\n")
    print(f"figures: {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
