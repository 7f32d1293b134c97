"""Answer-time pages benchmark: how fast /stats, its groupings, /stats/overdue, the charts and a
minister's page answer, the first time after a start and afterwards.

    .venv/bin/python benchmarks/stats.py --data DIR [--requests 200] [--clients 1,16]
    .venv/bin/python benchmarks/stats.py --count 100000 --work DIR   # generate, build, then measure

With `--data`, measures the build already in DIR (as `kg build` wrote it); with `--count`, first
generates that many documents with `kg synth` (profile mixed) into `--work` and builds them
there (kept for the next run). Starts `kg serve` on 127.0.0.1, asks each page once (the first
answer after a start: what is computed once per state of the store), then `--requests` more of
each per client count, keep-alive, and prints p50 and p95 per page as Markdown for
docs/statistics.md. The minister is the one with the most questions.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from search import percentile, serve  # noqa: E402  (the same helpers as the search benchmark)


def pages(url: str) -> dict[str, str]:
    data = httpx.get(url + "stats.json", params={"grouping": "minister"}, timeout=600).json()
    minister = max(data["groups"], key=lambda group: group["questions"])["group"]
    path = minister.split("/id/", 1)[1]
    return {
        "/stats": "stats",
        "/stats?grouping=month": "stats?grouping=month",
        "/stats.json": "stats.json",
        "/stats/overdue": "stats/overdue",
        "/stats/overdue.atom": "stats/overdue.atom",
        "chart SVG (backlog)": "stats/charts/backlog.svg",
        "chart PNG (minister days)": "stats/charts/minister-days.png",
        "a minister's page": "doc/" + path,
    }


async def measure(url: str, path: str, clients: int, requests: int) -> list[float]:
    times: list[float] = []
    per_client = max(requests // clients, 1)

    async def client() -> None:
        async with httpx.AsyncClient(timeout=600) as http:
            for _ in range(per_client):
                started = time.perf_counter()
                response = await http.get(url + path)
                response.raise_for_status()
                times.append(time.perf_counter() - started)

    await asyncio.gather(*(client() for _ in range(clients)))
    return times


def build(count: int, work: Path) -> Path:
    docs, out = work / f"docs-{count}", work / f"out-{count}"
    if not docs.exists():
        subprocess.run([sys.executable, "-m", "kg", "synth", "--count", str(count), "--out", str(docs)], check=True)
    if not (out / "build.json").exists():
        subprocess.run([sys.executable, "-m", "kg", "build", str(docs), "--out", str(out), "--quiet"], check=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="a folder kg build wrote")
    parser.add_argument("--count", type=int, help="generate and build this many documents first")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-stats"))
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", default="1,16")
    args = parser.parse_args()
    if (args.data is None) == (args.count is None):
        parser.error("give --data DIR or --count N")
    out = args.data if args.data is not None else build(args.count, args.work)
    process, url = serve(out)
    try:
        targets = pages(url)
        lines = [
            f"`{' '.join(sys.argv)}` on {platform.node()} ({platform.machine()}), {time.strftime('%Y-%m-%d')}",
            "",
            "| page | first answer ms | "
            + " | ".join(f"{c} client(s): p50 ms | p95 ms" for c in args.clients.split(","))
            + " |",
            "|---|---|" + "---|---|" * len(args.clients.split(",")),
        ]
        for name, path in targets.items():
            started = time.perf_counter()
            httpx.get(url + path, timeout=600).raise_for_status()
            cells = [f"{(time.perf_counter() - started) * 1000:.1f}"]
            for clients in (int(c) for c in args.clients.split(",")):
                times = asyncio.run(measure(url, path, clients, args.requests))
                cells += [f"{percentile(times, 50):.1f}", f"{percentile(times, 95):.1f}"]  # ms already
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        print("\n".join(lines))
    finally:
        process.terminate()
        process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
